import { describe, expect, it } from "vitest";
import {
  bridgeShell,
  parseClientMessage,
  type ExecHandlers,
  type SessionSummary,
  type ShellServerMessage,
} from "./bridge";

/** A manual clock: timers fire only when the test advances it. */
function manualTimer() {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void }> = [];
  return {
    now: () => now,
    setTimeout(callback: () => void, ms: number) {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers = timers.filter((t) => t !== timer);
        timer.callback();
      }
    },
  };
}

function harness(options: { openFails?: string } = {}) {
  const timer = manualTimer();
  const sent: ShellServerMessage[] = [];
  const written: string[] = [];
  const sizes: Array<[number, number]> = [];
  let browserClosed = false;
  let execClosed = false;
  let onMessage: (text: string) => void = () => {};
  let onClose: () => void = () => {};
  let handlers: ExecHandlers | undefined;
  let resolveOpen: () => void = () => {};
  const summaries: SessionSummary[] = [];
  bridgeShell({
    browser: {
      send: (m) => sent.push(m),
      close: () => (browserClosed = true),
      onMessage: (l) => (onMessage = l),
      onClose: (l) => (onClose = l),
    },
    limits: { idleMs: 60_000, maxMs: 600_000 },
    timer,
    open: (h) => {
      handlers = h;
      if (options.openFails) return Promise.reject(new Error(options.openFails));
      return new Promise((resolve) => {
        resolveOpen = () =>
          resolve({
            write: (d) => written.push(d),
            resize: (c, r) => sizes.push([c, r]),
            close: () => (execClosed = true),
          });
      });
    },
    onEnd: (s) => summaries.push(s),
  });
  return {
    timer,
    sent,
    written,
    sizes,
    summaries,
    type: (text: string) => onMessage(text),
    browserGone: () => onClose(),
    exec: () => handlers!,
    opened: async () => {
      resolveOpen();
      await new Promise((r) => setTimeout(r, 0));
    },
    closed: () => ({ browser: browserClosed, exec: execClosed }),
  };
}

describe("the terminal's session", () => {
  it("passes keystrokes typed before and after the stream opened, in order, and resizes", async () => {
    const h = harness();
    h.type(JSON.stringify({ type: "input", data: "l" }));
    await h.opened();
    h.type(JSON.stringify({ type: "input", data: "s\r" }));
    h.type(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    expect(h.written).toEqual(["l", "s\r"]);
    expect(h.sizes).toEqual([[120, 40]]);
  });

  it("sends output, then the exit code, and closes when the shell exits", async () => {
    const h = harness();
    await h.opened();
    h.exec().output("hello\r\n");
    h.timer.advance(5_000);
    h.exec().ended({ code: 3 });
    expect(h.sent).toEqual([
      { type: "output", data: "hello\r\n" },
      { type: "exit", reason: "exited", code: 3 },
    ]);
    expect(h.closed()).toEqual({ browser: true, exec: true });
    expect(h.summaries).toEqual([{ reason: "exited", code: 3, durationMs: 5_000 }]);
  });

  it("ends after the idle limit without keystrokes; output does not count as activity", async () => {
    const h = harness();
    await h.opened();
    h.timer.advance(50_000);
    h.type(JSON.stringify({ type: "input", data: "x" }));
    h.timer.advance(50_000);
    h.exec().output("still printing");
    expect(h.summaries).toEqual([]);
    h.timer.advance(10_000);
    expect(h.sent.at(-1)).toEqual({ type: "exit", reason: "idle" });
    expect(h.summaries).toEqual([{ reason: "idle", durationMs: 110_000 }]);
    expect(h.closed()).toEqual({ browser: true, exec: true });
  });

  it("ends at the total limit however busy it is", async () => {
    const h = harness();
    await h.opened();
    for (let i = 0; i < 20; i++) {
      h.timer.advance(30_000);
      h.type(JSON.stringify({ type: "input", data: "x" }));
    }
    expect(h.summaries).toEqual([{ reason: "time-limit", durationMs: 600_000 }]);
    expect(h.written.length).toBe(19);
  });

  it("closes the exec stream when the browser goes, without writing to it", async () => {
    const h = harness();
    await h.opened();
    h.browserGone();
    expect(h.closed()).toEqual({ browser: false, exec: true });
    expect(h.sent).toEqual([]);
    expect(h.summaries.map((s) => s.reason)).toEqual(["closed"]);
  });

  it("says why when the stream cannot open, and when it ends without an exit code", async () => {
    const failed = harness({ openFails: 'pods "x" is forbidden' });
    await failed.opened();
    expect(failed.sent).toEqual([{ type: "exit", reason: "error", message: 'pods "x" is forbidden' }]);
    const dropped = harness();
    await dropped.opened();
    dropped.exec().ended({ message: "The cluster closed the connection" });
    expect(dropped.summaries[0]).toMatchObject({ reason: "error", message: "The cluster closed the connection" });
  });
});

describe("messages from the browser", () => {
  it("accepts input and sane sizes only", () => {
    expect(parseClientMessage('{"type":"input","data":"ls\\r"}')).toEqual({ type: "input", data: "ls\r" });
    expect(parseClientMessage('{"type":"resize","cols":80,"rows":24}')).toEqual({ type: "resize", cols: 80, rows: 24 });
    for (const bad of [
      "not json",
      "null",
      '{"type":"input","data":5}',
      '{"type":"resize","cols":0,"rows":24}',
      '{"type":"resize","cols":80.5,"rows":24}',
      '{"type":"resize","cols":100000,"rows":24}',
      '{"type":"exec","command":"rm -rf /"}',
      JSON.stringify({ type: "input", data: "x".repeat(70_000) }),
    ])
      expect(parseClientMessage(bad), bad).toBeUndefined();
  });
});
