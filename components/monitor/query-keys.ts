import type { HistoryFilters } from "./history-filters";

/** Every react-query key of the monitor page comes from here, so invalidations cannot drift. */
export const monitorKeys = {
  all: ["monitor"] as const,
  detail: (cluster: string, namespace: string, name: string, resourceVersion: string) =>
    ["monitor", "detail", cluster, namespace, name, resourceVersion] as const,
  today: (cluster: string) => ["monitor", "today", cluster] as const,
  runner: (cluster: string, namespace: string, name: string) =>
    ["monitor", "runner", cluster, namespace, name] as const,
  gitlab: (cluster: string, namespace: string, jobIds: string) =>
    ["monitor", "gitlab", cluster, namespace, jobIds] as const,
  notices: (cluster: string, namespace: string) => ["monitor", "notices", cluster, namespace] as const,
  history: (cluster: string, filters: HistoryFilters, page: number) =>
    ["monitor", "history", cluster, filters, page] as const,
};
