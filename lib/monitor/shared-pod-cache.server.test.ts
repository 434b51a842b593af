import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { applyUpdate } from "./apply-update";
import type { PodSummary } from "./pod-summary";
import type { ConnectionStatus } from "./protocol";
import { FakeSource } from "./testing/fake-source";
import { jobPod } from "./testing/pods";
import { ALL_NAMESPACES } from "./validation";

// The job recorder's every-namespace cache is the one the monitor's namespace streams read: one
// upstream watch per connection, each pod held once, and both readers still see every change —
// through a relist after 410 Gone and a reconnect after the API server was away.

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

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function running(uid: string, namespace = "gitlab-runner", rv = "1"): Pod {
  const pod = jobPod(uid, rv, "Running", { created: minutesAgo(5), started: minutesAgo(5) });
  return { ...pod, metadata: { ...pod.metadata, namespace } };
}

function finished(uid: string, namespace = "gitlab-runner", rv = "2"): Pod {
  const pod = jobPod(uid, rv, "Succeeded", { created: minutesAgo(5), started: minutesAgo(5), finished: minutesAgo(1) });
  return { ...pod, metadata: { ...pod.metadata, namespace } };
}

const recorded = (uid: string) => db.jobRecord.count({ where: { podUid: uid } });

/** A dashboard over scripted API servers, one per namespace watched (ALL_NAMESPACES: cluster-wide). */
function dashboard() {
  const sources = new Map<string, FakeSource<Pod>>();
  const sourceFor = (namespace: string) => {
    if (!sources.has(namespace)) sources.set(namespace, new FakeSource<Pod>());
    return sources.get(namespace)!;
  };
  const registry = new streams.PodStreamRegistry({
    configFor: () => Promise.reject(new Error("no cluster in this test")),
    sourceFor: (target) => sourceFor(target.namespace),
    priceBook: async () => DEFAULT_PRICE_BOOKS.cn,
  });
  const jobRecorder = new recorder.JobRecorder({
    registry,
    targets: async () => [{ connectionId, namespace: ALL_NAMESPACES }],
    openPods: new openPods.DatabaseOpenJobPods(10),
    stoppedAt: async () => null,
    onError: (message) => errors.push(message),
  });
  const errors: string[] = [];
  return { sources, sourceFor, registry, jobRecorder, errors };
}

/** One browser: the rows and connection states its stream sent. */
async function viewer(registry: import("./streams.server").PodStreamRegistry, namespace = "gitlab-runner") {
  const lease = await registry.acquire({ connectionId, namespace });
  let rows: PodSummary[] = [];
  const states: ConnectionStatus["state"][] = [];
  const disconnect = lease.value.connect(null, (frame) => {
    if (frame.message.type === "status") states.push(frame.message.status.state);
    rows = applyUpdate(rows, frame.message);
  });
  return {
    lease,
    states,
    rows: () => rows,
    row: (uid: string) => rows.find((r) => r.uid === uid),
    close: () => {
      disconnect();
      lease.release();
    },
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe("one pod cache per connection, shared by the recorder and the monitor's streams", () => {
  it("serves a namespace's stream from the recorder's every-namespace watch, each pod held once", async () => {
    const d = dashboard();
    d.sourceFor(ALL_NAMESPACES).items = [running("shared-a"), running("shared-elsewhere", "ci")];
    await d.jobRecorder.reconcile();
    cleanups.push(() => d.jobRecorder.stop());
    const v = await viewer(d.registry);
    cleanups.push(v.close);

    await expect.poll(() => v.rows().map((r) => r.uid)).toEqual(["shared-a"]);
    // No watch of its own: the one upstream list+watch is the recorder's.
    expect([...d.sources.keys()]).toEqual([ALL_NAMESPACES]);
    expect(d.registry.stats()).toMatchObject({ active: 1, created: 1, streams: 1 });
    const everywhere = d.registry.acquireCache({ connectionId, namespace: ALL_NAMESPACES });
    cleanups.push(everywhere.release);
    // The very object the recorder reads is the one the stream summarised: held once.
    expect(v.lease.value.cache.get("shared-a")).toBe(everywhere.value.get("shared-a"));
    expect(v.lease.value.cache.get("shared-elsewhere")).toBeUndefined();
    expect(everywhere.value.list().map((p) => p.metadata?.uid)).toEqual(["shared-a", "shared-elsewhere"]);

    // Every change reaches both: the row updates, and each job's end is recorded in any namespace.
    const source = d.sourceFor(ALL_NAMESPACES);
    source.push("MODIFIED", running("shared-a", "gitlab-runner", "5"));
    await expect.poll(() => v.row("shared-a")?.resourceVersion).toBe("5");
    source.push("ADDED", running("shared-b"));
    await expect.poll(() => v.row("shared-b")?.phase).toBe("Running");
    source.push("MODIFIED", finished("shared-elsewhere", "ci"));
    source.push("DELETED", finished("shared-b"));
    await expect.poll(() => recorded("shared-elsewhere")).toBe(1);
    await expect.poll(() => recorded("shared-b")).toBe(1);
    await expect.poll(() => v.row("shared-b")).toBeUndefined();
    expect(v.rows().map((r) => r.uid)).toEqual(["shared-a"]);
    expect(d.errors).toEqual([]);

    // The stream lets go of its share; the recorder's watch stays, and goes with the recorder.
    v.close();
    everywhere.release();
    expect(d.registry.stats()).toMatchObject({ active: 1, streams: 0 });
    d.jobRecorder.stop();
    expect(d.registry.stats()).toMatchObject({ active: 0 });
  });

  it("relists after 410 Gone: a pod gone meanwhile is recorded and leaves the rows, a new one comes", async () => {
    const d = dashboard();
    const source = d.sourceFor(ALL_NAMESPACES);
    source.items = [running("gone-a"), running("gone-stays"), running("gone-other", "ci")];
    await d.jobRecorder.reconcile();
    cleanups.push(() => d.jobRecorder.stop());
    const v = await viewer(d.registry);
    cleanups.push(v.close);
    await expect.poll(() => v.rows().length).toBe(2);
    await expect.poll(() => db.openJobPod.count({ where: { podUid: { startsWith: "gone-" } } })).toBe(3);

    // The watch window moved on: the API server ends the watch with 410; a relist finds changes.
    source.items = [running("gone-stays"), running("gone-new")];
    source.rv = "9";
    source.close({ statusCode: 410, message: "too old resource version" });

    // A running job pod deleted is a job the runner ended (lib/lifecycle): recorded, out of the table.
    await expect.poll(() => v.row("gone-a")).toBeUndefined();
    await expect.poll(() => v.row("gone-new")?.phase).toBe("Running");
    await expect.poll(() => recorded("gone-a")).toBe(1);
    await expect.poll(() => recorded("gone-other")).toBe(1);
    expect(await recorded("gone-stays")).toBe(0);
    expect(source.watchFrom.at(-1)).toBe("9");
    expect([...d.sources.keys()]).toEqual([ALL_NAMESPACES]);
  });

  it("reconnects after the API server was away: both see the outage and what changed during it", async () => {
    const d = dashboard();
    const source = d.sourceFor(ALL_NAMESPACES);
    source.items = [running("outage-a"), running("outage-b")];
    await d.jobRecorder.reconcile();
    cleanups.push(() => d.jobRecorder.stop());
    const v = await viewer(d.registry);
    cleanups.push(v.close);
    await expect.poll(() => v.rows().length).toBe(2);
    await expect.poll(() => db.openJobPod.count({ where: { podUid: { startsWith: "outage-" } } })).toBe(2);

    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });
    source.listError = refused;
    source.close(refused);
    await expect.poll(() => v.states.at(-1)).toBe("reconnecting");
    // While it is away, one job ends and its pod goes; another starts.
    source.items = [running("outage-b", "gitlab-runner", "7"), running("outage-c")];
    source.listError = null;

    await expect.poll(() => v.states.at(-1), { timeout: 5_000 }).toBe("live");
    await expect.poll(() => v.row("outage-a")).toBeUndefined();
    await expect.poll(() => v.row("outage-b")?.resourceVersion).toBe("7");
    await expect.poll(() => v.row("outage-c")?.phase).toBe("Running");
    await expect.poll(() => recorded("outage-a")).toBe(1);
    expect(await recorded("outage-b")).toBe(0);
    expect(d.registry.stats()).toMatchObject({ active: 1, created: 1 });
  });

  it("without the recorder's watch, a namespace's stream has its own; a later one shares the recorder's", async () => {
    const d = dashboard();
    d.sourceFor("gitlab-runner").items = [running("own-a")];
    d.sourceFor(ALL_NAMESPACES).items = [running("own-a")];
    const early = await viewer(d.registry);
    await expect.poll(() => early.rows().length).toBe(1);
    expect([...d.sources.keys()]).toEqual(["gitlab-runner", ALL_NAMESPACES]);
    expect(d.registry.stats()).toMatchObject({ active: 1 });

    await d.jobRecorder.reconcile();
    cleanups.push(() => d.jobRecorder.stop());
    // The early stream keeps its own watch while it is viewed (two for now)...
    expect(d.registry.stats()).toMatchObject({ active: 2 });
    early.close();
    // ...and the next stream of that namespace reads the recorder's.
    const later = await viewer(d.registry);
    cleanups.push(later.close);
    await expect.poll(() => later.rows().map((r) => r.uid)).toEqual(["own-a"]);
    expect(d.registry.stats()).toMatchObject({ active: 1, streams: 1 });
  });
});
