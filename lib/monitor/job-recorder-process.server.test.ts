import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

// The process-wide job recorder (startJobRecorder and the functions beside it), on SQLite (the
// leader election is local and elects this process at once) and on PostgreSQL in the database pass. The connections point nowhere: the
// recorder's watches never list, which is all these tests need (what it watches, who writes).

let recorder: typeof import("./job-recorder.server");
let db: typeof import("@/lib/db.server").db;
const state = globalThis as unknown as { askCiRecorderElection?: { stop(): void } };

beforeAll(async () => {
  useFreshDatabase();
  recorder = await import("./job-recorder.server");
  db = (await import("@/lib/db.server")).db;
});

afterAll(() => {
  state.askCiRecorderElection?.stop();
  recorder.startJobRecorder().stop();
});

describe("the process-wide job recorder", () => {
  it("before it starts: nobody writes, no live pods, a reconcile asked for does nothing", async () => {
    expect(recorder.isJobRecordWriter()).toBe(false);
    expect(recorder.liveJobPodsOf("any")).toBeNull();
    await expect(recorder.reconcileJobRecorder()).resolves.toBeUndefined();
  });

  it("starts once, is the writer, and watches every namespace of each connection not archived", async () => {
    const server = "https://127.0.0.1:1";
    const active = await db.connection.create({
      data: { name: "active", server, authType: "token", credentials: "{}" },
    });
    await db.connection.create({
      data: { name: "archived", server, authType: "token", credentials: "{}", archivedAt: new Date() },
    });
    const running = recorder.startJobRecorder();
    expect(recorder.startJobRecorder()).toBe(running);
    // SQLite's election is local and immediate; PostgreSQL's (the database pass) takes a round trip.
    await expect.poll(() => recorder.isJobRecordWriter(), { timeout: 10_000 }).toBe(true);
    await recorder.reconcileJobRecorder();
    // Credentials that cannot be read: whether they may watch everywhere is unknown, so everywhere.
    expect(running.targets()).toEqual([JSON.stringify([active.id, "*"])]);
    // Its one watch has not listed (nothing answers there): no live picture to give.
    expect(recorder.liveJobPodsOf(active.id)).toBeNull();
  });
});
