"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useSearchParams } from "next/navigation";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { formatMoney, type CurrencyCode } from "@/lib/cost/money";
import { activeCostAt, type PodSummary } from "@/lib/monitor/pod-summary";
import type { RunnerInfo } from "@/lib/monitor/runner-info";
import {
  countByPhase,
  distinct,
  filterPods,
  NO_FILTERS,
  rowsClock,
  sortPods,
  type PodFilters,
  type SortKey,
} from "@/lib/monitor/table";
import { searchParamsWithView, viewFromSearchParams, type MonitorViewState } from "@/lib/monitor/url-state";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import { stuckState } from "@/lib/monitor/stuck";
import { ConnectionIndicator } from "./connection-indicator";
import { HistoryTab } from "./history-tab";
import { PodDetailPanel } from "./pod-detail-panel";
import { PodTable } from "./pod-table";
import { monitorKeys } from "./query-keys";
import { GitlabOrphans } from "./gitlab-orphans";
import { RunnerCards } from "./runner-cards";
import { RunnerPanel } from "./runner-panel";
import { useMonitorGitlab } from "./use-monitor-gitlab";
import { usePodNotices } from "./use-pod-notices";
import { useMonitorStream } from "./use-monitor-stream";
import { useNow } from "./use-now";
import { Button } from "@/components/ui/button";
import { FilterChip } from "@/components/ui/chip";
import { compactInputClass, Field } from "@/components/ui/field";
import { Tabs } from "@/components/ui/tabs";

const EMPTY: PodSummary[] = [];
const PHASES = ["Pending", "Running", "Finished", "Vanished"] as const;

/** The runner profile that installed a runner Deployment, keyed "<namespace>/<deployment name>". */
export interface RunnerProfileLink {
  id: string;
  name: string;
}

export function MonitorView({
  cluster,
  namespace,
  runners,
  runnersError,
  profileLinks = {},
}: {
  cluster: string;
  namespace: string;
  runners: RunnerInfo[];
  runnersError: string | null;
  profileLinks?: Record<string, RunnerProfileLink>;
}) {
  const t = useTranslations("monitor");
  const { pods: streamed, status } = useMonitorStream(cluster, namespace);
  const pods = streamed ?? EMPTY;
  const now = useNow(1000);
  // Tab, filters and sort live in the URL: a reload or a shared link shows the same view.
  const searchParams = useSearchParams();
  const { tab, filters, sort } = useMemo(() => viewFromSearchParams(searchParams), [searchParams]);
  const setView = (change: Partial<MonitorViewState>) => {
    const next = searchParamsWithView(new URLSearchParams(searchParams), { tab, filters, sort, ...change });
    // The History API, not the router: nothing on the server depends on these, so no request is made.
    window.history.replaceState(null, "", `?${next}`);
  };
  const setTab = (next: MonitorViewState["tab"]) => setView({ tab: next });
  const setFilters = (next: PodFilters) => setView({ filters: next });
  const [selectedUid, setSelectedUid] = useState<string | null>(null);
  const [openRunner, setOpenRunner] = useState<{ namespace: string; name: string } | null>(null);
  // Stable, so that memoised rows do not re-render for a new click handler on every batch.
  const selectPod = useCallback((pod: PodSummary) => setSelectedUid(pod.uid), []);

  // The clock's tick re-filters and re-sorts the rows only when the filter or the order reads it.
  const rowsNow = rowsClock(filters, sort, now);
  const visible = useMemo(
    () => sortPods(filterPods(pods, filters, rowsNow), sort, rowsNow),
    [pods, filters, sort, rowsNow],
  );
  const counts = useMemo(() => countByPhase(pods), [pods]);
  const stuckCount = useMemo(() => pods.filter((p) => stuckState(p, now) !== null).length, [pods, now]);
  const projects = useMemo(() => distinct(pods, "projectPath"), [pods]);
  const runnerNames = useMemo(() => distinct(pods, "runner"), [pods]);
  // The GitLab join (every row's job reference, the facts request) follows the rows in a render of
  // its own, after they are on screen: at 10,000 rows it took ~60 ms of the first one.
  const gitlabPods = useDeferredValue(streamed);
  const gitlab = useMonitorGitlab(cluster, namespace, gitlabPods, status, now);
  const notices = usePodNotices(cluster, namespace, tab === "live" && streamed !== undefined);
  // The followed pod as last seen: when its job ends and the runner deletes it, the panel stays open
  // on that final state (logs included) instead of vanishing with the row.
  const live = selectedUid ? (pods.find((p) => p.uid === selectedUid) ?? null) : null;
  const [lastSeen, setLastSeen] = useState<PodSummary | null>(null);
  if (live && live !== lastSeen) setLastSeen(live);
  const selected = live ?? (lastSeen && lastSeen.uid === selectedUid ? lastSeen : null);

  const today = useQuery({
    queryKey: monitorKeys.today(cluster),
    queryFn: async () =>
      (await (await fetch(`/api/monitor/today?${new URLSearchParams({ cluster })}`, { cache: "no-store" })).json()) as {
        totals: Array<{ currency: string; cost: string }>;
      },
    refetchInterval: 15_000,
  });
  const currency: CurrencyCode = pods[0]?.cost.currency ?? "CNY";
  const todayTotal = useMemo(() => {
    const recorded = today.data?.totals.find((x) => x.currency === currency)?.cost ?? "0";
    return activeCostAt(pods, now).plus(recorded);
  }, [today.data, pods, now, currency]);

  const onSort = (key: SortKey) =>
    setView({ sort: sort.key === key ? { key, descending: !sort.descending } : { key, descending: key === "cost" } });

  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Tabs
          label={t("tabs.label")}
          items={(["live", "history"] as const).map((id) => ({ id, label: t(`tabs.${id}`) }))}
          active={tab}
          onSelect={setTab}
        />
        <div className="flex items-center gap-3">
          <span className="text-sm" title={t("todayHint")}>
            {t("today")}:{" "}
            <strong className="tabular-nums" data-testid="cost-today">
              {formatMoney(todayTotal, currency, { decimals: 4 })}
            </strong>
          </span>
          <ConnectionIndicator status={status} />
        </div>
      </div>

      {tab === "history" ? (
        <HistoryTab cluster={cluster} />
      ) : (
        <>
          <RunnerCards
            runners={runners}
            error={runnersError}
            namespace={namespace}
            pods={pods}
            profileLinks={profileLinks}
            onShowJobs={(runner) => setFilters({ ...NO_FILTERS, runner })}
            onOpenRunner={(runner) => {
              setSelectedUid(null);
              setOpenRunner(runner);
            }}
            gitlab={gitlab.runners}
          />
          <GitlabOrphans cluster={cluster} {...gitlab.orphans} onSelectPod={setSelectedUid} />
          <div className="mb-3 flex flex-wrap items-center gap-2" aria-label={t("filters.phase")}>
            <FilterChip pressed={filters.phase === "all"} onClick={() => setFilters({ ...filters, phase: "all" })}>
              {t("counts.all")} {pods.length}
            </FilterChip>
            {PHASES.map((phase) => (
              <FilterChip
                key={phase}
                pressed={filters.phase === phase}
                onClick={() => setFilters({ ...filters, phase })}
                data-testid={`count-${phase}`}
              >
                {t(`counts.${phase}`)} {counts[phase]}
              </FilterChip>
            ))}
            <FilterChip
              pressed={filters.phase === "stuck"}
              className={
                stuckCount > 0 && filters.phase !== "stuck" ? "border-red-400 text-red-700 dark:text-red-400" : ""
              }
              onClick={() => setFilters({ ...filters, phase: "stuck" })}
            >
              ⚠ {t("counts.stuck")} {stuckCount}
            </FilterChip>
          </div>
          <div className="mb-3 flex flex-wrap items-end gap-3">
            <Field compact label={t("filters.project")}>
              <select
                className={compactInputClass}
                value={filters.project}
                onChange={(e) => setFilters({ ...filters, project: e.target.value })}
              >
                <option value="">{t("filters.any")}</option>
                {projects.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
            <Field compact label={t("filters.runner")}>
              <select
                className={compactInputClass}
                value={filters.runner}
                onChange={(e) => setFilters({ ...filters, runner: e.target.value })}
              >
                <option value="">{t("filters.any")}</option>
                {runnerNames.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </Field>
            <Field compact label={t("filters.text")}>
              <input
                type="search"
                className={`${compactInputClass} w-64`}
                placeholder={t("filters.textPlaceholder")}
                value={filters.text}
                onChange={(e) => setFilters({ ...filters, text: e.target.value })}
              />
            </Field>
            <Button variant="quietLink" className="text-xs" onClick={() => setFilters(NO_FILTERS)}>
              {t("filters.clear")}
            </Button>
            <span className="ml-auto text-xs text-slate-500">
              {t("table.shown", { shown: visible.length, total: pods.length })}
            </span>
          </div>
          <PodTable
            pods={visible}
            now={now}
            sort={sort}
            onSort={onSort}
            selected={selectedUid}
            onSelect={selectPod}
            showNamespace={namespace === ALL_NAMESPACES}
            stale={status.state !== "live"}
            waiting={streamed === undefined}
            gitlabJobs={gitlab.jobsByPod}
            notices={notices}
          />
          {selected && (
            <PodDetailPanel
              cluster={cluster}
              pod={selected}
              deleted={live === null}
              onClose={() => setSelectedUid(null)}
            />
          )}
          {openRunner && !selected && (
            <RunnerPanel
              key={`${openRunner.namespace}/${openRunner.name}`}
              cluster={cluster}
              namespace={openRunner.namespace}
              name={openRunner.name}
              onClose={() => setOpenRunner(null)}
            />
          )}
        </>
      )}
    </>
  );
}
