"use client";

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { applyUpdate } from "@/lib/monitor/apply-update";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import type { ConnectionStatus, StreamMessage } from "@/lib/monitor/protocol";
import { monitorKeys } from "./query-keys";

/**
 * The page's one EventSource. Its messages patch the react-query cache through applyUpdate;
 * EventSource reconnects by itself and sends Last-Event-ID, so a short drop only replays what
 * was missed. While it is down the status says so: the rows stay, marked stale.
 */
export function useMonitorStream(cluster: string, namespace: string): { pods: PodSummary[] | undefined; status: ConnectionStatus } {
  const queryClient = useQueryClient();
  const key = monitorKeys.pods(cluster, namespace);
  const { data } = useQuery<PodSummary[]>({ queryKey: key, queryFn: skipToken, staleTime: Infinity, gcTime: 0 });
  const [status, setStatus] = useState<ConnectionStatus>({ state: "connecting", since: 0 });

  useEffect(() => {
    const params = new URLSearchParams({ cluster, namespace });
    const source = new EventSource(`/api/monitor/stream?${params}`);
    const apply = (message: StreamMessage) => {
      queryClient.setQueryData<PodSummary[]>(key, (old) => applyUpdate(old ?? [], message));
      if (message.type !== "changes") setStatus(message.status);
    };
    const onMessage = (event: MessageEvent<string>) => apply(JSON.parse(event.data) as StreamMessage);
    for (const type of ["snapshot", "changes", "status"]) source.addEventListener(type, onMessage as EventListener);
    source.onerror = () => {
      // The browser is reconnecting: whatever we show is stale from this moment on.
      setStatus((current) => (current.state === "reconnecting" ? current : { state: "reconnecting", since: Date.now() }));
    };
    return () => source.close();
    // key is derived from cluster and namespace.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, namespace, queryClient]);

  return { pods: data, status };
}
