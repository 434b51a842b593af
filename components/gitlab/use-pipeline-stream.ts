"use client";

import { useEffect, useState } from "react";
import type { PipelineDetail } from "@/lib/gitlab/pipelines.server";
import type { ConnectionStatus } from "@/lib/monitor/protocol";
import { handleStreamErrors } from "@/components/monitor/stream-errors";

/**
 * An open pipeline page's stream (GET /api/pipelines/:gitlab/:id/stream): the stored view after every
 * change, and whether it is live. Null until the first view arrives; while the stream is down the
 * status says so from the moment it broke, and the last view stays, marked stale.
 */
export function usePipelineStream(
  gitlabConnectionId: string,
  pipelineId: number,
): { live: PipelineDetail | null; status: ConnectionStatus } {
  const [live, setLive] = useState<PipelineDetail | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>({ state: "connecting", since: 0 });
  // Bumped to open a new EventSource when the browser has given up on the old one.
  const [reopen, setReopen] = useState(0);

  useEffect(() => {
    const source = new EventSource(`/api/pipelines/${gitlabConnectionId}/${pipelineId}/stream`);
    source.addEventListener("pipeline", (event) => setLive(JSON.parse(event.data) as PipelineDetail));
    source.addEventListener("status", (event) => setStatus(JSON.parse(event.data) as ConnectionStatus));
    const stopHandlingErrors = handleStreamErrors(source, setStatus, () => setReopen((n) => n + 1));
    return () => {
      stopHandlingErrors();
      source.close();
    };
  }, [gitlabConnectionId, pipelineId, reopen]);

  return { live, status };
}
