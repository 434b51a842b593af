import "server-only";
import Decimal from "decimal.js";
import { db } from "@/lib/db.server";
import { Prisma } from "@/lib/generated/prisma/client";
import { fromMicros, toMicros, type Money } from "@/lib/cost/money";
import { pricePerSecond } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import type { DurationPercentiles, GroupTotals } from "@/lib/cost/history";
import { roundUpToSupportedSpec, SpecOutOfRangeError, type EciSpec } from "@/lib/eci/specs";

/**
 * JobRecord aggregations in SQL: GROUP BY on the indexed columns, so a million records never
 * travel to JavaScript. Each function mirrors a brute-force reference in lib/cost/history.ts and is
 * tested against it. Plain SQL with quoted identifiers: the same text runs on SQLite and PostgreSQL.
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

// Drivers return COUNT/SUM as number, bigint or (PostgreSQL numeric) string.
function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : Number(value);
}

function totals(row: { jobs: unknown; billedSeconds: unknown; costMicros: unknown }): GroupTotals {
  return { jobs: num(row.jobs), billedSeconds: num(row.billedSeconds), costMicros: num(row.costMicros) };
}

/** UTC days from `days` days ago up to `today`, both included. */
export function periodDays(days: number, today: Date = new Date()): { fromDay: string; toDay: string } {
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { fromDay: start.toISOString().slice(0, 10), toDay: end.toISOString().slice(0, 10) };
}

/** Currencies of a connection's records in a period, most jobs first (normally just one). */
export async function historyCurrencies(filter: Omit<HistoryFilter, "currency">): Promise<Array<{ currency: string; jobs: number }>> {
  const rows = await db.$queryRaw<Array<{ currency: string; jobs: unknown }>>`
    SELECT "currency", COUNT(*) AS "jobs" FROM "JobRecord"
    WHERE "connectionId" = ${filter.connectionId} AND "day" >= ${filter.fromDay} AND "day" <= ${filter.toDay}
    GROUP BY "currency" ORDER BY COUNT(*) DESC, "currency"`;
  return rows.map((row) => ({ currency: row.currency, jobs: num(row.jobs) }));
}

export async function historyTotals(filter: HistoryFilter): Promise<GroupTotals> {
  const [row] = await db.$queryRaw<Array<{ jobs: unknown; billedSeconds: unknown; costMicros: unknown }>>`
    SELECT COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobRecord" WHERE ${where(filter)}`;
  return totals(row);
}

export interface HistorySummarySql extends GroupTotals {
  periodDays: number;
  jobsPerDay: Money;
  meanBilledSeconds: Money;
  totalCost: Money;
  costPerJob: Money;
}

/** As summarizeHistory: days without jobs count, they are part of the month. */
export async function historySummary(filter: HistoryFilter, periodDayCount: number): Promise<HistorySummarySql> {
  const sums = await historyTotals(filter);
  const totalCost = fromMicros(sums.costMicros);
  return {
    ...sums,
    periodDays: periodDayCount,
    jobsPerDay: new Decimal(sums.jobs).dividedBy(periodDayCount),
    meanBilledSeconds: sums.jobs === 0 ? new Decimal(0) : new Decimal(sums.billedSeconds).dividedBy(sums.jobs),
    totalCost,
    costPerJob: sums.jobs === 0 ? new Decimal(0) : totalCost.dividedBy(sums.jobs),
  };
}

/** Per UTC day, oldest first (as aggregateByDay). */
export async function historyByDay(filter: HistoryFilter): Promise<Array<{ day: string } & GroupTotals>> {
  const rows = await db.$queryRaw<Array<{ day: string; jobs: unknown; billedSeconds: unknown; costMicros: unknown }>>`
    SELECT "day", COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobRecord" WHERE ${where(filter)}
    GROUP BY "day" ORDER BY "day"`;
  return rows.map((row) => ({ day: row.day, ...totals(row) }));
}

/** Per project, most expensive first, then by path, jobs without a project last (as aggregateByProject). */
export async function historyByProject(filter: HistoryFilter): Promise<Array<{ projectPath: string | null } & GroupTotals>> {
  const rows = await db.$queryRaw<Array<{ projectPath: string | null; jobs: unknown; billedSeconds: unknown; costMicros: unknown }>>`
    SELECT "projectPath", COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobRecord" WHERE ${where(filter)}
    GROUP BY "projectPath"`;
  // Sorted here, not in SQL: PostgreSQL's default collation is not the code-unit order SQLite and the reference use.
  return rows
    .map((row) => ({ projectPath: row.projectPath, ...totals(row) }))
    .sort((a, b) => b.costMicros - a.costMicros || compareProjects(a.projectPath, b.projectPath));
}

/** Per UTC day and project (stacked chart), oldest day first (as aggregateByDayAndProject). */
export async function historyByDayAndProject(
  filter: HistoryFilter,
): Promise<Array<{ day: string; projectPath: string | null } & GroupTotals>> {
  const rows = await db.$queryRaw<Array<{ day: string; projectPath: string | null; jobs: unknown; billedSeconds: unknown; costMicros: unknown }>>`
    SELECT "day", "projectPath", COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobRecord" WHERE ${where(filter)}
    GROUP BY "day", "projectPath"`;
  return rows
    .map((row) => ({ day: row.day, projectPath: row.projectPath, ...totals(row) }))
    .sort((a, b) => compareText(a.day, b.day) || compareProjects(a.projectPath, b.projectPath));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// By path in code-unit order, jobs without a project label last.
function compareProjects(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/**
 * Nearest-rank percentiles of billed seconds (as durationPercentiles). SQL returns the histogram
 * (jobs per distinct duration: seconds are integers, so a few thousand rows at most) and the
 * ranks are read off its running total: exact, one pass, no row sent to JavaScript.
 */
export async function historyDurationPercentiles(filter: HistoryFilter): Promise<DurationPercentiles> {
  const rows = await db.$queryRaw<Array<{ billedSeconds: unknown; jobs: unknown }>>`
    SELECT "billedSeconds", COUNT(*) AS "jobs" FROM "JobRecord" WHERE ${where(filter)}
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

export interface BilledSpecShare extends GroupTotals {
  spec: EciSpec;
}

/** How many jobs ran on each billed spec, most jobs first. */
export async function historyBilledSpecs(filter: HistoryFilter): Promise<BilledSpecShare[]> {
  const rows = await db.$queryRaw<Array<{ vcpuMilli: unknown; memoryMiB: unknown; jobs: unknown; billedSeconds: unknown; costMicros: unknown }>>`
    SELECT "vcpuMilli", "memoryMiB", COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "JobRecord" WHERE ${where(filter)}
    GROUP BY "vcpuMilli", "memoryMiB" ORDER BY COUNT(*) DESC, "vcpuMilli", "memoryMiB"`;
  return rows.map((row) => ({ spec: { vcpu: num(row.vcpuMilli) / 1000, memoryGiB: num(row.memoryMiB) / 1024 }, ...totals(row) }));
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
  return db.jobRecord.findMany({
    where: { connectionId: filter.connectionId, currency: filter.currency, day: { gte: filter.fromDay, lte: filter.toDay } },
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
}

export interface RightSizingGroup {
  projectPath: string | null;
  billed: EciSpec;
  rightSized: EciSpec;
  jobs: number;
  billedSeconds: number;
  savingMicros: number;
}

/**
 * The saving from right-sizing (as rightSizingReport): jobs grouped by project, billed spec and
 * requested spec, each group priced once. The total can differ from the per-job reference by
 * under one micro-unit per job, because the reference rounds each job's saving to a micro-unit.
 */
export async function historyRightSizing(
  filter: HistoryFilter,
  book: PriceBook,
): Promise<{ groups: RightSizingGroup[]; totalSavingMicros: number; jobs: number }> {
  const rows = await db.$queryRaw<
    Array<{ projectPath: string | null; vcpuMilli: unknown; memoryMiB: unknown; requestedVcpuMilli: unknown; requestedMemoryMiB: unknown; jobs: unknown; billedSeconds: unknown }>
  >`
    SELECT "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB",
           COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds"
    FROM "JobRecord"
    WHERE ${where(filter)} AND "requestedVcpuMilli" IS NOT NULL AND "requestedMemoryMiB" IS NOT NULL
    GROUP BY "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB"`;
  const groups: RightSizingGroup[] = [];
  for (const row of rows) {
    let rightSized: EciSpec;
    try {
      rightSized = roundUpToSupportedSpec({ vcpu: num(row.requestedVcpuMilli) / 1000, memoryGiB: num(row.requestedMemoryMiB) / 1024 });
    } catch (error) {
      if (error instanceof SpecOutOfRangeError) continue;
      throw error;
    }
    const billed = { vcpu: num(row.vcpuMilli) / 1000, memoryGiB: num(row.memoryMiB) / 1024 };
    const perSecondSaving = pricePerSecond(billed, book).minus(pricePerSecond(rightSized, book));
    if (perSecondSaving.lessThanOrEqualTo(0)) continue;
    const billedSeconds = num(row.billedSeconds);
    groups.push({
      projectPath: row.projectPath,
      billed,
      rightSized,
      jobs: num(row.jobs),
      billedSeconds,
      savingMicros: toMicros(perSecondSaving.times(billedSeconds)),
    });
  }
  groups.sort((a, b) => b.savingMicros - a.savingMicros || compareProjects(a.projectPath, b.projectPath));
  return {
    groups,
    totalSavingMicros: groups.reduce((sum, group) => sum + group.savingMicros, 0),
    jobs: groups.reduce((sum, group) => sum + group.jobs, 0),
  };
}
