import { afterEach, describe, expect, it, vi } from "vitest";
import { takeSseEvents } from "@/lib/sse";
import { StoredViewWatch } from "./pipeline-watch";

/** A store the test changes by hand; reads can be held open to race a nudge against them. */
function fakeStore(initial: unknown) {
  const store = {
    value: initial as unknown,
    failing: null as Error | null,
    hold: null as Promise<void> | null,
    async read() {
      if (store.hold) await store.hold;
      if (store.failing) throw store.failing;
      return structuredClone(store.value);
    },
  };
  return store;
}

function viewer() {
  const frames: string[] = [];
  const write = (frame: string) => frames.push(frame);
  const parsed = () =>
    frames.flatMap((frame) => {
      const type = /^event: (\w+)/m.exec(frame)?.[1];
      return takeSseEvents(frame).events.map((data) => ({ type, data: JSON.parse(data) as unknown }));
    });
  return {
    frames,
    write,
    parsed,
    views: () =>
      parsed()
        .filter((m) => m.type === "pipeline")
        .map((m) => m.data),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("StoredViewWatch", () => {
  it("sends the view once per change to every viewer, encoded once", async () => {
    const store = fakeStore({ status: "running" });
    const watch = new StoredViewWatch(store.read, { now: () => 1_000 });
    const a = viewer();
    const b = viewer();
    watch.subscribe(a.write);
    watch.subscribe(b.write);
    await watch.check();
    await watch.check();
    store.value = { status: "success" };
    await watch.check();
    expect(a.views()).toEqual([{ status: "running" }, { status: "success" }]);
    expect(b.frames).toEqual(a.frames);
    expect(a.parsed().filter((m) => m.type === "status")).toEqual([
      { type: "status", data: { state: "connecting", since: 1_000 } },
      { type: "status", data: { state: "live", since: 1_000 } },
    ]);
  });

  it("gives a new viewer the current view and status at once", async () => {
    const store = fakeStore({ jobs: 3 });
    const watch = new StoredViewWatch(store.read);
    await watch.check();
    const late = viewer();
    watch.subscribe(late.write);
    expect(late.parsed().map((m) => m.type)).toEqual(["pipeline", "status"]);
    expect(late.views()).toEqual([{ jobs: 3 }]);
  });

  it("reads once more after a read that a nudge raced, so a change is never left behind", async () => {
    const store = fakeStore({ status: "pending" });
    const watch = new StoredViewWatch(store.read);
    const v = viewer();
    watch.subscribe(v.write);
    let release = () => {};
    store.hold = new Promise<void>((resolve) => (release = resolve));
    const first = watch.check();
    // The webhook stores its change while the read is under way, then nudges.
    store.value = { status: "running" };
    void watch.check();
    void watch.check();
    store.hold = null;
    release();
    await first;
    await vi.waitFor(() => expect(watch.reads).toBe(2));
    await vi.waitFor(() => expect(v.views().at(-1)).toEqual({ status: "running" }));
  });

  it("says the view is stale when the store cannot be read, without the error's text, and live again after", async () => {
    let now = 5_000;
    const store = fakeStore({ status: "running" });
    const watch = new StoredViewWatch(store.read, { now: () => now, describeError: () => "database unavailable" });
    const v = viewer();
    watch.subscribe(v.write);
    await watch.check();
    now = 6_000;
    store.failing = new Error("SELECT … WHERE token = 'glpat-secret'");
    await watch.check();
    now = 7_000;
    await watch.check();
    store.failing = null;
    now = 8_000;
    await watch.check();
    const statuses = v.parsed().filter((m) => m.type === "status");
    expect(statuses.map((m) => m.data)).toEqual([
      { state: "connecting", since: 5_000 },
      { state: "live", since: 5_000 },
      // Stale since the first failure; a second failure is not news.
      { state: "reconnecting", since: 6_000, error: "database unavailable" },
      { state: "live", since: 8_000 },
    ]);
    expect(v.frames.join("")).not.toContain("glpat");
    // The view did not change: it is not sent again on recovery.
    expect(v.views()).toHaveLength(1);
  });

  it("calls a pipeline that is no longer stored stale, keeping the last view", async () => {
    const store = fakeStore({ status: "running" });
    const watch = new StoredViewWatch(store.read);
    const v = viewer();
    watch.subscribe(v.write);
    await watch.check();
    store.value = null;
    await watch.check();
    expect(v.parsed().at(-1)).toMatchObject({ type: "status", data: { state: "reconnecting", error: "not stored" } });
    expect(v.views()).toEqual([{ status: "running" }]);
  });

  it("reads once per interval however many viewers, and stops when stopped", async () => {
    vi.useFakeTimers();
    const store = fakeStore({ n: 1 });
    const watch = new StoredViewWatch(store.read, { intervalMs: 300 });
    for (let i = 0; i < 100; i++) watch.subscribe(viewer().write);
    watch.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(watch.reads).toBe(11);
    watch.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(watch.reads).toBe(11);
  });

  it("lets a viewer leave", async () => {
    const store = fakeStore({ n: 1 });
    const watch = new StoredViewWatch(store.read);
    const v = viewer();
    const leave = watch.subscribe(v.write);
    expect(watch.viewerCount).toBe(1);
    leave();
    expect(watch.viewerCount).toBe(0);
    await watch.check();
    expect(v.views()).toEqual([]);
  });
});
