import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { applyUpdate } from "./apply-update";
import type { PodSummary } from "./pod-summary";
import { PodStream, type StreamFrame } from "./pod-stream";
import { FakeSource } from "./testing/fake-source";
import { jobPod } from "./testing/pods";
import { WatchCache } from "./watch-cache";

const book = DEFAULT_PRICE_BOOKS.cn;

async function settle() {
  await vi.advanceTimersByTimeAsync(0);
}

describe("PodStream", () => {
  let source: FakeSource<Pod>;
  let stream: PodStream;

  beforeEach(async () => {
    vi.useFakeTimers();
    source = new FakeSource<Pod>();
    source.items = [jobPod("a", "1", "Running", { started: "2026-01-01T00:00:05Z" })];
    stream = new PodStream(new WatchCache(source, { backoff: { initialMs: 50, maxMs: 100 } }), book, {
      flushMs: 50,
      bufferSize: 3,
    });
    stream.start();
    await settle();
  });
  afterEach(() => {
    stream.stop();
    vi.useRealTimers();
  });

  function viewer(lastEventId: string | null = null) {
    const frames: StreamFrame[] = [];
    let rows: PodSummary[] = [];
    const stop = stream.connect(lastEventId, (frame) => {
      frames.push(frame);
      rows = applyUpdate(rows, frame.message);
    });
    return { frames, rows: () => rows, stop, lastId: () => frames.filter((f) => f.id).at(-1)?.id ?? null };
  }

  it("starts every viewer with a snapshot of slim rows (no env values, no managedFields)", () => {
    const v = viewer();
    expect(v.frames[0].message.type).toBe("snapshot");
    expect(v.rows().map((r) => r.uid)).toEqual(["a"]);
    const json = JSON.stringify(v.frames[0]);
    expect(json).not.toContain("secret-token");
    expect(json).not.toContain("managedFields");
    expect(v.rows()[0]).toMatchObject({ jobId: "42", projectPath: "group/app", spec: { vcpu: 2, memoryGiB: 4 } });
  });

  it("sends a change after a quiet spell at once, and coalesces changes within the window after a batch", async () => {
    await vi.advanceTimersByTimeAsync(50); // past the window of the initial list's batch
    const v = viewer();
    source.push("MODIFIED", jobPod("a", "2", "Running"));
    await vi.advanceTimersByTimeAsync(0);
    expect(v.frames).toHaveLength(2);
    source.push("MODIFIED", jobPod("a", "3", "Running"));
    source.push("MODIFIED", jobPod("a", "4", "Running"));
    source.push("ADDED", jobPod("b", "5", "Pending"));
    await vi.advanceTimersByTimeAsync(49);
    expect(v.frames).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(v.frames).toHaveLength(3);
    expect(v.frames[2].message).toMatchObject({ type: "changes", deletes: [] });
    expect((v.frames[2].message as { upserts: unknown[] }).upserts).toHaveLength(2);
    expect(v.rows().map((r) => `${r.uid}@${r.resourceVersion}`)).toEqual(["a@4", "b@5"]);
  });

  it("resumes from Last-Event-ID with only the missed batches, and snapshots after a gap", async () => {
    const first = viewer();
    first.stop();
    const resumeFrom = first.lastId();
    for (let i = 2; i <= 3; i++) {
      source.push("MODIFIED", jobPod("a", String(i), "Running"));
      await vi.advanceTimersByTimeAsync(50);
    }
    const resumed = viewer(resumeFrom);
    expect(resumed.frames.map((f) => f.message.type)).toEqual(["changes", "changes", "status"]);

    for (let i = 4; i <= 8; i++) {
      source.push("MODIFIED", jobPod("a", String(i), "Running"));
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(viewer(resumeFrom).frames[0].message.type).toBe("snapshot");
    expect(viewer("otherepoch-1").frames[0].message.type).toBe("snapshot");
    expect(viewer(`${stream.epoch}-999`).frames[0].message.type).toBe("snapshot");
  });

  it("bounds the resume buffer by changes held: an id behind more than that gets a snapshot, the newest batch always stays", async () => {
    stream.stop();
    source = new FakeSource<Pod>();
    stream = new PodStream(new WatchCache(source, { backoff: { initialMs: 50, maxMs: 100 } }), book, {
      flushMs: 50,
      bufferSize: 100,
      bufferChanges: 3,
    });
    stream.start();
    await settle();
    const ids: Array<string | null> = [viewer().lastId()];
    const batch = async (...pods: Array<[string, string]>) => {
      for (const [uid, rv] of pods) source.push("MODIFIED", jobPod(uid, rv, "Running"));
      await vi.advanceTimersByTimeAsync(50);
      ids.push(viewer().lastId());
    };
    await batch(["a", "1"], ["b", "2"]);
    await batch(["c", "3"], ["d", "4"]); // 4 changes held > 3: the first batch goes
    const resumed = viewer(ids[1]);
    expect(resumed.frames.map((f) => f.message.type)).toEqual(["changes", "status"]);
    expect(viewer(ids[0]).frames[0].message.type).toBe("snapshot");

    await batch(["a", "5"], ["b", "6"], ["c", "7"], ["d", "8"]); // alone over the limit, still kept
    const afterBig = viewer(ids[2]);
    expect(afterBig.frames[0].message).toMatchObject({ type: "changes" });
    expect((afterBig.frames[0].message as { upserts: unknown[] }).upserts).toHaveLength(4);
    expect(viewer(ids[1]).frames[0].message.type).toBe("snapshot");
  });

  it("gives viewers arriving at the same batch one shared snapshot frame, and a new one after a batch or status change", async () => {
    await vi.advanceTimersByTimeAsync(50);
    const first = viewer();
    const second = viewer();
    expect(second.frames[0]).toBe(first.frames[0]);

    // Between a change and its batch, a late viewer may get the older shared snapshot: the
    // pending batch brings it to the same rows as everyone else.
    source.push("MODIFIED", jobPod("a", "2", "Running"));
    source.push("ADDED", jobPod("b", "3", "Pending"));
    const between = viewer();
    await vi.advanceTimersByTimeAsync(50);
    const after = viewer();
    expect(after.frames[0]).not.toBe(first.frames[0]);
    expect(after.frames[0].id).not.toBe(first.frames[0].id);
    for (const v of [first, second, between, after])
      expect(v.rows().map((r) => `${r.uid}@${r.resourceVersion}`)).toEqual(["a@2", "b@3"]);

    source.listError = new Error("connection refused");
    source.close(new Error("socket hang up"));
    await settle();
    const stale = viewer();
    expect(stale.frames[0]).not.toBe(after.frames[0]);
    expect(stale.frames[0].message).toMatchObject({ type: "snapshot", status: { state: "reconnecting" } });
  });

  it("keeps an evicted job pod as Vanished, and drops the ones the runner deleted (finished jobs)", async () => {
    source.push(
      "ADDED",
      jobPod("done", "5", "Succeeded", { started: "2026-01-01T00:00:00Z", finished: "2026-01-01T00:01:00Z" }),
    );
    await vi.advanceTimersByTimeAsync(50);
    const v = viewer();
    const deletedAt = Date.now();
    const evicted = jobPod("a", "6", "Running");
    evicted.status!.conditions = [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }];
    source.push("DELETED", evicted);
    source.push("DELETED", jobPod("b", "6", "Running"));
    source.push("DELETED", jobPod("done", "7", "Succeeded", { finished: "2026-01-01T00:01:00Z" }));
    await vi.advanceTimersByTimeAsync(50);
    expect(v.rows().map((r) => `${r.uid}:${r.phase}`)).toEqual(["a:Vanished"]);
    expect(v.rows()[0].goneAt).toBe(deletedAt);
    expect(v.rows()[0].cost.billingEnd).toBe(deletedAt);
  });

  it("tells viewers when the upstream goes stale", async () => {
    const v = viewer();
    source.listError = new Error("connection refused");
    source.close(new Error("socket hang up"));
    await settle();
    expect(v.frames.at(-1)?.message).toMatchObject({ type: "status", status: { state: "reconnecting" } });
    source.listError = null;
    await vi.advanceTimersByTimeAsync(200);
    expect(v.frames.filter((f) => f.message.type === "status").at(-1)?.message).toMatchObject({
      status: { state: "live" },
    });
  });
});

describe("PodStream, edge by edge", () => {
  let source: FakeSource<Pod>;
  let cache: WatchCache<Pod>;
  let stream: PodStream;

  beforeEach(() => {
    vi.useFakeTimers();
    source = new FakeSource<Pod>();
    cache = new WatchCache(source, { backoff: { initialMs: 50, maxMs: 100 } });
  });
  afterEach(() => {
    stream.stop();
    vi.useRealTimers();
  });

  function collect(lastEventId: string | null = null) {
    const frames: StreamFrame[] = [];
    const stop = stream.connect(lastEventId, (frame) => frames.push(frame));
    return { frames, stop };
  }

  /** A pod that is not a CI job's (no runner labels). */
  function plainPod(uid: string, rv: string): Pod {
    const pod = jobPod(uid, rv, "Running");
    pod.metadata!.labels = {};
    pod.metadata!.annotations = { "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi" };
    return pod;
  }

  it("starts from what the cache already holds, subscribes once, and counts its viewers", async () => {
    source.items = [jobPod("a", "1", "Running")];
    cache.start();
    await settle();
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    stream.start();
    expect(stream.pods().map((p) => p.uid)).toEqual(["a"]);
    const first = collect();
    const second = collect();
    expect(stream.viewerCount).toBe(2);
    first.stop();
    expect(stream.viewerCount).toBe(1);
    source.push("ADDED", jobPod("b", "2", "Pending"));
    await vi.advanceTimersByTimeAsync(50);
    // One subscription to the cache: one batch, with b once.
    expect(second.frames.map((f) => f.message.type)).toEqual(["snapshot", "changes"]);
    expect((second.frames[1].message as { upserts: PodSummary[] }).upserts.map((p) => p.uid)).toEqual(["a", "b"]);
    expect(first.frames).toHaveLength(1);
  });

  it("stop() ends everything: no more batches, no viewers, the cache stopped", async () => {
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await settle();
    const v = collect();
    source.push("ADDED", jobPod("a", "1", "Running"));
    stream.stop();
    expect(stream.viewerCount).toBe(0);
    expect(source.wasAborted(0)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(v.frames.map((f) => f.message.type)).toEqual(["snapshot"]);
  });

  it("sends nothing for a flush without changes, and forwards status changes without an id", async () => {
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await settle();
    const v = collect();
    stream.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(v.frames).toHaveLength(1);
    source.listError = new Error("refused");
    source.close(new Error("socket hang up"));
    await settle();
    expect(v.frames[1]).toEqual({ message: { type: "status", status: stream.status } });
    expect(v.frames[1].id).toBeUndefined();
  });

  it("numbers batches <epoch>-<seq>, and resumes from the current id with only the status", async () => {
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await settle();
    const v = collect();
    expect(v.frames[0].id).toBe(`${stream.epoch}-0`);
    source.push("ADDED", jobPod("a", "1", "Running"));
    await vi.advanceTimersByTimeAsync(50);
    expect(v.frames[1].id).toBe(`${stream.epoch}-1`);
    const resumed = collect(`${stream.epoch}-1`);
    expect(resumed.frames).toEqual([{ message: { type: "status", status: stream.status } }]);
    // Ids that are not ours get a snapshot.
    for (const id of ["", `${stream.epoch}-x`, `${stream.epoch}-1-2`, `x${stream.epoch}-1`, `${stream.epoch}-2`]) {
      expect(collect(id).frames[0].message.type, id).toBe("snapshot");
    }
  });

  it("resumes from the batch just before the oldest kept one, and snapshots from further back", async () => {
    stream = new PodStream(cache, book, { flushMs: 50, bufferSize: 2 });
    stream.start();
    await settle();
    for (let i = 1; i <= 4; i++) {
      source.push("ADDED", jobPod(`p${i}`, String(i), "Running"));
      await vi.advanceTimersByTimeAsync(50);
    }
    // Batches 3 and 4 are kept.
    expect(collect(`${stream.epoch}-2`).frames.map((f) => f.id ?? "status")).toEqual([
      `${stream.epoch}-3`,
      `${stream.epoch}-4`,
      "status",
    ]);
    expect(collect(`${stream.epoch}-1`).frames[0].message.type).toBe("snapshot");
  });

  it("a pod deleted and added again within one window is one upsert; added then deleted is one delete", async () => {
    source.items = [jobPod("a", "1", "Running"), plainPod("n", "1")];
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await vi.advanceTimersByTimeAsync(50);
    const v = collect();
    source.push("DELETED", plainPod("n", "2"));
    source.push("ADDED", plainPod("n", "3"));
    source.push("ADDED", jobPod("b", "4", "Running"));
    source.push("DELETED", jobPod("b", "5", "Running"));
    await vi.advanceTimersByTimeAsync(50);
    const batch = v.frames[1].message as { upserts: PodSummary[]; deletes: string[] };
    expect(batch.upserts.map((p) => `${p.uid}@${p.resourceVersion}`)).toEqual(["n@3"]);
    expect(batch.deletes).toEqual(["b"]);
  });

  it("drops a deleted pod that is no CI job's, and a Vanished job pod's row leaves when it comes back", async () => {
    source.items = [plainPod("n", "1")];
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await vi.advanceTimersByTimeAsync(50);
    source.push("DELETED", plainPod("n", "2"));
    const evicted = jobPod("a", "3", "Running");
    evicted.status!.conditions = [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }];
    source.push("ADDED", jobPod("a", "2", "Running"));
    await vi.advanceTimersByTimeAsync(50);
    source.push("DELETED", evicted);
    await vi.advanceTimersByTimeAsync(50);
    expect(stream.pods().map((p) => `${p.uid}:${p.phase}`)).toEqual(["a:Vanished"]);
    source.push("ADDED", jobPod("a", "4", "Running"));
    await vi.advanceTimersByTimeAsync(50);
    expect(stream.pods().map((p) => `${p.uid}:${p.phase}`)).toEqual(["a:Running"]);
  });

  it("keeps a Vanished row for tombstoneMs, then deletes it in a batch", async () => {
    let now = Date.parse("2026-01-01T01:00:00Z");
    source.items = [jobPod("a", "1", "Running")];
    stream = new PodStream(cache, book, { flushMs: 50, tombstoneMs: 1000, now: () => now });
    stream.start();
    await vi.advanceTimersByTimeAsync(50);
    const evicted = jobPod("a", "2", "Running");
    evicted.status!.conditions = [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }];
    source.push("DELETED", evicted);
    await vi.advanceTimersByTimeAsync(50);
    const v = collect();
    expect(stream.pods().map((p) => p.phase)).toEqual(["Vanished"]);
    now += 999;
    await vi.advanceTimersByTimeAsync(1000);
    expect(stream.pods().map((p) => p.phase)).toEqual(["Vanished"]);
    now += 1;
    await vi.advanceTimersByTimeAsync(1000);
    expect(stream.pods()).toEqual([]);
    expect(v.frames.at(-1)?.message).toMatchObject({ type: "changes", upserts: [], deletes: ["a"] });
  });

  it("sweeps at least once a minute, whatever tombstoneMs", async () => {
    let now = Date.parse("2026-01-01T01:00:00Z");
    source.items = [jobPod("a", "1", "Running")];
    stream = new PodStream(cache, book, { flushMs: 50, tombstoneMs: 30 * 60_000, now: () => now });
    stream.start();
    await vi.advanceTimersByTimeAsync(50);
    const evicted = jobPod("a", "2", "Running");
    evicted.status!.conditions = [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }];
    source.push("DELETED", evicted);
    await vi.advanceTimersByTimeAsync(50);
    now += 30 * 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stream.pods()).toEqual([]);
  });

  it("prices pods without an ECI or ACS mark on the connection's default backend", async () => {
    const pod = plainPod("n", "1");
    pod.metadata!.annotations = {};
    pod.spec!.containers[0].resources = { requests: { cpu: "2", memory: "4Gi" } };
    source.items = [pod];
    stream = new PodStream(cache, book, { defaultBackend: "acs" });
    stream.start();
    await settle();
    expect(stream.pods()[0].placement.backend).toBe("acs");
    stream.stop();
    const eci = new PodStream(new WatchCache(source), book);
    eci.start();
    await settle();
    expect(eci.pods()[0].placement.backend).toBe("eci");
    eci.stop();
  });

  it("a second start() subscribes no second time: after stop(), a shared cache's changes no longer reach it", async () => {
    // A namespace's view of a cache someone else owns: stopping the stream leaves the cache running.
    cache.start();
    await settle();
    const shared = Object.assign(Object.create(cache) as WatchCache<Pod>, { start() {}, stop() {} });
    stream = new PodStream(shared, book, { flushMs: 50 });
    stream.start();
    stream.start();
    stream.stop();
    source.push("ADDED", jobPod("a", "1", "Running"));
    await vi.advanceTimersByTimeAsync(100);
    expect(stream.pods()).toEqual([]);
    cache.stop();
  });

  it("by default holds a change for at most 4 ms after the last batch, and sends one after a quiet spell on the next tick", async () => {
    stream = new PodStream(cache, book);
    stream.start();
    await settle();
    const v = collect();
    source.push("ADDED", jobPod("a", "1", "Running"));
    await settle();
    expect(v.frames).toHaveLength(2); // the leading edge: at once
    await vi.advanceTimersByTimeAsync(1);
    source.push("MODIFIED", jobPod("a", "2", "Running"));
    source.push("ADDED", jobPod("b", "3", "Pending"));
    await vi.advanceTimersByTimeAsync(2);
    expect(v.frames).toHaveLength(2); // 3 ms after the batch: still in its window
    await vi.advanceTimersByTimeAsync(1);
    expect(v.frames).toHaveLength(3); // 4 ms: both changes in one batch
    expect((v.frames[2].message as { upserts: PodSummary[] }).upserts.map((p) => p.uid)).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(4);
    source.push("MODIFIED", jobPod("b", "4", "Running"));
    await settle();
    expect(v.frames).toHaveLength(4); // a window after the last batch: at once again
  });

  it("by default keeps 2,048 batches for resumes (~8 s of a storm at one batch per 4 ms)", async () => {
    stream = new PodStream(cache, book);
    stream.start();
    await settle();
    const ids: string[] = [];
    const v = collect();
    for (let i = 1; i <= 2049; i++) {
      source.push("MODIFIED", jobPod("a", String(i), "Running"));
      stream.flush();
      ids.push(v.frames.at(-1)!.id!);
    }
    // 2,049 batches: the first left the ring. From batch 1's id, batches 2–2,049 are all there;
    // from batch 0's, batch 1 is missing, so a snapshot.
    expect(collect(ids[0]).frames).toHaveLength(2048 + 1); // the 2,048 batches, then the status
    expect(collect(`${stream.epoch}-0`).frames[0].message.type).toBe("snapshot");
  });

  it("leaves no timer behind once stopped, nor after a flush by hand", async () => {
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await settle();
    source.push("ADDED", jobPod("a", "1", "Running"));
    stream.flush();
    // The sweep's interval and the cache's open watch (no timer) remain, no pending flush.
    expect(vi.getTimerCount()).toBe(1);
    source.push("ADDED", jobPod("b", "2", "Running"));
    stream.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ignores the cache's 'synced' events: no reader failure is logged", async () => {
    const errors: string[] = [];
    cache = new WatchCache(source, { onError: (m) => errors.push(m) });
    source.items = [jobPod("a", "1", "Running")];
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await vi.advanceTimersByTimeAsync(50);
    source.close({ code: 410 });
    await vi.advanceTimersByTimeAsync(50);
    expect(cache.counters.lists).toBe(2);
    expect(errors).toEqual([]);
  });

  it("resumes from batch 0 before any batch, and from batch numbers of two digits", async () => {
    stream = new PodStream(cache, book, { flushMs: 50 });
    stream.start();
    await settle();
    expect(collect(`${stream.epoch}-0`).frames.map((f) => f.message.type)).toEqual(["status"]);
    for (let i = 1; i <= 12; i++) {
      source.push("ADDED", jobPod(`p${i}`, String(i), "Running"));
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(collect(`${stream.epoch}-10`).frames.map((f) => f.id ?? "status")).toEqual([
      `${stream.epoch}-11`,
      `${stream.epoch}-12`,
      "status",
    ]);
    // Only the whole id is read: junk before the epoch is no resume.
    expect(collect(`!${stream.epoch}-11`).frames[0].message.type).toBe("snapshot");
  });

  it("bounds the buffer by changes, deletions included, keeping exactly bufferChanges and no fewer", async () => {
    source.items = [jobPod("a", "1", "Running"), jobPod("b", "1", "Running")];
    stream = new PodStream(cache, book, { flushMs: 50, bufferSize: 100, bufferChanges: 4 });
    stream.start();
    await vi.advanceTimersByTimeAsync(50); // batch 1: a, b (2 changes)
    const id = (seq: number) => `${stream.epoch}-${seq}`;
    source.push("DELETED", jobPod("a", "2", "Running"));
    source.push("DELETED", jobPod("b", "2", "Running"));
    await vi.advanceTimersByTimeAsync(50); // batch 2: 2 deletions; 4 changes held, at the limit
    expect(collect(id(0)).frames.map((f) => f.id ?? "status")).toEqual([id(1), id(2), "status"]);
    source.push("ADDED", jobPod("c", "3", "Running"));
    await vi.advanceTimersByTimeAsync(50); // batch 3: 5 held, batch 1 goes: 3 held
    expect(collect(id(0)).frames[0].message.type).toBe("snapshot");
    source.push("ADDED", jobPod("d", "4", "Running"));
    await vi.advanceTimersByTimeAsync(50); // batch 4: 4 held, all kept
    expect(collect(id(1)).frames.map((f) => f.id ?? "status")).toEqual([id(2), id(3), id(4), "status"]);
  });

  it("leaves out a pod it cannot summarise at start, and keeps the others", async () => {
    source.items = [jobPod("a", "1", "Running")];
    cache.start();
    await settle();
    // A request that is no Kubernetes quantity: pricing it throws.
    const broken = jobPod("b", "1", "Running");
    broken.metadata!.annotations = {};
    broken.spec!.containers[0].resources = { requests: { cpu: "junk" } };
    const list = cache.list.bind(cache);
    cache.list = () => [...list(), broken];
    stream = new PodStream(cache, book, { flushMs: 50 });
    expect(() => stream.start()).not.toThrow();
    expect(stream.pods().map((p) => p.uid)).toEqual(["a"]);
  });
});
