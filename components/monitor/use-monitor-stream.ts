"use client";

import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { applyUpdate } from "@/lib/monitor/apply-update";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import type { ConnectionStatus, StreamMessage } from "@/lib/monitor/protocol";
import { handleStreamErrors } from "./stream-errors";

/**
 * The page's one EventSource. Its messages patch the rows through applyUpdate; EventSource
 * reconnects by itself and sends Last-Event-ID, so a short drop only replays what was missed.
 * While it is down the status says so: the rows stay, marked stale.
 *
 * The rows are this hook's state (no other component reads them), rendered synchronously where
 * they are applied: a batch in the animation frame that applies it, so the browser paints it in
 * that frame, and a snapshot as soon as it is parsed. Through react-query's cache each update
 * waited for the cache's notification timer as well (tens of ms on a busy page).
 */
export function useMonitorStream(
  cluster: string,
  namespace: string,
): { pods: PodSummary[] | undefined; status: ConnectionStatus } {
  const target = `${cluster}/${namespace}`;
  // Tagged with their target, so that another cluster or namespace never shows these rows.
  const [rows, setRows] = useState<{ target: string; pods: PodSummary[] } | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>({ state: "connecting", since: 0 });
  // Bumped to open a new EventSource when the browser has given up on the old one.
  const [reopen, setReopen] = useState(0);

  useEffect(() => {
    const target = `${cluster}/${namespace}`;
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
      const lastStatus = messages.findLast(
        (m): m is Exclude<StreamMessage, { type: "changes" }> => m.type !== "changes",
      );
      flushSync(() => {
        setRows((old) => ({ target, pods: messages.reduce(applyUpdate, old?.target === target ? old.pods : []) }));
        if (lastStatus) setStatus(lastStatus.status);
      });
    };
    const onMessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as StreamMessage;
      queue.push(message);
      // A snapshot replaces every row: shown at once rather than a frame later.
      if (message.type === "snapshot") return flush();
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
  }, [cluster, namespace, reopen]);

  return { pods: rows?.target === target ? rows.pods : undefined, status };
}
