"use client";

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { applyUpdate } from "@/lib/monitor/apply-update";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import type { ConnectionStatus, StreamMessage } from "@/lib/monitor/protocol";
import { monitorKeys } from "./query-keys";
import { handleStreamErrors } from "./stream-errors";

/**
 * The page's one EventSource. Its messages patch the react-query cache through applyUpdate;
 * EventSource reconnects by itself and sends Last-Event-ID, so a short drop only replays what
 * was missed. While it is down the status says so: the rows stay, marked stale.
 */
export function useMonitorStream(
  cluster: string,
  namespace: string,
): { pods: PodSummary[] | undefined; status: ConnectionStatus } {
  const queryClient = useQueryClient();
  const key = monitorKeys.pods(cluster, namespace);
  const { data } = useQuery<PodSummary[]>({ queryKey: key, queryFn: skipToken, staleTime: Infinity, gcTime: 0 });
  const [status, setStatus] = useState<ConnectionStatus>({ state: "connecting", since: 0 });
  // Bumped to open a new EventSource when the browser has given up on the old one.
  const [reopen, setReopen] = useState(0);

  useEffect(() => {
    const params = new URLSearchParams({ cluster, namespace });
    const source = new EventSource(`/api/monitor/stream?${params}`);
    // Messages are applied once per animation frame (or after 250 ms in a hidden tab, where
    // frames stop): one re-render however many batches arrived in between.
    let queue: StreamMessage[] = [];
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      const messages = queue;
      queue = [];
      queryClient.setQueryData<PodSummary[]>(key, (old) => messages.reduce(applyUpdate, old ?? []));
      const lastStatus = messages.findLast(
        (m): m is Exclude<StreamMessage, { type: "changes" }> => m.type !== "changes",
      );
      if (lastStatus) setStatus(lastStatus.status);
    };
    const onMessage = (event: MessageEvent<string>) => {
      queue.push(JSON.parse(event.data) as StreamMessage);
      if (frame) return;
      frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, 250);
    };
    for (const type of ["snapshot", "changes", "status"]) source.addEventListener(type, onMessage as EventListener);
    const stopHandlingErrors = handleStreamErrors(source, setStatus, () => setReopen((n) => n + 1));
    return () => {
      stopHandlingErrors();
      source.close();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
    // key is derived from cluster and namespace.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, namespace, queryClient, reopen]);

  return { pods: data, status };
}
