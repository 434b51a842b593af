// @vitest-environment happy-dom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import { useMonitorStream } from "./use-monitor-stream";

/** The hook's EventSource, driven by the test. */
class FakeEventSource {
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = 1;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, Array<(event: { data: string }) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, listener: (event: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  /** Outside act(), as the browser calls it: the hook must render by itself. */
  emit(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
  }
}

const pod = (uid: string, resourceVersion = "1") => ({ uid, resourceVersion }) as PodSummary;
let frames: Array<() => void> = [];

beforeEach(() => {
  FakeEventSource.all = [];
  frames = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.stubGlobal("requestAnimationFrame", (callback: () => void) => frames.push(callback));
  vi.stubGlobal("cancelAnimationFrame", () => {});
  // The hook's updates are rendered synchronously (flushSync), as in the browser, not batched by act.
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

describe("useMonitorStream", () => {
  it("shows a snapshot as soon as it arrives, and change batches in the next animation frame", () => {
    const { result } = renderHook(() => useMonitorStream("c1", "ci"));
    const source = FakeEventSource.all[0];
    expect(source.url).toBe("/api/monitor/stream?cluster=c1&namespace=ci");
    expect(result.current.pods).toBeUndefined();

    source.emit("snapshot", { type: "snapshot", pods: [pod("a"), pod("b")], status: { state: "live", since: 5 } });
    // Rendered without waiting for a frame.
    expect(result.current.pods?.map((p) => p.uid)).toEqual(["a", "b"]);
    expect(result.current.status).toEqual({ state: "live", since: 5 });

    source.emit("changes", { type: "changes", upserts: [pod("b", "2")], deletes: [] });
    source.emit("changes", { type: "changes", upserts: [pod("c")], deletes: ["a"] });
    expect(result.current.pods?.map((p) => p.uid)).toEqual(["a", "b"]);
    expect(frames).toHaveLength(1);
    frames[0]();
    // Both batches in one render.
    expect(result.current.pods?.map((p) => `${p.uid}@${p.resourceVersion}`)).toEqual(["b@2", "c@1"]);
  });

  it("keeps the rows, marked stale, while the stream is down, and never shows them for another target", () => {
    const { result, rerender } = renderHook(({ namespace }) => useMonitorStream("c1", namespace), {
      initialProps: { namespace: "ci" },
    });
    const first = FakeEventSource.all[0];
    first.emit("snapshot", { type: "snapshot", pods: [pod("a")], status: { state: "live", since: 5 } });
    act(() => first.onerror?.());
    expect(result.current.status.state).toBe("reconnecting");
    expect(result.current.pods?.map((p) => p.uid)).toEqual(["a"]);

    act(() => rerender({ namespace: "other" }));
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.all).toHaveLength(2);
    expect(FakeEventSource.all[1].url).toBe("/api/monitor/stream?cluster=c1&namespace=other");
    expect(result.current.pods).toBeUndefined();
  });
});
