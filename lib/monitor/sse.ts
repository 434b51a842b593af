import type { StreamFrame } from "./pod-stream";

/**
 * One Server-Sent Events message. The event name is the message type so the browser can tell
 * snapshots from batches without parsing; data is one line of JSON (JSON never contains a raw
 * newline, which would end the field).
 */
export function encodeSseFrame(frame: StreamFrame): string {
  let text = encoded.get(frame);
  if (text === undefined) {
    const id = frame.id ? `id: ${frame.id}\n` : "";
    text = `${id}event: ${frame.message.type}\ndata: ${JSON.stringify(frame.message)}\n\n`;
    encoded.set(frame, text);
  }
  return text;
}

// A batch is broadcast as one frame object to every viewer: serialize it once, not once per viewer.
const encoded = new WeakMap<StreamFrame, string>();

/** A comment line: keeps proxies from closing an idle stream; EventSource ignores it. */
export const SSE_HEARTBEAT = ": heartbeat\n\n";

/** Tells EventSource how long to wait before reconnecting after the stream drops. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}
