import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { DAYS_PER_MONTH } from "@/lib/cost/break-even";
import type { ClusterCostReport } from "@/lib/cost/cluster-report.server";
import { specOfColumns } from "@/lib/job-history/aggregates";
import { formatMoney, fromMicros, type MoneyInput } from "@/lib/cost/money";
import { formatSpec } from "@ask-ci/billing/eci/specs";
import { dailyChart, observedComparison, share } from "@/lib/cost/cluster-view";
import { observedDays, spanLength } from "@/lib/cost/observed";
import { DailyCostChart } from "./daily-cost-chart";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { Card } from "@/components/ui/card";

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <Card>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {detail && <div className="mt-1 text-xs text-slate-500">{detail}</div>}
    </Card>
  );
}

export async function ClusterReport({
  report,
  ecsMonthly,
  includeRunner,
}: {
  report: ClusterCostReport;
  ecsMonthly: number;
  includeRunner: boolean;
}) {
  const t = await getTranslations("cost.cluster");
  const format = await getFormatter();
  const currency = report.book.currency;
  const money = (amount: MoneyInput, decimals?: number) => formatMoney(amount, currency, { decimals });
  const micros = (value: number, decimals?: number) => money(fromMicros(value), decimals);
  const number = (value: number, digits = 1) => format.number(value, { maximumFractionDigits: digits });
  const duration = (seconds: number | null) => {
    if (seconds === null) return "—";
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.round(seconds % 60);
    if (h > 0) return t("durationHours", { h, m });
    if (m > 0) return t("durationMinutes", { m, s });
    return t("durationSeconds", { s });
  };
  const project = (path: string | null) => path ?? t("noProject");
  const { summary, percentiles } = report;
  const comparison = observedComparison(summary, ecsMonthly, report.book, includeRunner);
  const chart = dailyChart(report.byDayAndProject, report.byProject, report.filter);
  const mostCommonSpec = report.specs[0]?.spec;
  const calculatorLink = mostCommonSpec
    ? `/cost?${new URLSearchParams({
        vcpu: String(mostCommonSpec.vcpu),
        mem: String(mostCommonSpec.memoryGiB),
        minutes: summary.meanBilledSeconds.dividedBy(60).toDecimalPlaces(2).toString(),
        jobs: summary.jobsPerDay.toDecimalPlaces(2).toString(),
        ecs: String(ecsMonthly),
        site: currency === "USD" ? "intl" : "cn",
        ...(includeRunner ? { runner: "1" } : {}),
      })}`
    : null;
  const breakEven = comparison.breakEven;
  const sentence =
    breakEven.kind === "eci-never-cheaper"
      ? t("sentence.neverCheaper", { ecs: money(comparison.ecsMonthly) })
      : breakEven.kind === "eci-always-cheaper"
        ? t("sentence.alwaysCheaper")
        : comparison.eciMonthly.lessThan(comparison.ecsMonthly)
          ? t("sentence.eciCheaper", {
              jobs: number(comparison.jobsPerDay.toNumber()),
              eci: money(comparison.eciMonthly),
              ecs: money(comparison.ecsMonthly),
              n: number(breakEven.jobsPerDay.toNumber(), 0),
            })
          : t("sentence.ecsCheaper", {
              jobs: number(comparison.jobsPerDay.toNumber()),
              eci: money(comparison.eciMonthly),
              ecs: money(comparison.ecsMonthly),
              n: number(breakEven.jobsPerDay.toNumber(), 0),
            });
  const { span } = report;
  const monthlySaving = span.enough
    ? fromMicros(report.rightSizing.totalSavingMicros).times(DAYS_PER_MONTH).dividedBy(observedDays(span))
    : null;
  const length = spanLength(span.seconds);
  const spanText = t(`span.${length.unit}`, { n: length.value });
  const tooShort = t("span.tooShort", { span: spanText });

  return (
    <div className="space-y-6">
      {report.currencies.length > 1 && (
        <p className="text-sm text-amber-700 dark:text-amber-300">{t("mixedCurrencies", { currency })}</p>
      )}

      <section aria-labelledby="cluster-summary-heading" className="space-y-3">
        <h2 id="cluster-summary-heading" className="text-lg font-semibold">
          {t("summaryHeading", { days: report.periodDays })}
        </h2>
        <p
          className="text-sm text-slate-600 dark:text-slate-400"
          data-testid="observed-span"
          data-seconds={span.seconds}
          data-enough={span.enough ? "true" : "false"}
        >
          {t("span.basedOn", { span: spanText })}
          {!span.enough && ` ${tooShort}`}
        </p>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Stat
            label={t("jobs")}
            value={number(summary.jobs, 0)}
            detail={span.enough ? t("jobsPerDay", { n: number(summary.jobsPerDay.toNumber()) }) : t("span.noRate")}
            testId="cluster-jobs"
          />
          <Stat
            label={t("totalCost")}
            value={money(summary.totalCost)}
            detail={t("costPerJob", { cost: money(summary.costPerJob, 4) })}
          />
          <Stat
            label={t("durations")}
            value={duration(percentiles.p50)}
            detail={t("percentiles", {
              p90: duration(percentiles.p90),
              p99: duration(percentiles.p99),
              mean: duration(summary.meanBilledSeconds.toNumber()),
            })}
          />
          <Stat
            label={t("rightSizingSaving")}
            value={micros(report.rightSizing.totalSavingMicros)}
            detail={
              monthlySaving
                ? t("rightSizingPerMonth", { saving: money(monthlySaving), jobs: number(report.rightSizing.jobs, 0) })
                : t("span.noRate")
            }
          />
        </div>
      </section>

      <Card as="section" aria-labelledby="cluster-compare-heading" className="space-y-2">
        <h2 id="cluster-compare-heading" className="text-lg font-semibold">
          {t("compareHeading")}
        </h2>
        <p className="text-sm" data-testid="cluster-sentence">
          {span.enough ? sentence : tooShort}
        </p>
        {span.enough && (
          <p className="font-mono text-xs text-slate-600 dark:text-slate-400">
            {t("compareFormula", {
              jobs: number(comparison.jobsPerDay.toNumber(), 2),
              cost: money(comparison.costPerJob, 4),
              runner: money(comparison.runnerMonthly),
              eci: money(comparison.eciMonthly),
            })}
          </p>
        )}
        {span.enough && calculatorLink && (
          <Link
            href={calculatorLink}
            className="text-sm font-medium text-orange-700 hover:underline dark:text-orange-300"
          >
            {t("openInCalculator")}
          </Link>
        )}
      </Card>

      <Card as="section" aria-labelledby="cluster-backends-heading" className="overflow-x-auto">
        <h2 id="cluster-backends-heading" className="mb-1 text-lg font-semibold">
          {t("backends.heading")}
        </h2>
        <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t("backends.intro")}</p>
        <Table framed={false} data-testid="cluster-backends">
          <THead>
            <Th>{t("backends.option")}</Th>
            <Th numeric>{t("backends.cost", { span: spanText })}</Th>
            <Th numeric>{t("backends.monthly")}</Th>
          </THead>
          <TBody>
            <tr data-option="recorded">
              <Td>{t("backends.recorded")}</Td>
              <Td numeric>{money(summary.totalCost)}</Td>
              <Td numeric>
                {span.enough ? money(summary.totalCost.times(DAYS_PER_MONTH).dividedBy(observedDays(span))) : "—"}
              </Td>
            </tr>
            {report.repricing.map((row) => (
              <tr key={row.id} data-option={row.id} data-cost={row.ok ? row.cost.toFixed(6) : undefined}>
                <Td>{t(`backends.options.${row.id}`)}</Td>
                <Td numeric>{row.ok ? money(row.cost) : t(`backends.${row.error}`)}</Td>
                <Td numeric>{row.ok && row.monthly ? money(row.monthly) : "—"}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      </Card>

      <Card as="section" aria-labelledby="cluster-daily-heading">
        <h2 id="cluster-daily-heading" className="mb-2 text-lg font-semibold">
          {t("dailyHeading")}
        </h2>
        <DailyCostChart chart={chart} currency={currency} />
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer font-medium print:hidden">{t("dailyTable")}</summary>
          <Table framed={false} className="mt-2">
            <THead>
              <Th>{t("day")}</Th>
              <Th numeric>{t("jobs")}</Th>
              <Th numeric>{t("cost")}</Th>
            </THead>
            <TBody>
              {report.byDay.map((day) => (
                <tr key={day.day}>
                  <Td>{day.day}</Td>
                  <Td numeric>{number(day.jobs, 0)}</Td>
                  <Td numeric>{micros(day.costMicros)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </details>
      </Card>

      <div className="grid gap-6 xl:grid-cols-2">
        <Card as="section" aria-labelledby="cluster-projects-heading">
          <h2 id="cluster-projects-heading" className="mb-2 text-lg font-semibold">
            {t("projectsHeading")}
          </h2>
          <Table framed={false} data-testid="cluster-projects">
            <THead>
              <Th>{t("project")}</Th>
              <Th numeric>{t("jobs")}</Th>
              <Th numeric>{t("billedHours")}</Th>
              <Th numeric>{t("cost")}</Th>
              <Th numeric>{t("share")}</Th>
            </THead>
            <TBody>
              {report.byProject.map((row) => (
                <tr key={row.projectPath ?? ""}>
                  <Td className="break-all">{project(row.projectPath)}</Td>
                  <Td numeric>{number(row.jobs, 0)}</Td>
                  <Td numeric>{number(row.billedSeconds / 3600)}</Td>
                  <Td numeric>{micros(row.costMicros)}</Td>
                  <Td numeric>{number(share(row.costMicros, summary.costMicros))}%</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>

        <Card as="section" aria-labelledby="cluster-specs-heading">
          <h2 id="cluster-specs-heading" className="mb-2 text-lg font-semibold">
            {t("specsHeading")}
          </h2>
          <Table framed={false}>
            <THead>
              <Th>{t("billedSpec")}</Th>
              <Th numeric>{t("jobs")}</Th>
              <Th numeric>{t("share")}</Th>
              <Th numeric>{t("cost")}</Th>
            </THead>
            <TBody>
              {report.specs.map((row) => (
                <tr key={formatSpec(row.spec)}>
                  <Td>{formatSpec(row.spec)}</Td>
                  <Td numeric>{number(row.jobs, 0)}</Td>
                  <Td numeric>{number(share(row.jobs, summary.jobs))}%</Td>
                  <Td numeric>{micros(row.costMicros)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      </div>

      <Card as="section" aria-labelledby="cluster-expensive-heading" className="overflow-x-auto">
        <h2 id="cluster-expensive-heading" className="mb-2 text-lg font-semibold">
          {t("expensiveHeading")}
        </h2>
        <Table framed={false}>
          <THead>
            <Th>{t("job")}</Th>
            <Th>{t("project")}</Th>
            <Th>{t("finished")}</Th>
            <Th numeric>{t("duration")}</Th>
            <Th>{t("billedSpec")}</Th>
            <Th numeric>{t("cost")}</Th>
          </THead>
          <TBody>
            {report.mostExpensive.map((job) => (
              <tr key={job.podUid}>
                <Td className="break-all">
                  {job.jobUrl && /^https?:\/\//.test(job.jobUrl) ? (
                    <a
                      href={job.jobUrl}
                      rel="noreferrer"
                      target="_blank"
                      className="text-orange-700 hover:underline dark:text-orange-300"
                    >
                      {job.jobName ?? job.podName}
                    </a>
                  ) : (
                    (job.jobName ?? job.podName)
                  )}
                  {job.jobId && <span className="ml-1 text-xs text-slate-500">#{job.jobId}</span>}
                </Td>
                <Td className="break-all">{project(job.projectPath)}</Td>
                <Td className="whitespace-nowrap">
                  {format.dateTime(job.finishedAt, { dateStyle: "short", timeStyle: "short" })}
                </Td>
                <Td numeric>{duration(job.billedSeconds)}</Td>
                <Td>{formatSpec(specOfColumns(job.vcpuMilli, job.memoryMiB))}</Td>
                <Td numeric>{micros(job.costMicros, 4)}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      </Card>

      <Card as="section" aria-labelledby="cluster-rightsizing-heading" className="overflow-x-auto">
        <h2 id="cluster-rightsizing-heading" className="mb-1 text-lg font-semibold">
          {t("rightSizingHeading")}
        </h2>
        <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t("rightSizingIntro")}</p>
        {report.rightSizing.groups.length === 0 ? (
          <p className="text-sm">{t("rightSizingNone")}</p>
        ) : (
          <Table framed={false}>
            <THead>
              <Th>{t("project")}</Th>
              <Th>{t("billedSpec")}</Th>
              <Th>{t("rightSizedSpec")}</Th>
              <Th numeric>{t("jobs")}</Th>
              <Th numeric>{t("saving")}</Th>
            </THead>
            <TBody>
              {report.rightSizing.groups.slice(0, 20).map((group) => (
                <tr key={`${group.projectPath}-${formatSpec(group.billed)}-${formatSpec(group.rightSized)}`}>
                  <Td className="break-all">{project(group.projectPath)}</Td>
                  <Td>{formatSpec(group.billed)}</Td>
                  <Td>{formatSpec(group.rightSized)}</Td>
                  <Td numeric>{number(group.jobs, 0)}</Td>
                  <Td numeric>{micros(group.savingMicros)}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
