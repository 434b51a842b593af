import { trackStream } from "@/lib/lifecycle";
import { metrics } from "@/lib/observability/metrics";
import { sseEvent } from "@/lib/sse";

/** The event a viewer gets when this replica shuts down; EventSource then reconnects (to another replica). */
export const RECONNECT_EVENT = sseEvent({ reason: "server-shutdown" }, { event: "reconnect" });

/**
 * Counts an open SSE viewer (askci_sse_viewers) and, on shutdown, tells it to reconnect and closes
 * it. Returns the function to call when the stream ends; calling it twice is harmless.
 */
export function trackViewer(
  stream: "monitor" | "pod-events" | "pipeline",
  write: (text: string) => void,
  close: () => void,
) {
  metrics().sseViewers.inc({ stream });
  const untrack = trackStream(() => {
    write(RECONNECT_EVENT);
    close();
  });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    untrack();
    metrics().sseViewers.dec({ stream });
  };
}
