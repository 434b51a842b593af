"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PodNotice } from "@/lib/monitor/pod-notices";
import { monitorKeys } from "./query-keys";

const NONE: readonly PodNotice[] = [];

/**
 * The platform's warnings about live pods (ECI's SpotToBeReleased, ACS's eviction notice): events,
 * not pod fields, so they are asked for beside the pod stream. ECI warns about 3 minutes ahead, so a
 * 10-second refresh leaves time to act.
 */
export function usePodNotices(cluster: string, namespace: string, enabled: boolean): readonly PodNotice[] {
  const query = useQuery({
    queryKey: monitorKeys.notices(cluster, namespace),
    queryFn: async () => {
      const params = new URLSearchParams({ cluster, namespace });
      const response = await fetch(`/api/monitor/notices?${params}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return ((await response.json()) as { notices: PodNotice[] }).notices;
    },
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  return query.data ?? NONE;
}
