import { NO_FILTERS, DEFAULT_SORT, type PodFilters, type Sort, type SortKey } from "./table";
import type { SummaryPhase } from "./pod-summary";

/** What the monitor page shows, as it is written in its URL (a link or a reload gives the same view). */
export interface MonitorViewState {
  tab: "live" | "history";
  filters: PodFilters;
  sort: Sort;
}

export const DEFAULT_VIEW: MonitorViewState = { tab: "live", filters: NO_FILTERS, sort: DEFAULT_SORT };

const PHASES: ReadonlyArray<PodFilters["phase"]> = [
  "all",
  "stuck",
  "Pending",
  "Running",
  "Succeeded",
  "Failed",
  "Vanished",
  "Unknown",
] satisfies ReadonlyArray<SummaryPhase | "all" | "stuck">;
const SORT_KEYS: readonly SortKey[] = ["name", "project", "job", "phase", "age", "cost"];
const MAX_TEXT = 200;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The view a URL asks for; anything unknown or malformed falls back to the default, never an error. */
export function viewFromSearchParams(params: URLSearchParams): MonitorViewState {
  const text = (key: string) => (params.get(key) ?? "").slice(0, MAX_TEXT);
  const key = pick(params.get("sort"), SORT_KEYS, DEFAULT_SORT.key);
  const order = params.get("order");
  return {
    tab: params.get("tab") === "history" ? "history" : "live",
    filters: {
      phase: pick(params.get("phase"), PHASES, NO_FILTERS.phase),
      project: text("project"),
      runner: text("runner"),
      text: text("q"),
    },
    sort: {
      key,
      descending:
        order === "desc" ? true : order === "asc" ? false : key === DEFAULT_SORT.key && DEFAULT_SORT.descending,
    },
  };
}

/**
 * `params` with the view written in: each key only when it differs from the default, so the plain
 * monitor URL stays plain. Other keys (cluster, namespace) are kept as they are.
 */
export function searchParamsWithView(params: URLSearchParams, view: MonitorViewState): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string, fallback: string) => {
    if (value === fallback) next.delete(key);
    else next.set(key, value);
  };
  set("tab", view.tab, DEFAULT_VIEW.tab);
  set("phase", view.filters.phase, NO_FILTERS.phase);
  set("project", view.filters.project, NO_FILTERS.project);
  set("runner", view.filters.runner, NO_FILTERS.runner);
  set("q", view.filters.text, NO_FILTERS.text);
  const defaultSort = view.sort.key === DEFAULT_SORT.key && view.sort.descending === DEFAULT_SORT.descending;
  if (defaultSort) {
    next.delete("sort");
    next.delete("order");
  } else {
    next.set("sort", view.sort.key);
    next.set("order", view.sort.descending ? "desc" : "asc");
  }
  return next;
}

/** The monitor page for one cluster, narrowed to a namespace and a runner's jobs when given. */
export function monitorHref(target: { cluster: string; namespace?: string | null; runner?: string | null }): string {
  const params = new URLSearchParams({ cluster: target.cluster });
  if (target.namespace) params.set("namespace", target.namespace);
  if (target.runner) params.set("runner", target.runner);
  return `/monitor?${params}`;
}
