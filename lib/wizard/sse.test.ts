import { describe, expect, it } from "vitest";
import { sseFrame } from "./run-request.server";
import { takeSseEvents } from "./sse";

describe("takeSseEvents", () => {
  it.each([
    ["one complete event", 'data: {"a":1}\n\n', ['{"a":1}'], ""],
    ["an unfinished event stays in the buffer", 'data: {"a":1}\n\ndata: {"b"', ['{"a":1}'], 'data: {"b"'],
    ["comments and other fields are ignored", ': ping\n\nevent: x\ndata: 1\n\n', ["1"], ""],
    ["multi-line data is joined", "data: a\ndata: b\n\n", ["a\nb"], ""],
  ])("%s", (_name, buffer, events, rest) => {
    expect(takeSseEvents(buffer)).toEqual({ events, rest });
  });

  it("reads what the server writes, split at any point", () => {
    const event = { type: "done" as const, ok: true, results: [] };
    const text = sseFrame(event) + sseFrame(event);
    for (let cut = 0; cut <= text.length; cut++) {
      const first = takeSseEvents(text.slice(0, cut));
      const second = takeSseEvents(first.rest + text.slice(cut));
      expect([...first.events, ...second.events].map((e) => JSON.parse(e))).toEqual([event, event]);
    }
  });
});
