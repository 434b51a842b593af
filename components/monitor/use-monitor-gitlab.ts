"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  collectMonitorGitlabFacts,
  pageRequestParams,
  type MonitorGitlabPage,
  type MonitorGitlabPageRequest,
} from "@/lib/gitlab/monitor-facts-pages";
import { gitlabFactsTrailPods, gitlabJobsByPod, monitorOrphans, podJobIds } from "@/lib/gitlab/monitor-orphans";
import type { ConnectionStatus } from "@/lib/monitor/protocol";
import type { PodSummary } from "@/lib/monitor/pod-summary";
import { monitorKeys } from "./query-keys";

const EMPTY_ORPHANS: ReturnType<typeof monitorOrphans> = { jobsWithoutPods: [], podsWithoutJobs: [] };

/**
 * The monitor's GitLab side: our runners as GitLab sees them, each live pod's GitLab job, and the
 * orphans both ways. Orphans are only judged on a live watch: rows that are still loading or stale
 * would make every running job look podless.
 */
export function useMonitorGitlab(
  cluster: string,
  namespace: string,
  pods: readonly PodSummary[] | undefined,
  stream: ConnectionStatus,
  now: number,
) {
  const jobIds = useMemo(() => podJobIds(pods ?? []), [pods]);
  const query = useQuery({
    queryKey: monitorKeys.gitlab(cluster, namespace, jobIds.join(",")),
    // Page by page (bounded requests), so every visible pod is joined to its job however many there are.
    queryFn: () =>
      collectMonitorGitlabFacts(jobIds, async (request: MonitorGitlabPageRequest) => {
        const params = new URLSearchParams({ cluster, namespace, ...pageRequestParams(request) });
        const response = await fetch(`/api/monitor/gitlab?${params}`, { cache: "no-store" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.json()) as MonitorGitlabPage;
      }),
    enabled: pods !== undefined,
    placeholderData: keepPreviousData,
    // Sooner while the facts trail a live job pod (its job unknown, or still pending while the pod
    // runs): the sync pass is about to read it.
    refetchInterval: (current) => (gitlabFactsTrailPods(pods ?? [], current.state.data) ? 10_000 : 30_000),
  });
  const facts = query.data;
  // Judged every 5 s: the grace windows are minutes long, and this keeps the panel still.
  const tick = Math.floor(now / 5_000);
  const orphans = useMemo(
    () =>
      facts && pods && stream.state === "live" ? monitorOrphans(pods, facts, new Date(tick * 5_000)) : EMPTY_ORPHANS,
    [facts, pods, stream.state, tick],
  );
  // Each live row's GitLab job (status, pipeline): the join the rows show.
  const jobsByPod = useMemo(() => gitlabJobsByPod(pods ?? [], facts), [pods, facts]);
  return { runners: facts?.runners ?? [], orphans, jobsByPod };
}
