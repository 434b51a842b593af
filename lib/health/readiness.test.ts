import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedMigrations, migrated, within } from "./readiness";

describe("readiness pieces", () => {
  it("lists a provider's migrations in the order Prisma applies them", () => {
    const sqlite = expectedMigrations("prisma/migrations");
    const postgresql = expectedMigrations("prisma/postgresql/migrations");
    expect(sqlite.length).toBeGreaterThanOrEqual(2);
    expect(sqlite[0]).toBe("20261125200000_init");
    expect(postgresql).toEqual(sqlite);
    expect(expectedMigrations(path.join(os.tmpdir(), "no-such-dir"))).toEqual([]);
  });

  it("ignores a directory without migration.sql", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-migrations-"));
    fs.mkdirSync(path.join(dir, "20260101000000_a"));
    fs.writeFileSync(path.join(dir, "20260101000000_a", "migration.sql"), "");
    fs.mkdirSync(path.join(dir, "stray"));
    expect(expectedMigrations(dir)).toEqual(["20260101000000_a"]);
  });

  it("is migrated when every expected migration is applied, newer ones allowed", () => {
    expect(migrated(["a", "b"], ["a", "b"])).toBe(true);
    expect(migrated(["a", "b"], ["a", "b", "c"])).toBe(true);
    expect(migrated(["a", "b"], ["a"])).toBe(false);
    expect(migrated(["a"], [])).toBe(false);
  });

  it("answers after the timeout when the check hangs", async () => {
    expect(await within(new Promise(() => {}), 20, "late")).toBe("late");
    expect(await within(Promise.resolve("now"), 1000, "late")).toBe("now");
  });
});
