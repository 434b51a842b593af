/**
 * A throwaway PostgreSQL server for tests, benchmarks and `npm run db:migration`: initdb into a
 * temporary directory, listening on 127.0.0.1 only (and a socket in that directory), stopped and
 * deleted by stop(). Uses the PostgreSQL binaries on the machine (ASK_CI_PG_BIN, default
 * /usr/lib/postgresql/15/bin). As root, the server runs as the `postgres` user (initdb refuses root).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin";

export interface ThrowawayPostgres {
  /** postgresql:// URL of a database on this server (default: "postgres"). */
  url(database?: string): string;
  port: number;
  /** Creates a database, optionally as a copy of a template database (fast: a file copy). */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Stops the server (fast shutdown) and deletes its directory. Idempotent. */
  stop(): void;
  /** Stops the server without deleting anything (to test an outage); start() brings it back. */
  pause(): void;
  resume(): void;
}

export function pgBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ASK_CI_PG_BIN ?? DEFAULT_PG_BIN;
}

export function havePostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return fs.existsSync(path.join(pgBinDir(env), "initdb")) && fs.existsSync(path.join(pgBinDir(env), "pg_ctl"));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], asPostgresUser: boolean): void {
  const [file, argv] = asPostgresUser ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} failed: ${result.error?.message ?? ""}${result.stderr}${result.stdout}`);
  }
}

export async function startThrowawayPostgres(options: { port?: number } = {}): Promise<ThrowawayPostgres> {
  const bin = pgBinDir();
  if (!havePostgres()) throw new Error(`PostgreSQL server binaries not found in ${bin} (set ASK_CI_PG_BIN)`);
  const asPostgresUser = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-pg-"));
  const dataDir = path.join(dir, "data");
  if (asPostgresUser) spawnSync("chown", ["postgres", dir]);
  const port = options.port ?? (await freePort());
  run(
    path.join(bin, "initdb"),
    ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
    asPostgresUser,
  );
  // Throwaway data: durability off for speed. Enough connections for parallel test workers.
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");
  const start = () =>
    run(pgCtl, ["-D", dataDir, "-o", serverOptions, "-l", path.join(dir, "server.log"), "-w", "start"], asPostgresUser);
  const stopServer = () => run(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "stop"], asPostgresUser);
  start();
  let running = true;
  const url = (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name, template) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
        await client.query(`CREATE DATABASE ${quoted(name)}${template ? ` TEMPLATE ${quoted(template)}` : ""}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    pause() {
      if (running) stopServer();
      running = false;
    },
    resume() {
      if (!running) start();
      running = true;
    },
    stop() {
      if (!fs.existsSync(dir)) return;
      try {
        if (running) stopServer();
      } finally {
        running = false;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
