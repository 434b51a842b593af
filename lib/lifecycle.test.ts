import { describe, expect, it } from "vitest";
import { beginShutdown, isShuttingDown, onShutdown, openStreams, runShutdownSteps, trackStream } from "./lifecycle";

describe("lifecycle", () => {
  it("on shutdown tells open streams to reconnect, refuses new ones, and runs the steps in order", async () => {
    const told: string[] = [];
    const untrackA = trackStream(() => told.push("a"));
    trackStream(() => told.push("b"));
    untrackA(); // a stream that ended by itself is not told
    expect(openStreams()).toBe(1);
    expect(isShuttingDown()).toBe(false);

    beginShutdown();
    beginShutdown();
    expect(isShuttingDown()).toBe(true);
    expect(told).toEqual(["b"]);
    trackStream(() => told.push("late"));
    expect(told).toEqual(["b", "late"]);
    expect(openStreams()).toBe(0);

    const ran: string[] = [];
    const failed: string[] = [];
    onShutdown({ name: "first", run: () => void ran.push("first") });
    onShutdown({
      name: "broken",
      run: () => {
        throw new Error("boom");
      },
    });
    onShutdown({ name: "last", run: async () => void ran.push("last") });
    await runShutdownSteps((step) => failed.push(step));
    expect(ran).toEqual(["first", "last"]);
    expect(failed).toEqual(["broken"]);
  });
});
