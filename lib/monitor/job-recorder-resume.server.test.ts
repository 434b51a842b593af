import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "./testing/pods";
import { FakeSource } from "./testing/fake-source";

// Jobs that end while nobody watches — the dashboard restarting, the API server away — are
// recorded on resume, once, with the stop time the cluster's events give.

let recorder: typeof import("./job-recorder.server");
let streams: typeof import("./streams.server");
let openPods: typeof import("./open-job-pods.server");
let db: typeof import("@/lib/db.server").db;
let connectionId: string;

beforeAll(async () => {
  useFreshDatabase();
  recorder = await import("./job-recorder.server");
  streams = await import("./streams.server");
  openPods = await import("./open-job-pods.server");
  db = (await import("@/lib/db.server")).db;
  connectionId = (
    await db.connection.create({
      data: { name: "demo", server: "https://127.0.0.1:1", authType: "token", credentials: "{}" },
    })
  ).id;
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** A job pod running since `since`, with its own uid. */
function running(uid: string, since: Date): Pod {
  return jobPod(uid, "1", "Running", { created: since.toISOString(), started: since.toISOString() });
}

/** A dashboard process: its own stream registry over `source`, and a recorder on it. */
function dashboard(source: FakeSource<Pod>, stoppedAt: (connectionId: string, pod: Pod) => Promise<Date | null>) {
  const registry = new streams.PodStreamRegistry({
    configFor: () => Promise.reject(new Error("no cluster in this test")),
    sourceFor: () => source,
    priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
  });
  const jobRecorder = new recorder.JobRecorder({
    registry,
    targets: async () => [{ connectionId, namespace: "gitlab-runner" }],
    openPods: new openPods.DatabaseOpenJobPods(10),
    stoppedAt,
  });
  return jobRecorder;
}

async function recordOf(uid: string) {
  return db.jobRecord.findMany({ where: { podUid: uid } });
}

describe("JobRecorder resume", () => {
  it("records a job that ended during a dashboard restart, once, stopped when its events say", async () => {
    const source = new FakeSource<Pod>();
    source.items = [running("restart-1", minutesAgo(5)), running("restart-2", minutesAgo(4))];
    const first = dashboard(source, async () => null);
    await first.reconcile();
    await expect.poll(() => db.openJobPod.count({ where: { podUid: { startsWith: "restart-" } } })).toBe(2);
    // The dashboard stops (after its last writes); both jobs end and their pods go meanwhile.
    await first.drain();
    first.stop();
    source.items = [];

    const stopped = minutesAgo(2);
    const asked: string[] = [];
    const second = dashboard(source, async (_connection, pod) => {
      asked.push(pod.metadata!.uid!);
      return pod.metadata!.uid === "restart-1" ? stopped : null;
    });
    const restartedAt = Date.now();
    await second.reconcile();
    await expect.poll(async () => (await recordOf("restart-1")).length).toBe(1);
    await expect.poll(async () => (await recordOf("restart-2")).length).toBe(1);
    expect((await recordOf("restart-1"))[0].finishedAt).toEqual(stopped);
    // No events: billed until it was seen gone, never past that.
    const seenGone = (await recordOf("restart-2"))[0].finishedAt.getTime();
    expect(seenGone).toBeGreaterThanOrEqual(restartedAt);
    expect(seenGone).toBeLessThanOrEqual(Date.now());
    expect(asked.sort()).toEqual(["restart-1", "restart-2"]);
    await second.drain();
    expect(await db.openJobPod.count({ where: { podUid: { startsWith: "restart-" } } })).toBe(0);

    // A third start finds nothing left to do: each job once.
    const third = dashboard(source, async () => stopped);
    await third.reconcile();
    await third.drain();
    expect(await db.jobRecord.count({ where: { podUid: { startsWith: "restart-" } } })).toBe(2);
    second.stop();
    third.stop();
  });

  it("records a job whose pod went while the API server was away, stopped when its events say", async () => {
    const source = new FakeSource<Pod>();
    source.items = [running("outage-1", minutesAgo(3)), running("outage-stays", minutesAgo(3))];
    const stopped = minutesAgo(1);
    const jobRecorder = dashboard(source, async (_connection, pod) =>
      pod.metadata!.uid === "outage-1" ? stopped : null,
    );
    await jobRecorder.reconcile();
    // The watch breaks; when the cluster answers again, the pod is gone.
    source.items = [running("outage-stays", minutesAgo(3))];
    source.close(new Error("connect ECONNREFUSED"));
    await expect.poll(async () => (await recordOf("outage-1")).length, { timeout: 5_000 }).toBe(1);
    expect((await recordOf("outage-1"))[0].finishedAt).toEqual(stopped);
    await jobRecorder.drain();
    expect(await recordOf("outage-stays")).toEqual([]);
    expect(await db.openJobPod.findUnique({ where: { podUid: "outage-stays" } })).not.toBeNull();
    jobRecorder.stop();
  });

  it("ignores a stop time from the future or unreadable events", async () => {
    const source = new FakeSource<Pod>();
    source.items = [running("odd-1", minutesAgo(3)), running("odd-2", minutesAgo(3))];
    const first = dashboard(source, async () => null);
    await first.reconcile();
    await first.drain();
    first.stop();
    source.items = [];
    const second = dashboard(source, async (_connection, pod) => {
      if (pod.metadata!.uid === "odd-1") return new Date(Date.now() + 3_600_000);
      throw new Error("events: forbidden");
    });
    await second.reconcile();
    await expect.poll(() => db.jobRecord.count({ where: { podUid: { startsWith: "odd-" } } })).toBe(2);
    for (const record of await db.jobRecord.findMany({ where: { podUid: { startsWith: "odd-" } } })) {
      expect(record.finishedAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    second.stop();
  });
});
