import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "./testing/pods";

// DatabaseOpenJobPods: what the job recorder keeps about running job pods across restarts
// (lib/monitor/open-job-pods.server.ts), against the test database.

let openPods: typeof import("./open-job-pods.server");
let db: typeof import("@/lib/db.server").db;
let c1: string;
let c2: string;

beforeAll(async () => {
  useFreshDatabase();
  openPods = await import("./open-job-pods.server");
  db = (await import("@/lib/db.server")).db;
  const make = (name: string) =>
    db.connection.create({ data: { name, server: "https://127.0.0.1:1", authType: "token", credentials: "{}" } });
  c1 = (await make("open-1")).id;
  c2 = (await make("open-2")).id;
});

afterEach(async () => {
  vi.restoreAllMocks();
  await db.openJobPod.deleteMany({});
});

function podIn(uid: string, namespace: string): Pod {
  const pod = jobPod(uid, "1", "Running");
  return { ...pod, metadata: { ...pod.metadata, namespace } };
}

const uids = (pods: Pod[]) => pods.map((pod) => pod.metadata?.uid).sort();

describe("DatabaseOpenJobPods", () => {
  it("gives a connection's remembered pods in one namespace or in all, never another connection's", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    const seen = new Date("2026-01-01T00:00:00Z");
    store.remember(c1, podIn("a1", "ns-a"), seen);
    store.remember(c1, podIn("b1", "ns-b"), seen);
    store.remember(c2, podIn("a2", "ns-a"), seen);
    store.remember(c1, { ...podIn("x", "ns-a"), metadata: { ...podIn("x", "ns-a").metadata, uid: undefined } }, seen);
    expect(uids(await store.openIn(c1, "ns-a"))).toEqual(["a1"]);
    expect(uids(await store.openIn(c1, "*"))).toEqual(["a1", "b1"]);
    expect(uids(await store.openIn(c2, "*"))).toEqual(["a2"]);
    expect(await db.openJobPod.findUnique({ where: { podUid: "b1" } })).toMatchObject({
      connectionId: c1,
      namespace: "ns-b",
      lastSeenAt: seen,
    });
  });

  it("keeps the latest copy, forgets on request, and writes on its own after flushMs", async () => {
    const store = new openPods.DatabaseOpenJobPods(20);
    store.remember(c1, podIn("p", "ns"), new Date("2026-01-01T00:00:00Z"));
    await vi.waitFor(async () => expect(await db.openJobPod.count()).toBe(1));
    const later = { ...podIn("p", "ns"), status: { phase: "Running", reason: "later" } } as Pod;
    store.remember(c1, later, new Date("2026-01-01T00:01:00Z"));
    await vi.waitFor(async () =>
      expect(await db.openJobPod.findUnique({ where: { podUid: "p" } })).toMatchObject({
        lastSeenAt: new Date("2026-01-01T00:01:00Z"),
      }),
    );
    expect((await store.openIn(c1, "ns"))[0].status?.reason).toBe("later");
    store.forget("p");
    await vi.waitFor(async () => expect(await db.openJobPod.count()).toBe(0));
  });

  it("writes and deletes more pods than one transaction takes", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    const many = Array.from({ length: 401 }, (_, i) => `many-${i}`);
    for (const uid of many) store.remember(c1, podIn(uid, "ns"), new Date());
    await store.flush();
    expect(await db.openJobPod.count()).toBe(401);
    for (const uid of many) store.forget(uid);
    await store.flush();
    expect(await db.openJobPod.count()).toBe(0);
  });

  it("drops the pods of a connection removed meanwhile and writes the others", async () => {
    const gone = await db.connection.create({
      data: { name: "gone", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    });
    const store = new openPods.DatabaseOpenJobPods(60_000);
    store.remember(gone.id, podIn("of-gone", "ns"), new Date());
    store.remember(c1, podIn("kept", "ns"), new Date());
    await db.connection.delete({ where: { id: gone.id } });
    await store.flush();
    expect((await db.openJobPod.findMany()).map((row) => row.podUid)).toEqual(["kept"]);
  });

  it("keeps what a failed write held for the next flush, unless newer news about the pod came meanwhile", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    const t1 = new Date("2026-01-01T00:01:00Z");
    const t2 = new Date("2026-01-01T00:02:00Z");
    store.remember(c1, podIn("p1", "ns"), t1);
    store.remember(c1, podIn("p2", "ns"), t1);
    await store.flush();
    store.remember(c1, podIn("newer", "ns"), t1);
    store.remember(c1, podIn("ended", "ns"), t1);
    store.remember(c1, podIn("kept", "ns"), t1);
    store.forget("p1");
    vi.spyOn(db, "$transaction").mockImplementationOnce(async () => {
      // While the write is under way: news about three of the pods it holds.
      store.remember(c1, podIn("newer", "ns"), t2);
      store.forget("ended");
      store.remember(c1, podIn("p1", "ns"), t2);
      throw new Error("database is locked");
    });
    await expect(store.flush()).rejects.toThrow("database is locked");
    await store.flush();
    const rows = await db.openJobPod.findMany({ orderBy: { podUid: "asc" } });
    expect(rows.map((row) => [row.podUid, row.lastSeenAt.toISOString()])).toEqual([
      ["kept", t1.toISOString()],
      ["newer", t2.toISOString()],
      ["p1", t2.toISOString()],
      ["p2", t1.toISOString()],
    ]);
  });

  it("a failed delete is written by the next flush", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    store.remember(c1, podIn("ended", "ns"), new Date());
    store.remember(c1, podIn("running", "ns"), new Date());
    await store.flush();
    store.forget("ended");
    vi.spyOn(db.openJobPod, "deleteMany").mockRejectedValueOnce(new Error("database is locked"));
    await expect(store.flush()).rejects.toThrow("database is locked");
    expect((await db.openJobPod.findMany({ orderBy: { podUid: "asc" } })).map((row) => row.podUid)).toEqual([
      "ended",
      "running",
    ]);
    await store.flush();
    expect((await db.openJobPod.findMany()).map((row) => row.podUid)).toEqual(["running"]);
  });

  it("skips a damaged row: no null among the pods it gives", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    const lastSeenAt = new Date("2026-01-01T00:00:00Z");
    // Rows a crash mid-write or a hand edit could leave: JSON that is not a pod, and not JSON at all.
    await db.openJobPod.create({
      data: { podUid: "null", connectionId: c1, namespace: "ns", pod: "null", lastSeenAt },
    });
    await db.openJobPod.create({
      data: { podUid: "number", connectionId: c1, namespace: "ns", pod: "42", lastSeenAt },
    });
    await db.openJobPod.create({
      data: { podUid: "cut", connectionId: c1, namespace: "ns", pod: '{"metad', lastSeenAt },
    });
    store.remember(c1, podIn("good", "ns"), lastSeenAt);
    const pods = await store.openIn(c1, "ns");
    expect(pods.map((pod) => pod?.metadata?.uid ?? null)).toEqual(["good"]);
  });

  it("a pod forgotten and remembered again before a failed write is kept, not deleted", async () => {
    const store = new openPods.DatabaseOpenJobPods(60_000);
    store.remember(c1, podIn("back", "ns"), new Date());
    await store.flush();
    store.forget("back");
    vi.spyOn(db.openJobPod, "deleteMany").mockRejectedValueOnce(new Error("database is locked"));
    await expect(store.flush()).rejects.toThrow("database is locked");
    // It is running after all (a relist saw it): remembered again before the retry.
    store.remember(c1, podIn("back", "ns"), new Date("2026-01-01T00:03:00Z"));
    await store.flush();
    expect((await db.openJobPod.findMany()).map((row) => row.podUid)).toEqual(["back"]);
  });
});
