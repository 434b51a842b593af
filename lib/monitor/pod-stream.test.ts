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
