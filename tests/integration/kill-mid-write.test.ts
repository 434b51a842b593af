import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase, type FreshDatabase } from "@/tests/test-db";

// Issue 10: the dashboard killed mid-write (SIGKILL, no shutdown) leaves the database consistent —
// no half-written job record, nothing that stops the next start — however often it happens.

let fresh: FreshDatabase;
let db: typeof import("@/lib/db.server").db;
let connectionId: string;

beforeAll(async () => {
  fresh = useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  connectionId = (
    await db.connection.create({
      data: { name: "demo", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    })
  ).id;
});

/** Starts a writer process and SIGKILLs it after it has written for `ms`. */
async function writeThenKill(prefix: string, ms: number): Promise<void> {
  // node itself with tsx as a loader, not tsx's CLI: the CLI runs the script in a grandchild, which
  // a SIGKILL of the CLI would leave writing on (the kill would prove nothing).
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join("tests", "integration", "fixtures", "recorder-writer.ts"), connectionId, prefix],
    { env: { ...process.env, DATABASE_URL: fresh.url }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => resolve());
    child.on("exit", () => reject(new Error(`the writer ended before writing: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill("SIGKILL");
  await exited;
  // The writer itself is gone: nothing with its prefix is written after the kill.
  const written = await db.jobRecord.count({ where: { podUid: { startsWith: `${prefix}-` } } });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await db.jobRecord.count({ where: { podUid: { startsWith: `${prefix}-` } } })).toBe(written);
}

describe("a dashboard killed while recording", () => {
  it("leaves only whole job records and readable open pods, two kills in a row", async () => {
    for (let kill = 0; kill < 2; kill++) await writeThenKill(`kill${kill}`, 150 + kill * 97);

    if (fresh.provider === "sqlite") {
      expect(await db.$queryRawUnsafe<Array<{ integrity_check: string }>>("PRAGMA integrity_check")).toEqual([
        { integrity_check: "ok" },
      ]);
    }
    const records = await db.jobRecord.findMany();
    expect(records.length).toBeGreaterThan(2 * 20);
    for (const record of records) {
      // Every column of a record is written in the one INSERT: a cut-off write would show here.
      expect(record).toMatchObject({ connectionId, namespace: "gitlab-runner", jobId: "42", currency: "CNY" });
      expect(record.billedSeconds).toBeGreaterThan(0);
      expect(record.costMicros).toBeGreaterThan(0);
      expect(record.finishedAt.getTime()).toBeGreaterThanOrEqual(record.createdAt.getTime());
    }
    // Open pods left behind by a kill are whole rows a later resume can read.
    for (const row of await db.openJobPod.findMany()) {
      expect(() => JSON.parse(row.pod) as unknown).not.toThrow();
      expect(row.connectionId).toBe(connectionId);
    }
    // And the database takes writes again.
    await db.jobRecord.deleteMany({ where: { podUid: { startsWith: "kill0-" } } });
  }, 240_000);
});
