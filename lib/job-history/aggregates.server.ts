import "server-only";
import { db } from "@/lib/db.server";
import { Prisma } from "@/lib/generated/prisma/client";
import { CURRENCIES, microsFromDatabase, toMicros, type CurrencyCode, type Money } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";
import {
  compareProjects,
  compareText,
  rightSizingRate,
  specOfColumns,
  summaryOfTotals,
  type DurationPercentiles,
  type GroupTotals,
} from "@/lib/job-history/aggregates";
import type { EciSpec } from "@ask-ci/billing/eci/specs";

/**
 * JobRecord aggregations in SQL. The sums read the per-day rollups JobCostDay and JobDurationDay
 * (kept by triggers on JobRecord, ADR 019: a few thousand rows where JobRecord has a million), the
 * top jobs read JobRecord's index; nothing row by row travels to JavaScript. Each function mirrors a
 * brute-force reference in lib/job-history/aggregates.ts and is tested against it. Plain SQL with
 * quoted identifiers: the same text runs on SQLite and PostgreSQL.
 */
export interface HistoryFilter {
  connectionId: string;
  /** First and last UTC day (YYYY-MM-DD), both included. */
  fromDay: string;
  toDay: string;
  /** Records are summed in one currency (one price book); see historyCurrencies. */
  currency: string;
}

function where(filter: HistoryFilter): Prisma.Sql {
  return Prisma.sql`"connectionId" = ${filter.connectionId} AND "day" >= ${filter.fromDay} AND "day" <= ${filter.toDay} AND "currency" = ${filter.currency}`;
}

// The rollups' key has no NULLs (ADR 019): no project is projectKnown = false, no request is -1.
function projectOf(row: { projectKnown: unknown; projectPath: string }): string | null {
  return row.projectKnown === true || Number(row.projectKnown) === 1 ? row.projectPath : null;
}

function requestOf(value: unknown): number | null {
  const n = num(value);
  return n < 0 ? null : n;
}

// Drivers return COUNT/SUM as number, bigint or (PostgreSQL numeric) string.
function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : Number(value);
}

/** A SUM of the BigInt money column: bigint (SQLite), numeric string (PostgreSQL), null for no rows. */
type SummedMicros = bigint | number | string | null;

function totals(row: { jobs: unknown; billedSeconds: unknown; costMicros: SummedMicros }): GroupTotals {
  return {
    jobs: num(row.jobs),
    billedSeconds: num(row.billedSeconds),
    costMicros: microsFromDatabase(row.costMicros),
  };
}

/** UTC days from `days` days ago up to `today`, both included. */
export function periodDays(days: number, today: Date = new Date()): { fromDay: string; toDay: string } {
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { fromDay: start.toISOString().slice(0, 10), toDay: end.toISOString().slice(0, 10) };
}

/**
 * Which currencies a connection's records use in a period (normally one: the price book's).
 * One key probe of the rollup per known currency instead of a GROUP BY over every record.
 */
export async function historyCurrencies(filter: Omit<HistoryFilter, "currency">): Promise<CurrencyCode[]> {
  const present: CurrencyCode[] = [];
  for (const currency of Object.keys(CURRENCIES) as CurrencyCode[]) {
    const rows = await db.$queryRaw<unknown[]>`
      SELECT 1 AS "found" FROM "JobCostDay" WHERE ${where({ ...filter, currency })} LIMIT 1`;
    if (rows.length > 0) present.push(currency);
  }
  return present;
}

type DayProjectRow = { day: string; projectPath: string | null } & GroupTotals;

/**
 * Per UTC day and project, oldest day first (as aggregateByDayAndProject). The per-day,
 * per-project and total figures are folded from these few thousand groups, read from the
 * JobCostDay rollup (its rows per spec summed here).
 */
export async function historyByDayAndProject(filter: HistoryFilter): Promise<DayProjectRow[]> {
  const rows = await db.$queryRaw<
    Array<{
      day: string;
      projectKnown: unknown;
      projectPath: string;
      jobs: unknown;
      billedSeconds: unknown;
      costMicros: SummedMicros;
    }>
  >`
    SELECT "day", "projectKnown", "projectPath",
           SUM("jobs") AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobCostDay" WHERE ${where(filter)}
    GROUP BY "day", "projectKnown", "projectPath"`;
  // Sorted here, not in SQL: PostgreSQL's default collation is not the code-unit order SQLite and the reference use.
  return rows
    .map((row) => ({ day: row.day, projectPath: projectOf(row), ...totals(row) }))
    .sort((a, b) => compareText(a.day, b.day) || compareProjects(a.projectPath, b.projectPath));
}

function addTotals(into: GroupTotals, from: GroupTotals): GroupTotals {
  into.jobs += from.jobs;
  into.billedSeconds += from.billedSeconds;
  into.costMicros += from.costMicros;
  return into;
}

function foldBy<K>(rows: readonly DayProjectRow[], key: (row: DayProjectRow) => K): Map<K, GroupTotals> {
  const groups = new Map<K, GroupTotals>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, addTotals(groups.get(k) ?? { jobs: 0, billedSeconds: 0, costMicros: 0 }, row));
  }
  return groups;
}

/** Per day from the day × project groups, oldest first (as aggregateByDay). */
export function daysOf(rows: readonly DayProjectRow[]): Array<{ day: string } & GroupTotals> {
  return [...foldBy(rows, (row) => row.day)]
    .map(([day, sums]) => ({ day, ...sums }))
    .sort((a, b) => compareText(a.day, b.day));
}

/** Per project from the day × project groups, most expensive first (as aggregateByProject). */
export function projectsOf(rows: readonly DayProjectRow[]): Array<{ projectPath: string | null } & GroupTotals> {
  return [...foldBy(rows, (row) => row.projectPath)]
    .map(([projectPath, sums]) => ({ projectPath, ...sums }))
    .sort((a, b) => b.costMicros - a.costMicros || compareProjects(a.projectPath, b.projectPath));
}

export function totalsOf(rows: readonly DayProjectRow[]): GroupTotals {
  return rows.reduce<GroupTotals>((sum, row) => addTotals(sum, row), { jobs: 0, billedSeconds: 0, costMicros: 0 });
}

export async function historyByDay(filter: HistoryFilter): Promise<Array<{ day: string } & GroupTotals>> {
  return daysOf(await historyByDayAndProject(filter));
}

export async function historyByProject(
  filter: HistoryFilter,
): Promise<Array<{ projectPath: string | null } & GroupTotals>> {
  return projectsOf(await historyByDayAndProject(filter));
}

export interface HistorySummarySql extends GroupTotals {
  periodDays: number;
  jobsPerDay: Money;
  meanBilledSeconds: Money;
  totalCost: Money;
  costPerJob: Money;
}

/** As summarizeHistory: days without jobs count, they are part of the month. */
export function summaryOf(sums: GroupTotals, periodDayCount: number): HistorySummarySql {
  return { ...sums, ...summaryOfTotals(sums, periodDayCount) };
}

export async function historySummary(filter: HistoryFilter, periodDayCount: number): Promise<HistorySummarySql> {
  return summaryOf(totalsOf(await historyByDayAndProject(filter)), periodDayCount);
}

/**
 * Nearest-rank percentiles of billed seconds (as durationPercentiles). SQL returns the histogram
 * (jobs per distinct duration: seconds are integers, so a few thousand rows at most), summed over
 * the period's days of the JobDurationDay rollup, and the ranks are read off its running total:
 * exact, one pass.
 */
export async function historyDurationPercentiles(filter: HistoryFilter): Promise<DurationPercentiles> {
  const rows = await db.$queryRaw<Array<{ billedSeconds: unknown; jobs: unknown }>>`
    SELECT "billedSeconds", SUM("jobs") AS "jobs" FROM "JobDurationDay" WHERE ${where(filter)}
    GROUP BY "billedSeconds" ORDER BY "billedSeconds"`;
  const histogram = rows.map((row) => ({ seconds: num(row.billedSeconds), jobs: num(row.jobs) }));
  const count = histogram.reduce((sum, bucket) => sum + bucket.jobs, 0);
  const at = (p: number): number | null => {
    if (count === 0) return null;
    const rank = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const bucket of histogram) {
      seen += bucket.jobs;
      if (seen >= rank) return bucket.seconds;
    }
    return histogram[histogram.length - 1].seconds;
  };
  return { count, p50: at(50), p90: at(90), p99: at(99) };
}

export interface SpecGroup extends GroupTotals {
  projectPath: string | null;
  vcpuMilli: number;
  memoryMiB: number;
  requestedVcpuMilli: number | null;
  requestedMemoryMiB: number | null;
}

/**
 * Jobs grouped by billed spec, requested spec and project (a few hundred groups), summed over the
 * period's days of the JobCostDay rollup; the billed-spec shares and the right-sizing saving are
 * both folded from it.
 */
export async function historySpecGroups(filter: HistoryFilter): Promise<SpecGroup[]> {
  const rows = await db.$queryRaw<
    Array<{
      projectKnown: unknown;
      projectPath: string;
      vcpuMilli: unknown;
      memoryMiB: unknown;
      requestedVcpuMilli: unknown;
      requestedMemoryMiB: unknown;
      jobs: unknown;
      billedSeconds: unknown;
      costMicros: SummedMicros;
    }>
  >`
    SELECT "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "projectKnown", "projectPath",
           SUM("jobs") AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobCostDay" WHERE ${where(filter)}
    GROUP BY "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "projectKnown", "projectPath"`;
  return rows.map((row) => ({
    projectPath: projectOf(row),
    vcpuMilli: num(row.vcpuMilli),
    memoryMiB: num(row.memoryMiB),
    requestedVcpuMilli: requestOf(row.requestedVcpuMilli),
    requestedMemoryMiB: requestOf(row.requestedMemoryMiB),
    ...totals(row),
  }));
}

export interface BilledSpecShare extends GroupTotals {
  spec: EciSpec;
}

/** How many jobs ran on each billed spec, most jobs first. */
export function billedSpecsOf(groups: readonly SpecGroup[]): BilledSpecShare[] {
  const bySpec = new Map<string, BilledSpecShare>();
  for (const group of groups) {
    const key = `${group.vcpuMilli}/${group.memoryMiB}`;
    const share = bySpec.get(key) ?? {
      spec: specOfColumns(group.vcpuMilli, group.memoryMiB),
      jobs: 0,
      billedSeconds: 0,
      costMicros: 0,
    };
    bySpec.set(key, addTotals(share, group) as BilledSpecShare);
  }
  return [...bySpec.values()].sort(
    (a, b) => b.jobs - a.jobs || a.spec.vcpu - b.spec.vcpu || a.spec.memoryGiB - b.spec.memoryGiB,
  );
}

export async function historyBilledSpecs(filter: HistoryFilter): Promise<BilledSpecShare[]> {
  return billedSpecsOf(await historySpecGroups(filter));
}

export interface RightSizingGroup {
  projectPath: string | null;
  billed: EciSpec;
  rightSized: EciSpec;
  jobs: number;
  billedSeconds: number;
  savingMicros: number;
}

export interface RightSizingSummary {
  groups: RightSizingGroup[];
  totalSavingMicros: number;
  jobs: number;
}

/**
 * The saving from right-sizing (as rightSizingReport): each group of jobs with the same project,
 * billed spec and requests is priced once. The total can differ from the per-job reference by
 * under one micro-unit per job, because the reference rounds each job's saving to a micro-unit.
 */
export function rightSizingOf(specGroups: readonly SpecGroup[], book: PriceBook): RightSizingSummary {
  const byKey = new Map<string, RightSizingGroup>();
  for (const group of specGroups) {
    const rate = rightSizingRate(group, book);
    if (!rate) continue;
    const { billed, rightSized, perSecondSaving } = rate;
    // Requests that round up to the same spec are one line: what matters is billed → right-sized.
    const key = JSON.stringify([group.projectPath, billed, rightSized]);
    const line = byKey.get(key) ?? {
      projectPath: group.projectPath,
      billed,
      rightSized,
      jobs: 0,
      billedSeconds: 0,
      savingMicros: 0,
    };
    line.jobs += group.jobs;
    line.billedSeconds += group.billedSeconds;
    line.savingMicros += toMicros(perSecondSaving.times(group.billedSeconds));
    byKey.set(key, line);
  }
  const groups = [...byKey.values()].sort(
    (a, b) => b.savingMicros - a.savingMicros || compareProjects(a.projectPath, b.projectPath),
  );
  return {
    groups,
    totalSavingMicros: groups.reduce((sum, group) => sum + group.savingMicros, 0),
    jobs: groups.reduce((sum, group) => sum + group.jobs, 0),
  };
}

export async function historyRightSizing(filter: HistoryFilter, book: PriceBook): Promise<RightSizingSummary> {
  return rightSizingOf(await historySpecGroups(filter), book);
}

export interface ExpensiveJob {
  podUid: string;
  podName: string;
  projectPath: string | null;
  jobName: string | null;
  jobId: string | null;
  jobUrl: string | null;
  finishedAt: Date;
  billedSeconds: number;
  vcpuMilli: number;
  memoryMiB: number;
  costMicros: number;
}

/** The n most expensive jobs, ties broken by the latest finish (as mostExpensiveJobs). */
export async function historyMostExpensive(filter: HistoryFilter, n: number): Promise<ExpensiveJob[]> {
  const rows = await db.jobRecord.findMany({
    where: {
      connectionId: filter.connectionId,
      currency: filter.currency,
      day: { gte: filter.fromDay, lte: filter.toDay },
    },
    orderBy: [{ costMicros: "desc" }, { finishedAt: "desc" }],
    take: n,
    select: {
      podUid: true,
      podName: true,
      projectPath: true,
      jobName: true,
      jobId: true,
      jobUrl: true,
      finishedAt: true,
      billedSeconds: true,
      vcpuMilli: true,
      memoryMiB: true,
      costMicros: true,
    },
  });
  return rows.map((row) => ({ ...row, costMicros: microsFromDatabase(row.costMicros) }));
}
