import type { HISTORY_RESULTS } from "@/lib/monitor/validation";

export interface HistoryFilters {
  project: string;
  status: "" | "Finished" | "Vanished";
  result: "" | (typeof HISTORY_RESULTS)[number];
  from: string;
  to: string;
}

export const EMPTY_HISTORY_FILTERS: HistoryFilters = { project: "", status: "", result: "", from: "", to: "" };

/** The history API's query string for a cluster, filters and page (empty filters left out). */
export function historySearchParams(cluster: string, filters: HistoryFilters, page?: number): URLSearchParams {
  const params = new URLSearchParams({ cluster });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (page) params.set("page", String(page));
  return params;
}
