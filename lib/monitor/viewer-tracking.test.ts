import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { beginShutdown, openStreams } from "@/lib/lifecycle";
import { metrics } from "@/lib/observability/metrics";
import { RECONNECT_EVENT, trackViewer } from "./viewer-tracking";

const viewers = async (stream: string) =>
  (await metrics().sseViewers.get()).values.find((v) => v.labels.stream === stream)?.value ?? 0;

// The lifecycle lives on globalThis; each test starts from a process that is not shutting down, and
// leaves none behind.
function resetLifecycle() {
  delete (globalThis as { askCiLifecycle?: unknown }).askCiLifecycle;
  metrics().sseViewers.reset();
}
beforeEach(resetLifecycle);
afterEach(resetLifecycle);

describe("trackViewer", () => {
  it("counts open viewers per stream, and the end of a stream once however often it is reported", async () => {
    const endMonitor = trackViewer(
      "monitor",
      () => {},
      () => {},
    );
    trackViewer(
      "monitor",
      () => {},
      () => {},
    );
    const endEvents = trackViewer(
      "pod-events",
      () => {},
      () => {},
    );
    expect(await viewers("monitor")).toBe(2);
    expect(await viewers("pod-events")).toBe(1);
    expect(openStreams()).toBe(3);

    endMonitor();
    endMonitor();
    endEvents();
    expect(await viewers("monitor")).toBe(1);
    expect(await viewers("pod-events")).toBe(0);
    expect(openStreams()).toBe(1);
  });

  it("on shutdown sends open viewers the reconnect event, then closes them; a viewer that ended is left alone", () => {
    const said: string[] = [];
    trackViewer(
      "pipeline",
      (text) => said.push(`open: ${text}`),
      () => said.push("open: closed"),
    );
    const end = trackViewer(
      "pipeline",
      (text) => said.push(`ended: ${text}`),
      () => said.push("ended: closed"),
    );
    end();

    beginShutdown();
    expect(said).toEqual([`open: ${RECONNECT_EVENT}`, "open: closed"]);
    expect(RECONNECT_EVENT).toBe('event: reconnect\ndata: {"reason":"server-shutdown"}\n\n');
  });

  it("a viewer arriving during shutdown is told to reconnect at once", async () => {
    beginShutdown();
    const said: string[] = [];
    const end = trackViewer(
      "monitor",
      (text) => said.push(text),
      () => said.push("closed"),
    );
    expect(said).toEqual([RECONNECT_EVENT, "closed"]);
    end();
    expect(await viewers("monitor")).toBe(0);
  });
});
