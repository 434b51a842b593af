import { describe, expect, it } from "vitest";
import { encodeSseFrame, encodeSseFrameBytes } from "./sse";

/** Parses SSE text the way the WHATWG spec's EventSource does (enough of it for these frames). */
function parse(text: string) {
  return text
    .split("\n\n")
    .filter((block) => block && !block.startsWith(":"))
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const i = line.indexOf(": ");
        fields[line.slice(0, i)] =
          (fields[line.slice(0, i)] ? `${fields[line.slice(0, i)]}\n` : "") + line.slice(i + 2);
      }
      return fields;
    });
}

describe("encodeSseFrame", () => {
  it("writes id, event and one data line, and round-trips the message", () => {
    const message = {
      type: "status" as const,
      status: { state: "reconnecting" as const, since: 5, error: "line one\nline two" },
    };
    const text = encodeSseFrame({ id: "abc-3", message });
    expect(text.endsWith("\n\n")).toBe(true);
    expect(text.split("\n").filter((l) => l.startsWith("data: "))).toHaveLength(1);
    const [event] = parse(text);
    expect(event.id).toBe("abc-3");
    expect(event.event).toBe("status");
    expect(JSON.parse(event.data)).toEqual(message);
  });

  it("omits the id field when the frame has none, so the browser keeps its last id", () => {
    const text = encodeSseFrame({ message: { type: "changes", upserts: [], deletes: ["u"] } });
    expect(text).not.toContain("id:");
    expect(parse(text)[0].event).toBe("changes");
  });

  it("serializes a frame shared by many viewers once", () => {
    const frame = { id: "e-1", message: { type: "changes" as const, upserts: [], deletes: ["a"] } };
    const first = encodeSseFrame(frame);
    frame.message.deletes.push("mutated after the first encoding");
    expect(encodeSseFrame(frame)).toBe(first);
    expect(encodeSseFrame({ ...frame })).toContain("mutated");
  });
});

describe("encodeSseFrameBytes", () => {
  it("is the frame's text in UTF-8, encoded once per frame", () => {
    const frame = { id: "e-1", message: { type: "changes" as const, upserts: [], deletes: ["ü-1", "名-2"] } };
    const bytes = encodeSseFrameBytes(frame);
    expect(new TextDecoder().decode(bytes)).toBe(encodeSseFrame(frame));
    expect(encodeSseFrameBytes(frame)).toBe(bytes);
    expect(encodeSseFrameBytes({ ...frame })).not.toBe(bytes);
  });
});
