/**
 * `npm run db:migration <name>`: after editing prisma/schema.prisma, writes the migration for both
 * providers, with the same name:
 *   prisma/migrations/<timestamp>_<name>/migration.sql             (SQLite)
 *   prisma/postgresql/migrations/<timestamp>_<name>/migration.sql  (PostgreSQL)
 * Each is the diff from what that provider's committed migrations produce (applied to a scratch
 * database and introspected) to the schema, so a migration another branch landed first is never
 * written twice. `--check` writes nothing and fails when either provider's migrations lag the
 * schema (a test runs it). PostgreSQL: a throwaway server (scripts/lib/throwaway-postgres.ts), or
 * ASK_CI_MIGRATION_POSTGRES_URL naming a server where it may create scratch databases.
 * Why not `prisma migrate dev`: docs/decisions/011-postgresql-beside-sqlite.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PRISMA_SCHEMA_PATHS, type DatabaseProvider } from "../../lib/database-url";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../lib/throwaway-postgres";
import { writePostgresqlSchema } from "./generate";
import { prismaOrThrow } from "./prisma-cli";

export const MIGRATION_DIRS: Record<DatabaseProvider, string> = {
  sqlite: path.join("prisma", "migrations"),
  postgresql: path.join("prisma", "postgresql", "migrations"),
};

/** Scratch databases, one per provider, deleted by cleanup(). */
interface Scratch {
  url: string;
  cleanup(): Promise<void>;
}

async function scratchSqlite(): Promise<Scratch> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-migration-"));
  return { url: `file:${path.join(dir, "scratch.db")}`, cleanup: async () => fs.rmSync(dir, { recursive: true }) };
}

async function scratchPostgres(): Promise<Scratch> {
  const name = `ask_ci_migration_${process.pid}_${Date.now()}`;
  const serverUrl = process.env.ASK_CI_MIGRATION_POSTGRES_URL;
  let server: ThrowawayPostgres | undefined;
  if (!serverUrl) server = await startThrowawayPostgres();
  const adminUrl = serverUrl ?? server!.url();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async cleanup() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end();
      server?.stop();
    },
  };
}

/** The SQL that brings a database migrated by `provider`'s committed migrations to the schema. */
export async function pendingSchemaChange(
  provider: DatabaseProvider,
  schemaPath: string = PRISMA_SCHEMA_PATHS[provider],
): Promise<string> {
  const scratch = provider === "sqlite" ? await scratchSqlite() : await scratchPostgres();
  const pulledDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-pulled-"));
  try {
    prismaOrThrow(["migrate", "deploy"], scratch.url);
    const pulled = path.join(pulledDir, "schema.prisma");
    fs.writeFileSync(pulled, `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n`);
    prismaOrThrow(["db", "pull", "--schema", pulled], scratch.url);
    const script = prismaOrThrow(
      ["migrate", "diff", "--from-schema-datamodel", pulled, "--to-schema-datamodel", schemaPath, "--script"],
      scratch.url,
    );
    return isEmptyMigration(script) ? "" : script;
  } finally {
    fs.rmSync(pulledDir, { recursive: true, force: true });
    await scratch.cleanup();
  }
}

export function isEmptyMigration(script: string): boolean {
  return script.replace(/^--.*$/gm, "").trim() === "";
}

/** UTC yyyymmddHHMMSS, the prefix Prisma gives migration directories (they apply in name order). */
export function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export function validMigrationName(name: string | undefined): name is string {
  return name !== undefined && /^[a-z][a-z0-9_]{0,62}$/.test(name);
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const name = argv.find((arg) => !arg.startsWith("--"));
  if (!check && !validMigrationName(name)) {
    console.error("usage: npm run db:migration <name>   (lower-case letters, digits and _; e.g. add_budgets)");
    console.error("       npm run db:migration -- --check");
    return 2;
  }
  if (writePostgresqlSchema())
    console.log(`wrote ${PRISMA_SCHEMA_PATHS.postgresql} from ${PRISMA_SCHEMA_PATHS.sqlite}`);
  const changes = {
    sqlite: await pendingSchemaChange("sqlite"),
    postgresql: await pendingSchemaChange("postgresql"),
  };
  if (check) {
    const lagging = (Object.keys(changes) as DatabaseProvider[]).filter((provider) => changes[provider] !== "");
    for (const provider of lagging) {
      console.error(`${MIGRATION_DIRS[provider]} lags prisma/schema.prisma; missing:\n${changes[provider]}`);
    }
    if (lagging.length > 0) console.error("Run `npm run db:migration <name>` (docs/database.md).");
    return lagging.length > 0 ? 1 : 0;
  }
  if (changes.sqlite === "" && changes.postgresql === "") {
    console.log("No schema change: both providers' migrations already produce prisma/schema.prisma.");
    return 0;
  }
  const directory = `${migrationTimestamp(new Date())}_${name}`;
  for (const provider of ["sqlite", "postgresql"] as const) {
    const target = path.join(MIGRATION_DIRS[provider], directory);
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, "migration.sql"), changes[provider] || "-- No change for this provider.\n");
    console.log(`wrote ${path.join(target, "migration.sql")}`);
  }
  console.log(
    "Review both files, then `npm run db:generate` and commit schema, both migrations and prisma/postgresql/schema.prisma.",
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
