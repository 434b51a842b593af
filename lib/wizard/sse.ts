/**
 * Splits a Server-Sent Events buffer into complete `data:` payloads and the unfinished rest,
 * for reading a POST response stream (EventSource can only GET).
 */
export function takeSseEvents(buffer: string): { events: string[]; rest: string } {
  const frames = buffer.split("\n\n");
  const rest = frames.pop() ?? "";
  const events = frames
    .map((frame) =>
      frame
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n"),
    )
    .filter((data) => data.length > 0);
  return { events, rest };
}
