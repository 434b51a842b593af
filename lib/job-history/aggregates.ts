import Decimal from "decimal.js";
import { fromMicros, toMicros, type Money } from "@/lib/cost/money";
import { pricePerSecond } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import { roundUpToSupportedSpec, SpecOutOfRangeError, type EciSpec } from "@ask-ci/billing/eci/specs";
import type { JobRecord } from "@/lib/generated/prisma/client";

/**
 * The JobRecord columns the cost page aggregates (the Prisma model, prisma/schema.prisma). These
 * brute-force functions over arrays are the reference the SQL aggregations are tested against,
 * so they use the same integer columns and the same definitions (UTC day, nearest-rank
 * percentiles). requestedVcpuMilli/requestedMemoryMiB are the pod's requests only (podRequests),
 * not limits: what a right-sized pod would ask for. costMicros is a BigInt column, a number here
 * (read through microsFromDatabase).
 */
export type JobRecordLike = Pick<
  JobRecord,
  | "projectPath"
  | "day"
  | "billedSeconds"
  | "vcpuMilli"
  | "memoryMiB"
  | "requestedVcpuMilli"
  | "requestedMemoryMiB"
  | "currency"
> &
  Partial<Pick<JobRecord, "podUid" | "jobName" | "jobId" | "jobUrl" | "podName">> & {
    costMicros: number;
    finishedAt: Date | string;
  };

/** YYYY-MM-DD in UTC, the value of JobRecord.day for a finish time. */
export function utcDay(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10);
}

/** The spec held in JobRecord's integer columns (millicores, MiB), billed or requested. */
export function specOfColumns(vcpuMilli: number, memoryMiB: number): EciSpec {
  return { vcpu: vcpuMilli / 1000, memoryGiB: memoryMiB / 1024 };
}

/** Aggregations only make sense in one currency; a mix means records from two price books. */
function assertSingleCurrency(records: readonly JobRecordLike[]): void {
  const currencies = new Set(records.map((r) => r.currency));
  if (currencies.size > 1)
    throw new Error(`Job records mix currencies (${[...currencies].join(", ")}); aggregate one at a time`);
}

export interface GroupTotals {
  jobs: number;
  billedSeconds: number;
  costMicros: number;
}

function totalsBy(
  records: readonly JobRecordLike[],
  key: (r: JobRecordLike) => string | null,
): Map<string | null, GroupTotals> {
  assertSingleCurrency(records);
  const groups = new Map<string | null, GroupTotals>();
  for (const record of records) {
    const k = key(record);
    const totals = groups.get(k) ?? { jobs: 0, billedSeconds: 0, costMicros: 0 };
    totals.jobs += 1;
    totals.billedSeconds += record.billedSeconds;
    totals.costMicros += record.costMicros;
    groups.set(k, totals);
  }
  return groups;
}

/** Plain code-unit order, like SQLite's default BINARY collation, not the locale's. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By path in code-unit order (as SQLite's BINARY collation), jobs without a project label last. */
export function compareProjects(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/** Per UTC day, oldest first (SQL: GROUP BY day ORDER BY day). */
export function aggregateByDay(records: readonly JobRecordLike[]): Array<{ day: string } & GroupTotals> {
  return [...totalsBy(records, (r) => r.day)]
    .map(([day, totals]) => ({ day: day as string, ...totals }))
    .sort((a, b) => compareText(a.day, b.day));
}

/** Per project, most expensive first, then by path (null, for jobs without a project label, last). */
export function aggregateByProject(
  records: readonly JobRecordLike[],
): Array<{ projectPath: string | null } & GroupTotals> {
  return [...totalsBy(records, (r) => r.projectPath)]
    .map(([projectPath, totals]) => ({ projectPath, ...totals }))
    .sort((a, b) => b.costMicros - a.costMicros || compareProjects(a.projectPath, b.projectPath));
}

/** Per UTC day and project (stacked chart), oldest day first, then by project path (null last). */
export function aggregateByDayAndProject(
  records: readonly JobRecordLike[],
): Array<{ day: string; projectPath: string | null } & GroupTotals> {
  const byKey = totalsBy(records, (r) => JSON.stringify([r.day, r.projectPath]));
  return [...byKey]
    .map(([key, totals]) => {
      const [day, projectPath] = JSON.parse(key as string) as [string, string | null];
      return { day, projectPath, ...totals };
    })
    .sort((a, b) => compareText(a.day, b.day) || compareProjects(a.projectPath, b.projectPath));
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it,
 * i.e. sorted[ceil(p/100 × n) − 1]. Always an observed value, and easy to express in SQL
 * (ORDER BY ... LIMIT 1 OFFSET ceil(p × n / 100) − 1). null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`Percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1];
}

export interface DurationPercentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** Percentiles of billed seconds per job. */
export function durationPercentiles(records: readonly JobRecordLike[]): DurationPercentiles {
  const seconds = records.map((r) => r.billedSeconds);
  return {
    count: seconds.length,
    p50: percentile(seconds, 50),
    p90: percentile(seconds, 90),
    p99: percentile(seconds, 99),
  };
}

export interface HistorySummary {
  jobs: number;
  periodDays: number;
  jobsPerDay: Money;
  meanBilledSeconds: Money;
  totalCost: Money;
  /** Mean observed cost per job: the input of breakEvenForCostPerJob. */
  costPerJob: Money;
}

/** Totals over a period of `periodDays` days (days without jobs count: they are part of the month). */
export function summarizeHistory(records: readonly JobRecordLike[], periodDays: number): HistorySummary {
  assertSingleCurrency(records);
  const totals = {
    jobs: records.length,
    billedSeconds: records.reduce((sum, r) => sum + r.billedSeconds, 0),
    costMicros: records.reduce((sum, r) => sum + r.costMicros, 0),
  };
  return summaryOfTotals(totals, periodDays);
}

/** summarizeHistory from already summed totals (an SQL aggregate, for one). */
export function summaryOfTotals({ jobs, billedSeconds, costMicros }: GroupTotals, periodDays: number): HistorySummary {
  if (!(periodDays > 0)) throw new RangeError(`The period must be at least one day, got ${periodDays}`);
  const totalCost = fromMicros(costMicros);
  return {
    jobs,
    periodDays,
    jobsPerDay: new Decimal(jobs).dividedBy(periodDays),
    meanBilledSeconds: jobs === 0 ? new Decimal(0) : new Decimal(billedSeconds).dividedBy(jobs),
    totalCost,
    costPerJob: jobs === 0 ? new Decimal(0) : totalCost.dividedBy(jobs),
  };
}

/** The n most expensive jobs, ties broken by the most recent finish. */
export function mostExpensiveJobs<R extends JobRecordLike>(records: readonly R[], n: number): R[] {
  return [...records]
    .sort((a, b) => b.costMicros - a.costMicros || new Date(b.finishedAt).getTime() - new Date(a.finishedAt).getTime())
    .slice(0, n);
}

export interface RightSizing<R extends JobRecordLike = JobRecordLike> {
  record: R;
  billed: EciSpec;
  /** The smallest supported spec that fits the pod's requests. */
  rightSized: EciSpec;
  savingMicros: number;
}

/**
 * What a job would have saved at the smallest spec that fits its requests instead of the spec
 * it was billed (limits or eci-use-specs larger than the requests, or requests that round up
 * past what was needed): (billed − right-sized) price per second × billed seconds, at the price
 * book's on-demand prices. Jobs with no requests, or already at the right size, are left out.
 */
export function rightSizingSaving<R extends JobRecordLike>(record: R, book: PriceBook): RightSizing<R> | null {
  const rate = rightSizingRate(record, book);
  if (!rate) return null;
  return {
    record,
    billed: rate.billed,
    rightSized: rate.rightSized,
    savingMicros: toMicros(rate.perSecondSaving.times(record.billedSeconds)),
  };
}

type SpecColumns = Pick<JobRecordLike, "vcpuMilli" | "memoryMiB" | "requestedVcpuMilli" | "requestedMemoryMiB">;

/**
 * Billed and right-sized spec of one job (or of a group of jobs with the same columns) and the
 * price per second right-sizing saves; null without requests, or when nothing would be saved.
 */
export function rightSizingRate(
  columns: SpecColumns,
  book: PriceBook,
): { billed: EciSpec; rightSized: EciSpec; perSecondSaving: Money } | null {
  if (columns.requestedVcpuMilli === null || columns.requestedMemoryMiB === null) return null;
  let rightSized: EciSpec;
  try {
    rightSized = roundUpToSupportedSpec(specOfColumns(columns.requestedVcpuMilli, columns.requestedMemoryMiB));
  } catch (error) {
    if (error instanceof SpecOutOfRangeError) return null;
    throw error;
  }
  const billed = specOfColumns(columns.vcpuMilli, columns.memoryMiB);
  const perSecondSaving = pricePerSecond(billed, book).minus(pricePerSecond(rightSized, book));
  if (perSecondSaving.lessThanOrEqualTo(0)) return null;
  return { billed, rightSized, perSecondSaving };
}

/** Every job that could have been cheaper, biggest saving first, and the total. */
export function rightSizingReport<R extends JobRecordLike>(
  records: readonly R[],
  book: PriceBook,
): { jobs: Array<RightSizing<R>>; totalSavingMicros: number } {
  assertSingleCurrency(records);
  const jobs = records
    .map((record) => rightSizingSaving(record, book))
    .filter((saving): saving is RightSizing<R> => saving !== null)
    .sort((a, b) => b.savingMicros - a.savingMicros);
  return { jobs, totalSavingMicros: jobs.reduce((sum, job) => sum + job.savingMicros, 0) };
}
