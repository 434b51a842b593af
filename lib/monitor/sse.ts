import { sseEvent } from "@/lib/sse";
import type { StreamFrame } from "./pod-stream";

/**
 * One monitor stream frame as a Server-Sent Event. The event name is the message type so the
 * browser can tell snapshots from batches without parsing.
 */
export function encodeSseFrame(frame: StreamFrame): string {
  let text = encoded.get(frame);
  if (text === undefined) {
    text = sseEvent(frame.message, { id: frame.id, event: frame.message.type });
    encoded.set(frame, text);
  }
  return text;
}

// A batch is broadcast as one frame object to every viewer: serialize it once, not once per viewer.
const encoded = new WeakMap<StreamFrame, string>();
