import "server-only";
import { db } from "@/lib/db.server";
import { fromMicros } from "@/lib/cost/money";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toHistoryRow, type JobHistoryPage, type JobHistoryRow } from "./list";
import type { HistoryQuery } from "@/lib/monitor/validation";

function where(connectionId: string, query: HistoryQuery): Prisma.JobRecordWhereInput {
  return {
    connectionId,
    ...(query.project ? { projectPath: { contains: query.project } } : {}),
    ...(query.status ? { phase: query.status } : {}),
    ...(query.from || query.to
      ? { day: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } }
      : {}),
  };
}

const NEWEST_FIRST: Prisma.JobRecordOrderByWithRelationInput[] = [{ finishedAt: "desc" }, { podUid: "asc" }];

type CurrencySums = { currency: string; _sum: { costMicros: number | null }; _count: { _all: number } };

/** Cost and job count per currency, from a groupBy on currency. */
function currencyTotals(sums: readonly CurrencySums[]): JobHistoryPage["totals"] {
  return sums.map((s) => ({
    currency: s.currency,
    cost: fromMicros(s._sum.costMicros ?? 0).toFixed(),
    jobs: s._count._all,
  }));
}

/** A page of finished jobs, newest first, with the total cost of everything that matches. */
export async function queryJobHistory(connectionId: string, query: HistoryQuery): Promise<JobHistoryPage> {
  const filter = where(connectionId, query);
  const [records, total, sums] = await Promise.all([
    db.jobRecord.findMany({
      where: filter,
      orderBy: NEWEST_FIRST,
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.jobRecord.count({ where: filter }),
    db.jobRecord.groupBy({ by: ["currency"], where: filter, _sum: { costMicros: true }, _count: { _all: true } }),
  ]);
  return {
    rows: records.map(toHistoryRow),
    total,
    page: query.page,
    pageSize: query.pageSize,
    totals: currencyTotals(sums),
  };
}

const EXPORT_LIMIT = 100_000;

/** Every matching row for the CSV export (capped so one request cannot exhaust memory). */
export async function exportJobHistory(connectionId: string, query: HistoryQuery): Promise<JobHistoryRow[]> {
  const records = await db.jobRecord.findMany({
    where: where(connectionId, query),
    orderBy: NEWEST_FIRST,
    take: EXPORT_LIMIT,
  });
  return records.map(toHistoryRow);
}

/** Cost of job pods finished today (UTC), per currency: the "total cost today" figure. */
export async function costToday(connectionId: string, now = new Date()): Promise<JobHistoryPage["totals"]> {
  const sums = await db.jobRecord.groupBy({
    by: ["currency"],
    where: { connectionId, day: now.toISOString().slice(0, 10) },
    _sum: { costMicros: true },
    _count: { _all: true },
  });
  return currencyTotals(sums);
}
