import { describe, expect, it } from "vitest";
import { traceSelfTimes, type TraceEvent } from "./trace";

const main = (pid: number, tid: number): TraceEvent => ({
  name: "thread_name",
  ph: "M",
  ts: 0,
  pid,
  tid,
  args: { name: "CrRendererMain" },
});
const x = (name: string, ts: number, dur: number, tid = 1): TraceEvent => ({ name, ph: "X", ts, dur, pid: 1, tid });

describe("traceSelfTimes", () => {
  it("subtracts nested events from their parent's time, on the renderer main thread only", () => {
    const { busyMs, self } = traceSelfTimes([
      main(1, 1),
      x("RunTask", 0, 10_000),
      x("FunctionCall", 1_000, 6_000),
      x("Layout", 2_000, 1_000),
      x("ParseHTML", 20_000, 2_000),
      // Another thread: left out.
      x("RunTask", 0, 50_000, 2),
    ]);
    expect(busyMs).toBe(12);
    expect(new Map(self)).toEqual(
      new Map([
        ["RunTask", 4],
        ["FunctionCall", 5],
        ["Layout", 1],
        ["ParseHTML", 2],
      ]),
    );
    expect(self[0][0]).toBe("FunctionCall");
  });

  it("pairs begin and end events, and clamps a child that outlasts its parent", () => {
    const { busyMs, self } = traceSelfTimes([
      main(1, 1),
      { name: "EvaluateScript", ph: "B", ts: 0, pid: 1, tid: 1 },
      x("v8.compile", 500, 2_000),
      { name: "EvaluateScript", ph: "E", ts: 2_000, pid: 1, tid: 1 },
    ]);
    expect(busyMs).toBe(2);
    expect(new Map(self)).toEqual(
      new Map([
        ["EvaluateScript", 0.5],
        ["v8.compile", 1.5],
      ]),
    );
  });
});
