"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { memo, useMemo, useRef } from "react";
import { formatMoney } from "@/lib/cost/money";
import { formatSpecCompact } from "@ask-ci/billing/eci/specs";
import type { MonitorGitlabJob } from "@/lib/gitlab/monitor-orphans";
import { noticeForPod, type PodNotice } from "@/lib/monitor/pod-notices";
import { summaryCostAt, type PodSummary } from "@/lib/monitor/pod-summary";
import { stuckState } from "@/lib/monitor/stuck";
import { formatDuration, podDurationMs, type Sort, type SortKey } from "@/lib/monitor/table";
import { PlacementLabel } from "./placement-label";

// Column minimums add up to ~57rem, so all eight columns, cost last, fit a 1024-pixel screen.
const GRID =
  "grid grid-cols-[minmax(10rem,2fr)_minmax(6rem,1.2fr)_minmax(7rem,1.4fr)_minmax(4rem,0.7fr)_minmax(7rem,1.1fr)_5rem_5rem_7.5rem] gap-3";
const ROW_HEIGHT = 44;

const PHASE_STYLE: Record<string, string> = {
  Pending: "text-amber-700 dark:text-amber-400",
  Running: "text-sky-700 dark:text-sky-400",
  Succeeded: "text-emerald-700 dark:text-emerald-400",
  Failed: "text-red-700 dark:text-red-400",
  Finished: "text-slate-700 dark:text-slate-300",
  Vanished: "text-red-700 dark:text-red-400",
  Unknown: "text-slate-500",
};

export function PodTable({
  pods,
  now,
  sort,
  onSort,
  selected,
  onSelect,
  stale,
  waiting,
  showNamespace = false,
  gitlabJobs,
  notices = [],
}: {
  /** Pods of every namespace: each row says which. */
  showNamespace?: boolean;
  /** Each pod's GitLab job, by pod uid (the GitLab link's join). */
  gitlabJobs?: ReadonlyMap<string, MonitorGitlabJob>;
  /** The platform's warnings about pods about to be ended (spot reclaim, eviction). */
  notices?: readonly PodNotice[];
  pods: PodSummary[];
  now: number;
  sort: Sort;
  onSort: (key: SortKey) => void;
  selected: string | null;
  onSelect: (pod: PodSummary) => void;
  stale: boolean;
  waiting: boolean;
}) {
  const t = useTranslations("monitor");
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns fresh functions each render; the compiler skips this component, as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: pods.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const columns = useMemo<Array<[SortKey | null, string]>>(
    () => [
      ["name", t("table.name")],
      ["project", t("table.project")],
      ["job", t("table.job")],
      [null, t("table.ref")],
      ["phase", t("table.phase")],
      ["age", t("table.age")],
      [null, t("table.spec")],
      ["cost", t("table.cost")],
    ],
    [t],
  );

  return (
    <div
      role="table"
      aria-rowcount={pods.length}
      className={`rounded-xl border border-slate-200 text-sm dark:border-slate-800 ${stale ? "opacity-70" : ""}`}
    >
      <div
        role="row"
        className={`${GRID} border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900`}
      >
        {columns.map(([key, label]) => (
          <div
            role="columnheader"
            key={label}
            aria-sort={key && sort.key === key ? (sort.descending ? "descending" : "ascending") : undefined}
          >
            {key ? (
              <button
                type="button"
                onClick={() => onSort(key)}
                title={t("table.sortBy", { column: label })}
                className="uppercase hover:text-slate-900 dark:hover:text-slate-100"
              >
                {label}
                {sort.key === key ? (sort.descending ? " ↓" : " ↑") : ""}
              </button>
            ) : (
              label
            )}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="h-[60vh] min-h-[20rem] overflow-auto" data-testid="pod-table-body">
        {pods.length === 0 ? (
          <p className="p-6 text-center text-slate-500">{waiting ? t("table.waiting") : t("table.empty")}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((item) => {
              const pod = pods[item.index];
              return (
                <PodRow
                  key={pod.uid}
                  pod={pod}
                  now={now}
                  selected={pod.uid === selected}
                  onSelect={onSelect}
                  showNamespace={showNamespace}
                  top={item.start}
                  height={item.size}
                  gitlabJob={gitlabJobs?.get(pod.uid) ?? null}
                  notice={noticeForPod(pod, notices)}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

// Memoised on plain props: a stream batch re-renders only the rows whose pod changed (rows are
// immutable objects, replaced by applyUpdate), the clock tick every row on screen.
const PodRow = memo(function PodRow({
  pod,
  now,
  selected,
  onSelect,
  showNamespace,
  top,
  height,
  gitlabJob,
  notice,
}: {
  showNamespace: boolean;
  gitlabJob: MonitorGitlabJob | null;
  notice: PodNotice | null;
  pod: PodSummary;
  now: number;
  selected: boolean;
  onSelect: (pod: PodSummary) => void;
  top: number;
  height: number;
}) {
  const t = useTranslations("monitor");
  const stuck = stuckState(pod, now);
  const cost = summaryCostAt(pod, now);
  const final = pod.cost.final !== null || pod.phase === "Vanished";
  return (
    <div
      role="row"
      data-testid="pod-row"
      data-pod-name={pod.name}
      data-phase={pod.phase}
      data-deleting={pod.deletingAt !== null ? "true" : undefined}
      data-runner={pod.runner ?? undefined}
      data-gitlab-status={gitlabJob?.status}
      data-notice={notice?.kind}
      data-resource-version={pod.resourceVersion}
      aria-selected={selected}
      onClick={() => onSelect(pod)}
      style={{ position: "absolute", top: 0, left: 0, width: "100%", height, transform: `translateY(${top}px)` }}
      className={`${GRID} cursor-pointer items-center border-b border-slate-100 px-3 hover:bg-slate-50 dark:border-slate-800/60 dark:hover:bg-slate-900 ${selected ? "bg-orange-50 dark:bg-orange-950/30" : ""} ${stuck ? "border-l-4 border-l-red-500" : ""}`}
    >
      <div role="cell" className="truncate font-mono text-xs" title={`${pod.namespace}/${pod.name}`}>
        {showNamespace && <span className="text-slate-400">{pod.namespace}/</span>}
        {pod.name}
      </div>
      <div role="cell" className="truncate" title={pod.projectPath ?? undefined}>
        {pod.projectPath ?? "—"}
      </div>
      <div role="cell" className="truncate">
        {pod.jobUrl ? (
          <a
            href={pod.jobUrl}
            target="_blank"
            rel="noreferrer noopener"
            onClick={(e) => e.stopPropagation()}
            className="text-orange-700 hover:underline dark:text-orange-400"
          >
            {pod.jobName ?? "?"} #{pod.jobId}
          </a>
        ) : (
          <span>{pod.jobName ? `${pod.jobName} #${pod.jobId ?? "?"}` : "—"}</span>
        )}
        {gitlabJob && (
          <span className="block truncate text-xs text-slate-500" data-testid="pod-gitlab-job">
            <span data-testid="pod-gitlab-status" title={t("table.gitlabStatus", { status: gitlabJob.status })}>
              {gitlabJob.status}
            </span>
            {gitlabJob.pipelineId !== null && (
              <>
                {" · "}
                <a
                  href={`/pipelines/${gitlabJob.gitlabConnectionId}/${gitlabJob.pipelineId}`}
                  onClick={(e) => e.stopPropagation()}
                  className="hover:underline"
                  data-testid="pod-gitlab-pipeline"
                >
                  {t("table.gitlabPipeline", { id: gitlabJob.pipelineId })}
                </a>
              </>
            )}
          </span>
        )}
      </div>
      <div role="cell" className="truncate font-mono text-xs" title={pod.ref ?? undefined}>
        {pod.ref ?? "—"}
      </div>
      <div role="cell" className="min-w-0">
        <span className={`font-medium ${PHASE_STYLE[pod.phase]}`} data-testid="pod-phase">
          {t(`counts.${pod.phase}`)}
        </span>
        {pod.reason && <span className="ml-1 truncate text-xs text-slate-500">({pod.reason})</span>}
        {/* Deletion asked for, grace period running: what kubectl shows as Terminating. */}
        {pod.deletingAt !== null && pod.phase !== "Vanished" && (
          <span className="ml-1 truncate text-xs text-slate-500" data-testid="pod-terminating">
            {t("table.terminating")}
          </span>
        )}
        {stuck && (
          <span
            className="block truncate text-xs font-semibold text-red-600 dark:text-red-400"
            data-testid="stuck-flag"
          >
            ⚠ {t(`stuck.${stuck}`)}
          </span>
        )}
        {!stuck && notice && (
          <span
            className="block truncate text-xs font-semibold text-amber-700 dark:text-amber-400"
            data-testid="pod-notice"
            title={notice.message}
          >
            ⚠ {t(`notice.${notice.kind}`)}
          </span>
        )}
      </div>
      <div role="cell" className="tabular-nums">
        {formatDuration(podDurationMs(pod, now))}
      </div>
      <div role="cell" className="font-mono text-xs" title={pod.specSource}>
        {formatSpecCompact(pod.spec)}
        <PlacementLabel
          backend={pod.placement.backend}
          computeClass={pod.placement.backend === "acs" ? pod.placement.computeClass : null}
          qos={pod.placement.backend === "acs" ? pod.placement.qos : null}
        />
      </div>
      <div
        role="cell"
        className="tabular-nums"
        data-testid="pod-cost"
        data-final={final ? "true" : "false"}
        data-cost={cost.toFixed()}
      >
        {formatMoney(cost, pod.cost.currency, { decimals: 4 })}
        <span className="ml-1 text-[10px] uppercase text-slate-400">
          {final ? t("table.final") : t("table.ticking")}
        </span>
      </div>
    </div>
  );
});
