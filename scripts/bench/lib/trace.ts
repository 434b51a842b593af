/**
 * Chromium performance traces (Playwright's `browser.startTracing`) summarised for the monitor
 * benchmark: the renderer main thread's self time per trace event name (ParseHTML, Layout,
 * FunctionCall, EventDispatch, …), which says what a CPU profile's "(program)" was.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** The trace categories the summary reads (no sampling profiler: the benchmark runs V8's own). */
export const TRACE_CATEGORIES = [
  "-*",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "toplevel",
  "blink.user_timing",
];

/**
 * Self time (ms) per event name on the renderer main threads ("CrRendererMain"): each complete
 * ("X") or begin/end ("B"/"E") event's duration less that of the events nested in it on the same
 * thread. Returns the names with the most self time first, and the threads' busy total (top-level
 * events' durations).
 */
export function traceSelfTimes(events: readonly TraceEvent[]): { busyMs: number; self: Array<[string, number]> } {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  // Spans per thread from X events and matched B/E pairs.
  const spans = new Map<string, Array<{ name: string; start: number; end: number }>>();
  const open = new Map<string, Array<{ name: string; start: number }>>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (!mainThreads.has(thread)) continue;
    const list = spans.get(thread) ?? [];
    spans.set(thread, list);
    if (e.ph === "X" && e.dur !== undefined) list.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === "B") open.set(thread, [...(open.get(thread) ?? []), { name: e.name, start: e.ts }]);
    else if (e.ph === "E") {
      const begun = open.get(thread)?.pop();
      if (begun) list.push({ ...begun, end: e.ts });
    }
  }
  const self = new Map<string, number>();
  let busy = 0;
  for (const list of spans.values()) {
    // Parents before children: earlier start first, the longer one first on a tie.
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    const stack: Array<{ name: string; start: number; end: number; children: number }> = [];
    const close = (span: (typeof stack)[number]) => {
      self.set(span.name, (self.get(span.name) ?? 0) + (span.end - span.start - span.children) / 1000);
      const parent = stack.at(-1);
      if (parent) parent.children += span.end - span.start;
      else busy += (span.end - span.start) / 1000;
    };
    for (const span of list) {
      while (stack.length > 0 && stack.at(-1)!.end <= span.start) close(stack.pop()!);
      // A child never outlasts its parent (clamped, as trace clocks round).
      const parent = stack.at(-1);
      stack.push({ ...span, end: parent ? Math.min(span.end, parent.end) : span.end, children: 0 });
    }
    while (stack.length > 0) close(stack.pop()!);
  }
  return { busyMs: busy, self: [...self].sort((a, b) => b[1] - a[1]) };
}

/** traceSelfTimes as the benchmark prints it: `top` names. */
export function summarizeTrace(events: readonly TraceEvent[], top = 15): string {
  const { busyMs, self } = traceSelfTimes(events);
  return [
    `  renderer main thread busy ${busyMs.toFixed(0)} ms; self time by trace event:`,
    ...self.slice(0, top).map(([name, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${name}`),
  ].join("\n");
}
