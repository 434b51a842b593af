import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { DAYS_PER_MONTH } from "@/lib/cost/break-even";
import type { ClusterCostReport } from "@/lib/cost/cluster-report.server";
import { specOfColumns } from "@/lib/job-history/aggregates";
import { formatMoney, fromMicros, type MoneyInput } from "@/lib/cost/money";
import { formatSpec } from "@ask-ci/billing/eci/specs";
import { dailyChart, observedComparison, share } from "@/lib/cost/cluster-view";
import { DailyCostChart } from "./daily-cost-chart";

const cardClass = "rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";
const thClass = "py-2 pr-4 font-medium";
const tdClass = "py-1.5 pr-4";

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div className={cardClass}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {detail && <div className="mt-1 text-xs text-slate-500">{detail}</div>}
    </div>
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
  const monthlySaving = fromMicros(report.rightSizing.totalSavingMicros)
    .times(DAYS_PER_MONTH)
    .dividedBy(report.periodDays);

  return (
    <div className="space-y-6">
      {report.currencies.length > 1 && (
        <p className="text-sm text-amber-700 dark:text-amber-300">{t("mixedCurrencies", { currency })}</p>
      )}

      <section aria-labelledby="cluster-summary-heading" className="space-y-3">
        <h2 id="cluster-summary-heading" className="text-lg font-semibold">
          {t("summaryHeading", { days: report.periodDays })}
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Stat
            label={t("jobs")}
            value={number(summary.jobs, 0)}
            detail={t("jobsPerDay", { n: number(summary.jobsPerDay.toNumber()) })}
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
            detail={t("rightSizingPerMonth", {
              saving: money(monthlySaving),
              jobs: number(report.rightSizing.jobs, 0),
            })}
          />
        </div>
      </section>

      <section aria-labelledby="cluster-compare-heading" className={`${cardClass} space-y-2`}>
        <h2 id="cluster-compare-heading" className="text-lg font-semibold">
          {t("compareHeading")}
        </h2>
        <p className="text-sm" data-testid="cluster-sentence">
          {sentence}
        </p>
        <p className="font-mono text-xs text-slate-600 dark:text-slate-400">
          {t("compareFormula", {
            jobs: number(comparison.jobsPerDay.toNumber(), 2),
            cost: money(comparison.costPerJob, 4),
            runner: money(comparison.runnerMonthly),
            eci: money(comparison.eciMonthly),
          })}
        </p>
        {calculatorLink && (
          <Link
            href={calculatorLink}
            className="text-sm font-medium text-orange-700 hover:underline dark:text-orange-300"
          >
            {t("openInCalculator")}
          </Link>
        )}
      </section>

      <section aria-labelledby="cluster-daily-heading" className={cardClass}>
        <h2 id="cluster-daily-heading" className="mb-2 text-lg font-semibold">
          {t("dailyHeading")}
        </h2>
        <DailyCostChart chart={chart} currency={currency} />
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer font-medium print:hidden">{t("dailyTable")}</summary>
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className={thClass}>{t("day")}</th>
                <th className={`${thClass} text-right`}>{t("jobs")}</th>
                <th className={`${thClass} text-right`}>{t("cost")}</th>
              </tr>
            </thead>
            <tbody>
              {report.byDay.map((day) => (
                <tr key={day.day} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={tdClass}>{day.day}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(day.jobs, 0)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{micros(day.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <div className="grid gap-6 xl:grid-cols-2">
        <section aria-labelledby="cluster-projects-heading" className={cardClass}>
          <h2 id="cluster-projects-heading" className="mb-2 text-lg font-semibold">
            {t("projectsHeading")}
          </h2>
          <table className="w-full text-left text-sm" data-testid="cluster-projects">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className={thClass}>{t("project")}</th>
                <th className={`${thClass} text-right`}>{t("jobs")}</th>
                <th className={`${thClass} text-right`}>{t("billedHours")}</th>
                <th className={`${thClass} text-right`}>{t("cost")}</th>
                <th className={`${thClass} text-right`}>{t("share")}</th>
              </tr>
            </thead>
            <tbody>
              {report.byProject.map((row) => (
                <tr key={row.projectPath ?? ""} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={`${tdClass} break-all`}>{project(row.projectPath)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(row.jobs, 0)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(row.billedSeconds / 3600)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{micros(row.costMicros)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>
                    {number(share(row.costMicros, summary.costMicros))}%
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section aria-labelledby="cluster-specs-heading" className={cardClass}>
          <h2 id="cluster-specs-heading" className="mb-2 text-lg font-semibold">
            {t("specsHeading")}
          </h2>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className={thClass}>{t("billedSpec")}</th>
                <th className={`${thClass} text-right`}>{t("jobs")}</th>
                <th className={`${thClass} text-right`}>{t("share")}</th>
                <th className={`${thClass} text-right`}>{t("cost")}</th>
              </tr>
            </thead>
            <tbody>
              {report.specs.map((row) => (
                <tr key={formatSpec(row.spec)} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={tdClass}>{formatSpec(row.spec)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(row.jobs, 0)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(share(row.jobs, summary.jobs))}%</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{micros(row.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="cluster-expensive-heading" className={`${cardClass} overflow-x-auto`}>
        <h2 id="cluster-expensive-heading" className="mb-2 text-lg font-semibold">
          {t("expensiveHeading")}
        </h2>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className={thClass}>{t("job")}</th>
              <th className={thClass}>{t("project")}</th>
              <th className={thClass}>{t("finished")}</th>
              <th className={`${thClass} text-right`}>{t("duration")}</th>
              <th className={thClass}>{t("billedSpec")}</th>
              <th className={`${thClass} text-right`}>{t("cost")}</th>
            </tr>
          </thead>
          <tbody>
            {report.mostExpensive.map((job) => (
              <tr key={job.podUid} className="border-t border-slate-100 dark:border-slate-800">
                <td className={`${tdClass} break-all`}>
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
                </td>
                <td className={`${tdClass} break-all`}>{project(job.projectPath)}</td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  {format.dateTime(job.finishedAt, { dateStyle: "short", timeStyle: "short" })}
                </td>
                <td className={`${tdClass} text-right tabular-nums`}>{duration(job.billedSeconds)}</td>
                <td className={tdClass}>{formatSpec(specOfColumns(job.vcpuMilli, job.memoryMiB))}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{micros(job.costMicros, 4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="cluster-rightsizing-heading" className={`${cardClass} overflow-x-auto`}>
        <h2 id="cluster-rightsizing-heading" className="mb-1 text-lg font-semibold">
          {t("rightSizingHeading")}
        </h2>
        <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">{t("rightSizingIntro")}</p>
        {report.rightSizing.groups.length === 0 ? (
          <p className="text-sm">{t("rightSizingNone")}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className={thClass}>{t("project")}</th>
                <th className={thClass}>{t("billedSpec")}</th>
                <th className={thClass}>{t("rightSizedSpec")}</th>
                <th className={`${thClass} text-right`}>{t("jobs")}</th>
                <th className={`${thClass} text-right`}>{t("saving")}</th>
              </tr>
            </thead>
            <tbody>
              {report.rightSizing.groups.slice(0, 20).map((group) => (
                <tr
                  key={`${group.projectPath}-${formatSpec(group.billed)}-${formatSpec(group.rightSized)}`}
                  className="border-t border-slate-100 dark:border-slate-800"
                >
                  <td className={`${tdClass} break-all`}>{project(group.projectPath)}</td>
                  <td className={tdClass}>{formatSpec(group.billed)}</td>
                  <td className={tdClass}>{formatSpec(group.rightSized)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{number(group.jobs, 0)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{micros(group.savingMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
