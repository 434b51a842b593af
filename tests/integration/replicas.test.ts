import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@/scripts/lib/throwaway-postgres";
import { TEST_POSTGRES_URL_VARIABLE } from "@/tests/test-db";

/**
 * Issue 14's "Done when": two `npm start` replicas on one PostgreSQL against the demo cluster.
 * A session made on one works on the other; each job is recorded once, by the elected writer only;
 * killing the writer, the other takes over within the hand-over time and records on; stopping
 * PostgreSQL turns /readyz to 503 and pages to a clear error (never a crash), and all recovers when
 * it returns. Runs in the PostgreSQL pass, after the production build; its PostgreSQL is its own,
 * because it stops it.
 */
const enabled = Boolean(process.env[TEST_POSTGRES_URL_VARIABLE]) && fs.existsSync(".next/BUILD_ID");
const HAND_OVER_LIMIT_MS = 30_000;
const ADMIN_PASSWORD = "replica-test-password";
// lib/auth/rate-limit.server.ts LIMITS.user (not imported: that module is server-only).
const LOGIN_LIMIT_PER_ACCOUNT = 5;

interface Replica {
  name: string;
  base: string;
  process: ChildProcess;
  output: string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`);
}

async function metric(replica: Replica, name: string): Promise<number> {
  const text = await (await fetch(`${replica.base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{}`));
  return line ? Number(line.split(" ").pop()) : 0;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Posts the login form the way a browser without JavaScript does: its hidden fields, posted back. */
async function postLogin(replica: Replica, username: string, password: string): Promise<Response> {
  const page = await (await fetch(`${replica.base}/login`)).text();
  const form = new FormData();
  for (const match of page.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    if (name) form.append(decodeEntities(name), decodeEntities(/value="([^"]*)"/.exec(match[0])?.[1] ?? ""));
  }
  form.append("username", username);
  form.append("password", password);
  return fetch(`${replica.base}/login`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { origin: replica.base },
  });
}

/** The text of the login form's error message (the page also embeds every message in its catalog). */
async function loginError(response: Response): Promise<string | undefined> {
  return /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(await response.text())?.[1];
}

async function signIn(replica: Replica): Promise<string> {
  const response = await postLogin(replica, "admin", ADMIN_PASSWORD);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .find((pair) => pair.includes("session"));
  if (!cookie) throw new Error(`no session cookie from ${replica.name} (status ${response.status})`);
  return cookie;
}

// A scenario over one pair of replicas: the sign-in checks need both alive, and the later steps kill
// the writer and stop PostgreSQL, so the steps run in the order written, also when the suite is
// shuffled (docs/testing.md, "Order independence").
describe.runIf(enabled)("two replicas on one PostgreSQL", { timeout: 600_000, shuffle: false }, () => {
  let postgres: ThrowawayPostgres;
  let databaseUrl: string;
  let cluster: DemoCluster;
  const replicas: Replica[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-replicas-"));
  const secretKey = randomBytes(32).toString("hex");
  let cookie = "";

  async function startReplica(name: string): Promise<Replica> {
    const port = await freePort();
    const dataDir = path.join(root, name);
    const output: string[] = [];
    // One process per replica, as `npm start` runs it (npm would run the server in a child a SIGKILL
    // does not reach).
    const child = spawn(process.execPath, [".next/ask-ci-server.js"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        ASK_CI_LISTEN_ADDRESS: "127.0.0.1",
        ASK_CI_DATA_DIR: dataDir,
        ASK_CI_SECRET_KEY: secretKey,
        ADMIN_PASSWORD,
        ASK_CI_BOOTSTRAP_KUBECONFIG: path.join(root, "demo.kubeconfig"),
        ASK_CI_LEADER_RETRY_MS: "1000",
        DATABASE_CONNECT_TIMEOUT_MS: "2000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const replica = { name, base: `http://127.0.0.1:${port}`, process: child, output };
    replicas.push(replica);
    return replica;
  }

  const ready = (replica: Replica, timeoutMs = 180_000) =>
    eventually(`${replica.name} ready`, timeoutMs, async () =>
      (await fetch(`${replica.base}/readyz`)).status === 200 ? true : undefined,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${replica.name}'s output:\n${replica.output.join("").slice(-3000)}`);
    });

  async function jobRecords(): Promise<{ rows: number; distinct: number }> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ rows: string; distinct: string }>(
        `SELECT COUNT(*) AS "rows", COUNT(DISTINCT "podUid") AS "distinct" FROM "JobRecord"`,
      );
      return { rows: Number(rows[0].rows), distinct: Number(rows[0].distinct) };
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    postgres = await startThrowawayPostgres();
    databaseUrl = await postgres.createDatabase("askci");
    const { startDemoCluster } = await import("@ask-ci/demo-cluster");
    // Many short jobs: records keep coming while the test kills and starts things.
    cluster = await startDemoCluster({
      port: 0,
      kubeconfigPath: path.join(root, "demo.kubeconfig"),
      seed: 14,
      jobsPerMinute: 40,
      speed: 60,
    });
    // Started together: both migrate (serialised by Prisma's lock) and race for the first-start rows.
    await Promise.all([startReplica("a"), startReplica("b")]);
    await Promise.all(replicas.map((replica) => ready(replica)));
  }, 300_000);

  afterAll(async () => {
    for (const replica of replicas) replica.process.kill("SIGKILL");
    await cluster?.stop();
    postgres?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("a session made on one replica works on the other", async () => {
    const [a, b] = replicas;
    cookie = await signIn(a);
    const me = await fetch(`${b.base}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: "admin" });
    const page = await fetch(`${b.base}/`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect((await fetch(`${b.base}/api/me`)).status).toBe(401);
  });

  it("failed sign-ins counted on one replica limit the other (the rate limit lives in the database)", async () => {
    const [a, b] = replicas;
    for (let attempt = 0; attempt < LOGIN_LIMIT_PER_ACCOUNT; attempt++) {
      expect(await loginError(await postLogin(a, "mallory", `guess-${attempt}`))).toBe("Wrong username or password.");
    }
    expect(await loginError(await postLogin(b, "mallory", "guess-again"))).toBe(
      "Too many failed attempts. Wait 15 minutes and try again.",
    );
  });

  it("exactly one replica writes, and each job is recorded once", async () => {
    const [a, b] = replicas;
    const leaders = [await metric(a, "askci_leader"), await metric(b, "askci_leader")];
    expect([...leaders].sort()).toEqual([0, 1]);
    const written = await eventually("job records", 120_000, async () => {
      const counts = await jobRecords();
      return counts.rows >= 3 ? counts : undefined;
    });
    expect(written.distinct).toBe(written.rows);
    const leader = leaders[0] === 1 ? a : b;
    const standby = leader === a ? b : a;
    // Rows created, as each replica counts them (a duplicate observation is not counted), against the
    // table read before and after: records keep arriving meanwhile.
    const rowsBefore = (await jobRecords()).rows;
    const byLeader = await metric(leader, "askci_job_records_written_total");
    const byStandby = await metric(standby, "askci_job_records_written_total");
    const rowsAfter = (await jobRecords()).rows;
    expect(byStandby).toBe(0);
    expect(byLeader).toBeGreaterThanOrEqual(rowsBefore);
    expect(byLeader).toBeLessThanOrEqual(rowsAfter);
  });

  it("killing the writer, the other takes over within the hand-over time and records on", async () => {
    const leader = (await metric(replicas[0], "askci_leader")) === 1 ? replicas[0] : replicas[1];
    const survivor = leader === replicas[0] ? replicas[1] : replicas[0];
    const before = await jobRecords();
    const killed = Date.now();
    leader.process.kill("SIGKILL");
    await eventually("survivor leads", HAND_OVER_LIMIT_MS, async () =>
      (await metric(survivor, "askci_leader")) === 1 ? true : undefined,
    );
    const handOverMs = Date.now() - killed;
    expect(handOverMs).toBeLessThan(HAND_OVER_LIMIT_MS);
    await eventually("new records from the survivor", 120_000, async () =>
      (await metric(survivor, "askci_job_records_written_total")) > 0 ? true : undefined,
    );
    const after = await jobRecords();
    expect(after.rows).toBeGreaterThan(before.rows);
    expect(after.distinct).toBe(after.rows);
    console.log(`hand-over after SIGKILL of the leader: ${handOverMs} ms`);
  });

  it("without PostgreSQL: /readyz 503, pages a clear error, no crash; all back when it returns", async () => {
    const survivor = replicas.find((replica) => replica.process.exitCode === null && !replica.process.killed)!;
    postgres.pause();
    try {
      await eventually("readyz 503", 30_000, async () =>
        (await fetch(`${survivor.base}/readyz`)).status === 503 ? true : undefined,
      );
      expect(await (await fetch(`${survivor.base}/readyz`)).text()).toBe("not ready\n");
      expect((await fetch(`${survivor.base}/healthz`)).status).toBe(200);
      const page = await fetch(`${survivor.base}/cost`, { headers: { cookie }, redirect: "manual" });
      const html = await page.text();
      expect(html).toContain("ask-ci cannot reach its database right now.");
      // No stack frame (file:line:column), driver error or module path.
      expect(
        html.match(/.{0,80}(\([^()]*:\d+:\d+\)|ECONNREFUSED|PrismaClient|node_modules\/).{0,80}/)?.[0],
      ).toBeUndefined();
      const api = await fetch(`${survivor.base}/api/me`, { headers: { cookie } });
      expect(api.status).toBeGreaterThanOrEqual(500);
      expect(survivor.process.exitCode).toBeNull();
    } finally {
      postgres.resume();
    }
    await ready(survivor, 60_000);
    const page = await fetch(`${survivor.base}/cost`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    await eventually("leads again", 30_000, async () =>
      (await metric(survivor, "askci_leader")) === 1 ? true : undefined,
    );
  });
});
