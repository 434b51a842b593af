import type { PodSummary } from "./pod-summary";

/**
 * State of the upstream watch behind a stream. "stale" data is whatever was last seen before
 * `since`: shown, but never presented as live.
 */
export type ConnectionState = "connecting" | "live" | "reconnecting";

export interface ConnectionStatus {
  state: ConnectionState;
  /** Epoch ms: when this state began (for "reconnecting": when the data went stale). */
  since: number;
  /** Short message of the last error while reconnecting; never credentials. */
  error?: string;
}

export type StreamMessage =
  | { type: "snapshot"; pods: PodSummary[]; status: ConnectionStatus }
  | { type: "changes"; upserts: PodSummary[]; deletes: string[] }
  | { type: "status"; status: ConnectionStatus };
