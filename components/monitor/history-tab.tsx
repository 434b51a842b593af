"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import Link from "next/link";
import { formatMoney, isCurrencyCode } from "@/lib/cost/money";
import type { HistoryResult, JobHistoryPage, JobHistoryRow } from "@/lib/job-history/list";
import { formatDuration } from "@/lib/monitor/table";
import { HISTORY_RESULTS } from "@/lib/monitor/validation";
import { EMPTY_HISTORY_FILTERS, historySearchParams, type HistoryFilters } from "./history-filters";
import { monitorKeys } from "./query-keys";
import { Button, buttonClass } from "@/components/ui/button";
import { Chip, type ChipTone } from "@/components/ui/chip";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { Field } from "@/components/ui/field";
import { PlacementLabel } from "./placement-label";

function money(amount: string, currency: string): string {
  return isCurrencyCode(currency) ? formatMoney(amount, currency, { decimals: 4 }) : `${amount} ${currency}`;
}

const RESULT_TONE: Record<HistoryResult, ChipTone> = {
  success: "ok",
  failed: "bad",
  canceled: "warn",
  skipped: "neutral",
  pending: "neutral",
  unknown: "neutral",
};

/**
 * The pipeline cell: #id linked to its page (when the GitLab job is joined), and its ref or merge
 * request. Not prefetched: every row in view would fetch its pipeline page (components/monitor/pipeline-links.test.ts).
 */
function PipelineCell({ row }: { row: JobHistoryRow }) {
  const ref = row.mergeRequestIid !== null ? `!${row.mergeRequestIid}` : row.pipelineRef;
  return (
    <>
      {row.pipelineId !== null && row.gitlabConnectionId ? (
        <Link
          href={`/pipelines/${row.gitlabConnectionId}/${row.pipelineId}`}
          prefetch={false}
          className="text-orange-700 hover:underline dark:text-orange-400"
        >
          #{row.pipelineId}
        </Link>
      ) : null}
      {ref ? <span className="ml-1 font-mono text-xs">{ref}</span> : row.pipelineId === null ? "—" : null}
    </>
  );
}

export function HistoryTab({ cluster }: { cluster: string }) {
  const t = useTranslations("monitor");
  const format = useFormatter();
  const [draft, setDraft] = useState<HistoryFilters>(EMPTY_HISTORY_FILTERS);
  const [filters, setFilters] = useState<HistoryFilters>(EMPTY_HISTORY_FILTERS);
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: monitorKeys.history(cluster, filters, page),
    queryFn: async () => {
      const response = await fetch(`/api/monitor/history?${historySearchParams(cluster, filters, page)}`, {
        cache: "no-store",
      });
      const body = (await response.json()) as JobHistoryPage & { error?: string; fields?: Record<string, string> };
      if (!response.ok) throw new Error(Object.values(body.fields ?? {})[0] ?? body.error ?? response.statusText);
      return body;
    },
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const input = "rounded-md border border-slate-300 bg-transparent px-2 py-1 text-sm dark:border-slate-700";

  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
          setPage(1);
        }}
      >
        <Field compact label={t("history.project")}>
          <input
            value={draft.project}
            onChange={(e) => setDraft({ ...draft, project: e.target.value })}
            className={input}
            name="project"
          />
        </Field>
        <Field compact label={t("history.status")}>
          <select
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.target.value as HistoryFilters["status"] })}
            className={input}
            name="status"
          >
            <option value="">{t("filters.any")}</option>
            {(["Finished", "Vanished"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`counts.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field compact label={t("history.result")}>
          <select
            value={draft.result}
            onChange={(e) => setDraft({ ...draft, result: e.target.value as HistoryFilters["result"] })}
            className={input}
            name="result"
          >
            <option value="">{t("filters.any")}</option>
            {HISTORY_RESULTS.map((r) => (
              <option key={r} value={r}>
                {t(`history.results.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field compact label={t("history.from")}>
          <input
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            className={input}
            name="from"
          />
        </Field>
        <Field compact label={t("history.to")}>
          <input
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            className={input}
            name="to"
          />
        </Field>
        <Button type="submit" variant="primary">
          {t("history.apply")}
        </Button>
        <a
          href={`/api/monitor/history/export?${historySearchParams(cluster, filters)}`}
          download
          className={buttonClass("compact")}
        >
          {t("history.export")}
        </a>
        <a
          href={`/api/monitor/history/focus?${historySearchParams(cluster, filters)}`}
          download
          className={buttonClass("compact")}
          title={t("history.exportFocusHint")}
        >
          {t("history.exportFocus")}
        </a>
        <p className="ml-auto text-sm font-medium" data-testid="history-total">
          {data && data.totals.length > 0
            ? data.totals
                .map((total) => t("history.total", { jobs: total.jobs, cost: money(total.cost, total.currency) }))
                .join(" · ")
            : t("history.noTotal")}
        </p>
      </form>
      {query.error && <p className="text-sm text-red-600">{t("history.loadError", { error: query.error.message })}</p>}
      <Table>
        <THead>
          <Th>{t("history.finished")}</Th>
          <Th>{t("table.project")}</Th>
          <Th>{t("table.job")}</Th>
          <Th>{t("history.pipeline")}</Th>
          <Th>{t("history.user")}</Th>
          <Th>{t("history.result")}</Th>
          <Th>{t("history.duration")}</Th>
          <Th>{t("table.spec")}</Th>
          <Th>{t("table.cost")}</Th>
        </THead>
        <TBody>
          {data?.rows.length === 0 && (
            <tr>
              <Td colSpan={9} className="p-6 text-center text-slate-500">
                {t("history.empty")}
              </Td>
            </tr>
          )}
          {data?.rows.map((row) => (
            <tr
              key={row.podUid}
              data-testid="history-row"
              data-pod-name={row.podName}
              data-job-id={row.jobId ?? undefined}
              data-result={row.result}
            >
              <Td className="tabular-nums">
                {format.dateTime(new Date(row.finishedAt), { dateStyle: "short", timeStyle: "medium" })}
              </Td>
              <Td>{row.projectPath ?? "—"}</Td>
              <Td>
                {row.jobUrl ? (
                  <a
                    href={row.jobUrl}
                    target="_blank"
                    rel="noreferrer noopener"
                    className="text-orange-700 hover:underline dark:text-orange-400"
                  >
                    {row.jobName} #{row.jobId}
                  </a>
                ) : (
                  `${row.jobName ?? "—"}${row.jobId ? ` #${row.jobId}` : ""}`
                )}
                {row.stage ? <span className="block text-xs text-slate-500">{row.stage}</span> : null}
              </Td>
              <Td data-testid="history-pipeline">
                <PipelineCell row={row} />
              </Td>
              <Td>{row.userName ?? "—"}</Td>
              <Td data-testid="history-result">
                <Chip tone={RESULT_TONE[row.result]} title={row.failureReason ?? undefined}>
                  {row.phase === "Vanished" && row.result === "unknown"
                    ? t("history.resultUnknown")
                    : t(`history.results.${row.result}`)}
                </Chip>
                <span
                  className="block text-xs text-slate-500"
                  data-testid="history-status"
                  data-status={row.phase}
                  data-reason={row.reason ?? ""}
                >
                  {t("history.podOutcome", { phase: t(`counts.${row.phase as "Finished"}`) })}
                  {row.reason
                    ? row.phase === "Vanished"
                      ? ` (${row.reason})`
                      : ` (${t("history.neverRan", { reason: row.reason })})`
                    : ""}
                  {row.source === "gitlab" ? ` · ${t("history.estimated")}` : ""}
                </span>
              </Td>
              <Td className="tabular-nums" data-billed-seconds={row.billedSeconds}>
                {formatDuration(row.billedSeconds * 1000)}
              </Td>
              <Td className="font-mono text-xs" data-vcpu={row.vcpu} data-memory-gib={row.memoryGiB}>
                {row.vcpu}-{row.memoryGiB}Gi
                <PlacementLabel backend={row.backend} computeClass={row.computeClass} qos={row.qos} />
              </Td>
              <Td numeric data-testid="history-cost" data-cost={row.cost} data-currency={row.currency}>
                {money(row.cost, row.currency)}
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <div className="flex items-center justify-end gap-3 text-sm">
        <Button variant="compact" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t("history.previous")}
        </Button>
        <span>{t("history.page", { page, pages })}</span>
        <Button variant="compact" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {t("history.next")}
        </Button>
      </div>
    </div>
  );
}
