import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { prisma } from "@/scripts/db/prisma-cli";

/** Set by scripts/test/with-postgres.ts: the throwaway server, and a migrated template database on it. */
export const TEST_POSTGRES_URL_VARIABLE = "ASK_CI_TEST_POSTGRES_URL";
export const TEST_POSTGRES_TEMPLATE = "ask_ci_template";

export interface FreshDatabase {
  url: string;
  provider: "sqlite" | "postgresql";
  /** A temporary directory (also ASK_CI_DATA_DIR) for the test's other files. */
  dir: string;
  /** Everything the database stores, as text: the SQLite files' bytes, or a pg_dump of PostgreSQL's data. */
  contents(): string;
}

/**
 * A fresh, migrated database for one test file: SQLite by default, PostgreSQL when the suite runs
 * under scripts/test/with-postgres.ts (a copy of the migrated template database, so it is quick).
 * Call before importing modules that use `db` (they read DATABASE_URL on first use).
 */
export function useFreshDatabase(): FreshDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-test-"));
  process.env.ASK_CI_DATA_DIR = dir;
  const server = process.env[TEST_POSTGRES_URL_VARIABLE];
  const fresh = server ? freshPostgres(server, dir) : freshSqlite(dir);
  process.env.DATABASE_URL = fresh.url;
  return fresh;
}

function freshSqlite(dir: string): FreshDatabase {
  const file = path.join(dir, "test.db");
  const url = `file:${file}`;
  const result = prisma(["migrate", "deploy"], url);
  if (result.status !== 0) throw new Error(`migrate deploy failed: ${result.stderr}${result.stdout}`);
  return {
    url,
    provider: "sqlite",
    dir,
    contents: () =>
      fs
        .readdirSync(dir)
        .filter((name) => name.startsWith(path.basename(file)))
        .map((name) => fs.readFileSync(path.join(dir, name)).toString("latin1"))
        .join(""),
  };
}

function freshPostgres(server: string, dir: string): FreshDatabase {
  const name = `test_${process.pid}_${path.basename(dir).replace(/[^a-zA-Z0-9]/g, "")}`.toLowerCase();
  // Synchronous like the SQLite path: callers use it before their dynamic imports.
  const created = spawnSync(
    process.execPath,
    [
      "-e",
      `const pg=require("pg");const c=new pg.Client({connectionString:process.argv[1]});` +
        `c.connect().then(()=>c.query('CREATE DATABASE "${name}" TEMPLATE "${TEST_POSTGRES_TEMPLATE}"')).then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})`,
      server,
    ],
    { encoding: "utf8" },
  );
  if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    provider: "postgresql",
    dir,
    contents() {
      const dump = spawnSync(path.join(process.env.ASK_CI_PG_BIN ?? "/usr/lib/postgresql/15/bin", "pg_dump"), [
        "--data-only",
        url.toString(),
      ]);
      if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
      return dump.stdout.toString("latin1");
    },
  };
}

/**
 * Deletes every row of every table, for a test that must start from an empty database whatever ran
 * before it in the file (tests run shuffled). Tables are emptied in rounds, so rows another table
 * still points at go in a later round, on SQLite and PostgreSQL alike.
 */
export async function emptyDatabase(db: PrismaClient): Promise<void> {
  let remaining = Object.values(Prisma.ModelName).map((name) => name.charAt(0).toLowerCase() + name.slice(1));
  for (let round = 0; remaining.length > 0; round++) {
    const failed: string[] = [];
    for (const model of remaining) {
      const delegate = (db as unknown as Record<string, { deleteMany(): Promise<unknown> }>)[model];
      await delegate.deleteMany().catch((error: unknown) => {
        if (round >= remaining.length) throw error;
        failed.push(model);
      });
    }
    remaining = failed;
  }
}
