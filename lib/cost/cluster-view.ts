import Decimal from "decimal.js";
import { breakEvenForCostPerJob, DAYS_PER_MONTH, SECONDS_PER_MONTH, type BreakEven } from "@/lib/cost/break-even";
import { fromMicros, money, type Money } from "@/lib/cost/money";
import { pricePerSecond } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import type { GroupTotals } from "@/lib/job-history/aggregates";
import { DEFAULT_RUNNER_SPEC } from "@/lib/cost/validation";

export interface ObservedComparison {
  jobsPerDay: Money;
  costPerJob: Money;
  runnerMonthly: Money;
  eciMonthly: Money;
  ecsMonthly: Money;
  breakEven: BreakEven;
}

/**
 * The calculator's comparison from observed numbers: a 30-day month at the observed jobs per day
 * and mean cost per job (real durations and billed specs), plus the runner pod when counted.
 */
export function observedComparison(
  summary: { jobsPerDay: Money; costPerJob: Money },
  ecsMonthly: number,
  book: PriceBook,
  includeRunner: boolean,
): ObservedComparison {
  const runnerMonthly = includeRunner ? pricePerSecond(DEFAULT_RUNNER_SPEC, book).times(SECONDS_PER_MONTH) : money(0);
  const eciMonthly = summary.costPerJob.times(summary.jobsPerDay).times(DAYS_PER_MONTH).plus(runnerMonthly);
  return {
    jobsPerDay: summary.jobsPerDay,
    costPerJob: summary.costPerJob,
    runnerMonthly,
    eciMonthly,
    ecsMonthly: money(ecsMonthly),
    breakEven: breakEvenForCostPerJob(summary.costPerJob, ecsMonthly, runnerMonthly, DAYS_PER_MONTH),
  };
}

export interface DailyChart {
  series: Array<{ key: string; projectPath: string | null; other: boolean }>;
  rows: Array<Record<string, number | string>>;
}

function eachDay(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t <= Date.parse(`${toDay}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Cost per day stacked by project: the `top` most expensive projects by name, the rest as
 * "other", every day of the period present (a day without jobs is a zero, not a gap). Series keys
 * are p0, p1… because project paths contain dots, which the chart would read as nested fields.
 */
export function dailyChart(
  byDayAndProject: ReadonlyArray<{ day: string; projectPath: string | null } & GroupTotals>,
  byProject: ReadonlyArray<{ projectPath: string | null } & GroupTotals>,
  period: { fromDay: string; toDay: string },
  top = 5,
): DailyChart {
  const named = byProject.slice(0, top).map((p) => p.projectPath);
  const series: DailyChart["series"] = named.map((projectPath, i) => ({ key: `p${i}`, projectPath, other: false }));
  const hasOther = byProject.length > top;
  if (hasOther) series.push({ key: "other", projectPath: null, other: true });
  const micros = new Map<string, Map<string, number>>();
  for (const row of byDayAndProject) {
    const index = named.indexOf(row.projectPath);
    const key = index >= 0 ? `p${index}` : "other";
    const day = micros.get(row.day) ?? new Map<string, number>();
    day.set(key, (day.get(key) ?? 0) + row.costMicros);
    micros.set(row.day, day);
  }
  const rows = eachDay(period.fromDay, period.toDay).map((day) => {
    const row: Record<string, number | string> = { day };
    for (const { key } of series) row[key] = fromMicros(micros.get(day)?.get(key) ?? 0).toNumber();
    return row;
  });
  return { series, rows };
}

/** Share of a total as a percentage with one decimal (0 for an empty total). */
export function share(part: number, total: number): number {
  return total === 0 ? 0 : new Decimal(part).times(100).dividedBy(total).toDecimalPlaces(1).toNumber();
}
