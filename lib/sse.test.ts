import { describe, expect, it } from "vitest";
import { sseEvent, sseRetry, takeSseEvents } from "./sse";

describe("sseEvent", () => {
  it("writes one data line per event, ending with a blank line", () => {
    expect(sseEvent({ type: "done", ok: true, results: [] })).toBe('data: {"type":"done","ok":true,"results":[]}\n\n');
  });

  it.each([
    ["id and event name", { id: "abc-3", event: "status" }, "id: abc-3\nevent: status\ndata: 1\n\n"],
    ["event name only", { event: "events" }, "event: events\ndata: 1\n\n"],
    ["an empty id is left out", { id: "" }, "data: 1\n\n"],
  ])("%s", (_name, fields, text) => {
    expect(sseEvent(1, fields)).toBe(text);
  });

  it("keeps a newline inside the data on one line", () => {
    const text = sseEvent({ error: "line one\nline two" });
    expect(text.split("\n").filter((l) => l.startsWith("data: "))).toHaveLength(1);
  });
});

describe("sseRetry", () => {
  it("formats the retry field in whole milliseconds", () => {
    expect(sseRetry(1500.4)).toBe("retry: 1500\n\n");
  });
});

describe("takeSseEvents", () => {
  it.each([
    ["one complete event", 'data: {"a":1}\n\n', ['{"a":1}'], ""],
    ["an unfinished event stays in the buffer", 'data: {"a":1}\n\ndata: {"b"', ['{"a":1}'], 'data: {"b"'],
    ["comments and other fields are ignored", ": ping\n\nevent: x\ndata: 1\n\n", ["1"], ""],
    ["multi-line data is joined", "data: a\ndata: b\n\n", ["a\nb"], ""],
  ])("%s", (_name, buffer, events, rest) => {
    expect(takeSseEvents(buffer)).toEqual({ events, rest });
  });

  it("reads what sseEvent writes, split at any point", () => {
    const event = { type: "done" as const, ok: true, results: [] };
    const text = sseEvent(event) + sseEvent(event, { id: "7", event: "done" });
    for (let cut = 0; cut <= text.length; cut++) {
      const first = takeSseEvents(text.slice(0, cut));
      const second = takeSseEvents(first.rest + text.slice(cut));
      expect([...first.events, ...second.events].map((e) => JSON.parse(e))).toEqual([event, event]);
    }
  });
});
