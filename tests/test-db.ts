import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A fresh, migrated SQLite database for one test file. Call before importing modules that use
 * `db` (they read DATABASE_URL on first use).
 */
export function useFreshDatabase(): { url: string; file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-test-"));
  const file = path.join(dir, "test.db");
  const url = `file:${file}`;
  const result = spawnSync(
    process.execPath,
    [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        DATABASE_URL: url,
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
      },
    },
  );
  if (result.status !== 0) throw new Error(`migrate deploy failed: ${result.stderr}${result.stdout}`);
  process.env.DATABASE_URL = url;
  process.env.ASK_CI_DATA_DIR = dir;
  return { url, file, dir };
}
