/**
 * Stand-in for running the container image (no base image can be pulled here), after
 * `ASK_CI_STANDALONE=1 npm run build`:  npx tsx scripts/test/standalone-smoke.ts   Lays out the
 * image's /app with the Dockerfile's own step (scripts/docker/assemble.ts), then runs
 * `node ask-ci-server.js` there the way the image does — as an unprivileged user when we are root,
 * with the code not writable by it and only the data directory and /tmp writable — and checks that
 * it migrates a new database, becomes ready, serves the login page, logs JSON and stops on SIGTERM.
 * PostgreSQL when ASK_CI_TEST_POSTGRES_URL is set (the PostgreSQL pass), else SQLite.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { assemble } from "../docker/assemble";

const UNPRIVILEGED = "nobody";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function unprivilegedUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, UNPRIVILEGED], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function waitFor(url: string, status: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status === status) return response;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (${last})`);
}

async function databaseUrl(dataDir: string): Promise<string> {
  const server = process.env.ASK_CI_TEST_POSTGRES_URL;
  if (!server) return `file:${path.join(dataDir, "ask-ci.db")}`;
  const name = `standalone_${process.pid}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-standalone-"));
  const app = path.join(root, "app");
  const dataDir = path.join(root, "data");
  assemble(app);
  fs.mkdirSync(dataDir);
  fs.mkdirSync(path.join(app, ".next", "cache"), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // As in the image: root owns the code, the app user owns only its data and Next's cache.
    fs.chmodSync(root, 0o755);
    spawnSync("chown", ["-R", UNPRIVILEGED, dataDir, path.join(app, ".next", "cache")]);
  }
  const port = await freePort();
  const url = await databaseUrl(dataDir);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    NODE_ENV: "production" as const,
    PORT: String(port),
    ASK_CI_DATA_DIR: dataDir,
    DATABASE_URL: url,
    ADMIN_PASSWORD: "standalone-smoke-password",
    HOME: os.tmpdir(),
    JITI_FS_CACHE: "false",
    CHECKPOINT_DISABLE: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The server itself runs as the unprivileged user (not under runuser, which would answer SIGTERM by
  // killing itself with it once its child exits), so the signal and the exit code are the server's.
  const user = asRoot ? unprivilegedUser() : {};
  const child = spawn(process.execPath, ["ask-ci-server.js"], {
    cwd: app,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...user,
  });
  const output: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`, 200, 120_000);
    const login = await waitFor(`${base}/login`, 200, 5_000);
    const html = await login.text();
    if (!/<form/i.test(html) || !/password/i.test(html)) throw new Error("/login did not serve the login form");
    if (!login.headers.get("x-request-id")) throw new Error("no X-Request-ID on the response");
    await waitFor(`${base}/healthz`, 200, 5_000);
    if ((await fetch(`${base}/metrics`)).status !== 200) throw new Error("/metrics did not answer");
    const dashboard = await fetch(`${base}/`, { redirect: "manual" });
    if (dashboard.status !== 307 || !dashboard.headers.get("location")?.endsWith("/login")) {
      throw new Error(`/ without a session answered ${dashboard.status}, not a redirect to /login`);
    }
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 25_000))]);
    if (code !== 0) throw new Error(`SIGTERM: exit ${String(code)}`);
    const lines = output.join("").split("\n").filter(Boolean);
    const notJson = lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    if (notJson.length > 0) throw new Error(`log lines that are not JSON:\n${notJson.slice(0, 5).join("\n")}`);
    if (!lines.some((line) => line.includes('"database migrated"'))) throw new Error("no migration logged");
    console.log(
      `standalone server (${url.startsWith("file:") ? "SQLite" : "PostgreSQL"}${asRoot ? `, as ${UNPRIVILEGED}` : ""}): ` +
        `migrated, ready, /login served, ${lines.length} JSON log lines, stopped on SIGTERM; ${Date.now() - started} ms`,
    );
  } catch (error) {
    child.kill("SIGKILL");
    console.error(output.join("").slice(-4000));
    throw error;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`standalone smoke test failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
