import type { Dispatch, SetStateAction } from "react";
import type { ConnectionStatus } from "@/lib/monitor/protocol";

/**
 * What a page's EventSource does when it errs: whatever the page shows is stale from that moment
 * (the status says since when), and when the browser has given up for good — an answer that is not
 * an event stream, such as a proxy's 502 or a 503 while the dashboard restarts — `reopen` is asked
 * for after 2 s, as EventSource itself would have retried. Returns the clean-up for the effect.
 */
export function handleStreamErrors(
  source: EventSource,
  setStatus: Dispatch<SetStateAction<ConnectionStatus>>,
  reopen: () => void,
): () => void {
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  source.onerror = () => {
    setStatus((current) => (current.state === "reconnecting" ? current : { state: "reconnecting", since: Date.now() }));
    if (source.readyState === EventSource.CLOSED) reopenTimer ??= setTimeout(reopen, 2_000);
  };
  return () => clearTimeout(reopenTimer);
}
