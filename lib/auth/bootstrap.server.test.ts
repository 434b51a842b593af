import fs from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useFreshDatabase, type FreshDatabase } from "@/tests/test-db";

// First start: the local admin account. Each test starts from an empty user table and data
// directory, with fresh modules so env() reads the variables the test sets.

let fresh: FreshDatabase;
const saved = { ADMIN_USERNAME: process.env.ADMIN_USERNAME, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD };

async function load() {
  vi.resetModules();
  const { ensureAdminAccount, initialPasswordFile } = await import("./bootstrap.server");
  const { verifyPassword } = await import("./password.server");
  const { db } = await import("@/lib/db.server");
  return { ensureAdminAccount, initialPasswordFile, verifyPassword, db };
}

beforeAll(() => {
  fresh = useFreshDatabase();
});

beforeEach(async () => {
  const { db } = await import("@/lib/db.server");
  await db.user.deleteMany();
  fs.rmSync(`${fresh.dir}/initial-admin-password`, { force: true });
  delete process.env.ADMIN_USERNAME;
  delete process.env.ADMIN_PASSWORD;
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("ensureAdminAccount", () => {
  it("creates the admin with ADMIN_PASSWORD, stored only as a hash, and logs no password", async () => {
    process.env.ADMIN_USERNAME = "root-admin";
    process.env.ADMIN_PASSWORD = "chosen-by-operator";
    const { ensureAdminAccount, initialPasswordFile, verifyPassword, db } = await load();
    const log: string[] = [];
    await ensureAdminAccount((line) => log.push(line));

    const users = await db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: "root-admin", provider: "local", subject: "root-admin", role: "admin" });
    expect(users[0].passwordHash).not.toContain("chosen-by-operator");
    expect(await verifyPassword("chosen-by-operator", users[0].passwordHash!)).toBe(true);
    expect(fs.existsSync(initialPasswordFile(fresh.dir))).toBe(false);
    expect(log.join("\n")).toContain("root-admin");
    expect(log.join("\n")).not.toContain("chosen-by-operator");
    expect(fresh.contents()).not.toContain("chosen-by-operator");
  });

  it("without ADMIN_PASSWORD, generates one into a 0600 file under the data directory, never into the log", async () => {
    const { ensureAdminAccount, initialPasswordFile, verifyPassword, db } = await load();
    const log: string[] = [];
    await ensureAdminAccount((line) => log.push(line));

    const file = initialPasswordFile(fresh.dir);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const admin = await db.user.findFirstOrThrow({ where: { username: "admin" } });
    expect(await verifyPassword(password, admin.passwordHash!)).toBe(true);
    expect(log.join("\n")).toContain(file);
    expect(log.join("\n")).not.toContain(password);
  });

  it("generates a different password on each fresh install", async () => {
    const first = await load();
    await first.ensureAdminAccount(() => {});
    const one = fs.readFileSync(first.initialPasswordFile(fresh.dir), "utf8");
    await first.db.user.deleteMany();
    const second = await load();
    await second.ensureAdminAccount(() => {});
    expect(fs.readFileSync(second.initialPasswordFile(fresh.dir), "utf8")).not.toBe(one);
  });

  it("does nothing once a local account exists, even when ADMIN_PASSWORD changes", async () => {
    process.env.ADMIN_PASSWORD = "first-password";
    const { ensureAdminAccount, db } = await load();
    await ensureAdminAccount(() => {});
    const before = await db.user.findFirstOrThrow({ where: { username: "admin" } });

    process.env.ADMIN_PASSWORD = "second-password";
    const again = await load();
    const log: string[] = [];
    await again.ensureAdminAccount((line) => log.push(line));

    const users = await again.db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0].passwordHash).toBe(before.passwordHash);
    expect(await again.verifyPassword("first-password", users[0].passwordHash!)).toBe(true);
    expect(log).toEqual([]);
  });

  it("is not blocked by GitLab accounts: they are not the break-glass account", async () => {
    process.env.ADMIN_PASSWORD = "break-glass-pw";
    const { ensureAdminAccount, db } = await load();
    await db.user.create({ data: { username: "gina", provider: "gitlab", subject: "7", role: "admin" } });
    await ensureAdminAccount(() => {});
    expect(await db.user.count({ where: { provider: "local", username: "admin" } })).toBe(1);
  });
});
