/**
 * One Server-Sent Event: optional id and event name, then the data as one line of JSON (JSON
 * never contains a raw newline, which would end the field). Without an id the browser keeps
 * its last one; without an event name it is a plain "message".
 */
export function sseEvent(data: unknown, fields: { id?: string; event?: string } = {}): string {
  const id = fields.id ? `id: ${fields.id}\n` : "";
  const event = fields.event ? `event: ${fields.event}\n` : "";
  return `${id}${event}data: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: keeps proxies from closing an idle stream; EventSource ignores it. */
export const SSE_HEARTBEAT = ": heartbeat\n\n";

/** Tells EventSource how long to wait before reconnecting after the stream drops. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

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
