"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { formatMoney, isCurrencyCode } from "@/lib/cost/money";
import type { JobHistoryPage } from "@/lib/job-history/list";
import { formatDuration } from "@/lib/monitor/table";
import { EMPTY_HISTORY_FILTERS, historySearchParams, type HistoryFilters } from "./history-filters";
import { monitorKeys } from "./query-keys";

function money(amount: string, currency: string): string {
  return isCurrencyCode(currency) ? formatMoney(amount, currency, { decimals: 4 }) : `${amount} ${currency}`;
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
        <label className="flex flex-col gap-1 text-xs">
          {t("history.project")}
          <input
            value={draft.project}
            onChange={(e) => setDraft({ ...draft, project: e.target.value })}
            className={input}
            name="project"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs">
          {t("history.status")}
          <select
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.target.value as HistoryFilters["status"] })}
            className={input}
            name="status"
          >
            <option value="">{t("filters.any")}</option>
            {(["Succeeded", "Failed", "Vanished"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`counts.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs">
          {t("history.from")}
          <input
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            className={input}
            name="from"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs">
          {t("history.to")}
          <input
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            className={input}
            name="to"
          />
        </label>
        <button
          type="submit"
          className="rounded-md bg-orange-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-orange-700"
        >
          {t("history.apply")}
        </button>
        <a
          href={`/api/monitor/history/export?${historySearchParams(cluster, filters)}`}
          download
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
        >
          {t("history.export")}
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
      <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-900">
            <tr>
              <th className="px-3 py-2">{t("history.finished")}</th>
              <th className="px-3 py-2">{t("table.project")}</th>
              <th className="px-3 py-2">{t("table.job")}</th>
              <th className="px-3 py-2">{t("table.ref")}</th>
              <th className="px-3 py-2">{t("history.status")}</th>
              <th className="px-3 py-2">{t("history.duration")}</th>
              <th className="px-3 py-2">{t("table.spec")}</th>
              <th className="px-3 py-2">{t("table.cost")}</th>
            </tr>
          </thead>
          <tbody>
            {data?.rows.length === 0 && (
              <tr>
                <td colSpan={8} className="p-6 text-center text-slate-500">
                  {t("history.empty")}
                </td>
              </tr>
            )}
            {data?.rows.map((row) => (
              <tr
                key={row.podUid}
                className="border-t border-slate-100 dark:border-slate-800"
                data-testid="history-row"
                data-pod-name={row.podName}
              >
                <td className="px-3 py-2 tabular-nums">
                  {format.dateTime(new Date(row.finishedAt), { dateStyle: "short", timeStyle: "medium" })}
                </td>
                <td className="px-3 py-2">{row.projectPath ?? "—"}</td>
                <td className="px-3 py-2">
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
                </td>
                <td className="px-3 py-2 font-mono text-xs">{row.ref ?? "—"}</td>
                <td className="px-3 py-2">
                  {t(`counts.${row.phase as "Succeeded"}`)}
                  {row.reason ? <span className="text-xs text-slate-500"> ({row.reason})</span> : null}
                </td>
                <td className="px-3 py-2 tabular-nums" data-billed-seconds={row.billedSeconds}>
                  {formatDuration(row.billedSeconds * 1000)}
                </td>
                <td className="px-3 py-2 font-mono text-xs" data-vcpu={row.vcpu} data-memory-gib={row.memoryGiB}>
                  {row.vcpu}-{row.memoryGiB}Gi
                </td>
                <td
                  className="px-3 py-2 tabular-nums"
                  data-testid="history-cost"
                  data-cost={row.cost}
                  data-currency={row.currency}
                >
                  {money(row.cost, row.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-end gap-3 text-sm">
        <button
          type="button"
          disabled={page <= 1}
          onClick={() => setPage(page - 1)}
          className="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-40 dark:border-slate-700"
        >
          {t("history.previous")}
        </button>
        <span>{t("history.page", { page, pages })}</span>
        <button
          type="button"
          disabled={page >= pages}
          onClick={() => setPage(page + 1)}
          className="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-40 dark:border-slate-700"
        >
          {t("history.next")}
        </button>
      </div>
    </div>
  );
}
