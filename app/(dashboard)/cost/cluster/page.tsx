import { getTranslations } from "next-intl/server";
import { ClusterReport } from "@/components/cost/cluster-report";
import { clusterQueryString, parseClusterQuery, PERIOD_CHOICES } from "@/lib/cost/cluster-query";
import { CostTabs } from "@/components/cost/cost-tabs";
import { ReportActions } from "@/components/cost/report-actions";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { loadClusterCostReport } from "@/lib/cost/cluster-report.server";
import { listConnections } from "@/lib/connections/kube-client.server";
import { periodDays } from "@/lib/job-history/aggregates.server";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ClusterCostPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const t = await getTranslations("cost");
  const { query, errors } = parseClusterQuery(await searchParams);
  // Connections deleted with their history kept are listed too (their names say "deleted").
  const connections = await listConnections({ withArchived: true });
  const connection = connections.find((c) => c.id === query.connection) ?? connections[0];
  const unknownConnection = query.connection !== undefined && connection?.id !== query.connection;
  const report = connection
    ? await loadClusterCostReport(connection.id, query.days, { currency: query.currency })
    : null;
  const exportHref = report
    ? `/api/cost/history-export?${clusterQueryString({ ...query, connection: connection?.id })}`
    : null;
  // The same jobs, one row each in the FinOps FOCUS columns (the History tab's export, this period).
  const period = periodDays(query.days);
  const focusHref =
    report && connection && !connection.archived
      ? `/api/monitor/history/focus?${new URLSearchParams({ cluster: connection.name, from: period.fromDay, to: period.toDay })}`
      : null;
  const fieldError = (field: string) =>
    errors.includes(field as (typeof errors)[number]) && (
      <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
        {t(`cluster.errors.${field}`)}
      </span>
    );

  return (
    <>
      <PageHeader title={t("title")}>
        <ReportActions
          exportHref={report && report.summary.jobs > 0 ? exportHref : null}
          exportLabel={t("exportCsv")}
          printLabel={t("print")}
          otherExports={focusHref ? [{ href: focusHref, label: t("exportFocus"), title: t("exportFocusHint") }] : []}
        />
      </PageHeader>
      <CostTabs active="cluster" />
      {!connection ? (
        <>
          {errors.map((field) => (
            <p key={field} role="alert" className="text-sm text-red-600 dark:text-red-400">
              {t(`cluster.errors.${field}`)}
            </p>
          ))}
          <EmptyState
            title={t("cluster.noConnectionTitle")}
            body={t("cluster.noConnectionBody")}
            action={{ href: "/clusters", label: t("cluster.addCluster") }}
          />
        </>
      ) : (
        <div className="space-y-6">
          <form
            method="get"
            className="flex flex-wrap items-end gap-4 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 print:hidden"
          >
            <label className="block text-sm font-medium">
              {t("cluster.connection")}
              <select name="connection" defaultValue={connection.id} className={inputClass}>
                {connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              {unknownConnection && (
                <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
                  {t("cluster.errors.connection")}
                </span>
              )}
              {fieldError("connection")}
            </label>
            <label className="block text-sm font-medium">
              {t("cluster.period")}
              <select name="days" defaultValue={String(query.days)} className={inputClass}>
                {[...new Set([...PERIOD_CHOICES, query.days])]
                  .sort((a, b) => a - b)
                  .map((days) => (
                    <option key={days} value={days}>
                      {t("cluster.lastDays", { days })}
                    </option>
                  ))}
              </select>
              {fieldError("days")}
            </label>
            <label className="block text-sm font-medium">
              {t("cluster.ecs")}
              <input
                name="ecs"
                defaultValue={String(query.ecs)}
                inputMode="decimal"
                aria-invalid={errors.includes("ecs") || undefined}
                className={inputClass}
              />
              {fieldError("ecs")}
            </label>
            <label className="flex items-center gap-2 pb-2 text-sm font-medium">
              <input type="checkbox" name="runner" value="1" defaultChecked={query.runner} />
              {t("cluster.runner")}
            </label>
            <Button type="submit" variant="primary">
              {t("cluster.show")}
            </Button>
          </form>
          <p className="hidden text-sm print:block">
            {t("cluster.printedFor", { connection: connection.name, days: query.days })}
          </p>
          {report && report.summary.jobs > 0 ? (
            <ClusterReport report={report} ecsMonthly={query.ecs} includeRunner={query.runner} />
          ) : (
            <EmptyState
              title={t("cluster.noJobsTitle")}
              body={t("cluster.noJobsBody", { connection: connection.name, days: query.days })}
            />
          )}
        </div>
      )}
    </>
  );
}
