import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PRISMA_SCHEMA_PATHS } from "@/lib/database-url";
import { TEST_POSTGRES_URL_VARIABLE } from "@/tests/test-db";
import { isEmptyMigration, migrationTimestamp, pendingSchemaChange, validMigrationName } from "./migration";
import { postgresqlSchemaOf } from "./postgresql-schema";

// The PostgreSQL cases need the throwaway server of the suite's PostgreSQL pass (scripts/test-all.sh).
const postgres = process.env[TEST_POSTGRES_URL_VARIABLE];

// Each check runs the Prisma CLI three times (deploy, pull, diff) at a few seconds each.
describe("committed migrations produce prisma/schema.prisma exactly", { timeout: 120_000 }, () => {
  beforeAll(() => {
    if (postgres) process.env.ASK_CI_MIGRATION_POSTGRES_URL = postgres;
  });

  it("SQLite", async () => {
    expect(await pendingSchemaChange("sqlite")).toBe("");
  });

  it.runIf(postgres)("PostgreSQL", async () => {
    expect(await pendingSchemaChange("postgresql")).toBe("");
  });

  it.runIf(postgres)("a model added to the schema is a pending change for both providers", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-schema-"));
    // A model name the real schema will never have (it once said Budget, until budgets arrived).
    const extra = "\nmodel SchemaProbe {\n  id    String @id\n  limit Int\n}\n";
    const sqliteSchema = fs.readFileSync(PRISMA_SCHEMA_PATHS.sqlite, "utf8") + extra;
    fs.writeFileSync(path.join(dir, "sqlite.prisma"), sqliteSchema);
    fs.writeFileSync(path.join(dir, "postgresql.prisma"), postgresqlSchemaOf(sqliteSchema));
    const [sqlite, postgresql] = await Promise.all([
      pendingSchemaChange("sqlite", path.join(dir, "sqlite.prisma")),
      pendingSchemaChange("postgresql", path.join(dir, "postgresql.prisma")),
    ]);
    expect(sqlite).toMatch(
      /CREATE TABLE "SchemaProbe" \(\s+"id" TEXT NOT NULL PRIMARY KEY,\s+"limit" INTEGER NOT NULL/,
    );
    expect(postgresql).toMatch(
      /CREATE TABLE "SchemaProbe" \(\s+"id" TEXT NOT NULL,\s+"limit" INTEGER NOT NULL,\s+CONSTRAINT "SchemaProbe_pkey" PRIMARY KEY \("id"\)/,
    );
    fs.rmSync(dir, { recursive: true });
  });
});

describe("migration names and files", () => {
  it("timestamps sort in creation order, as Prisma applies them", () => {
    expect(migrationTimestamp(new Date("2026-12-06T07:05:09.123Z"))).toBe("20261206070509");
  });

  it.each([
    ["add_budgets", true],
    ["a", true],
    ["Add-Budgets", false],
    ["1_start", false],
    ["", false],
    [undefined, false],
  ])("name %s valid: %s", (name, valid) => {
    expect(validMigrationName(name)).toBe(valid);
  });

  it("a diff of comments only is empty", () => {
    expect(isEmptyMigration("-- This is an empty migration.\n\n")).toBe(true);
    expect(isEmptyMigration('-- CreateTable\nCREATE TABLE "A" ();\n')).toBe(false);
  });
});
