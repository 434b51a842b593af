import "server-only";
import { db } from "@/lib/db.server";
import { fromMicros } from "@/lib/cost/money";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toHistoryRow, type GitlabJobFacts, type JobHistoryPage, type JobHistoryRow } from "./list";
import type { HistoryQuery } from "@/lib/monitor/validation";

/** The History filter on GitLab's result (list.ts historyResult) as a condition on the record's columns. */
function resultWhere(result: NonNullable<HistoryQuery["result"]>): Prisma.JobRecordWhereInput {
  if (result === "unknown") return { gitlabJobId: null, gitlabStatus: null };
  if (result === "pending") return { gitlabJobId: { not: null }, gitlabStatus: null };
  return { gitlabStatus: result };
}

function where(connectionId: string, query: HistoryQuery): Prisma.JobRecordWhereInput {
  return {
    connectionId,
    ...(query.project ? { projectPath: { contains: query.project } } : {}),
    // Records from before the real lifecycle say Succeeded/Failed for jobs that finished.
    ...(query.status === "Finished"
      ? { phase: { in: ["Finished", "Succeeded", "Failed"] } }
      : query.status
        ? { phase: query.status }
        : {}),
    ...(query.result ? resultWhere(query.result) : {}),
    ...(query.from || query.to
      ? { day: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } }
      : {}),
  };
}

const NEWEST_FIRST: Prisma.JobRecordOrderByWithRelationInput[] = [{ finishedAt: "desc" }, { podUid: "asc" }];

type CurrencySums = { currency: string; _sum: { costMicros: bigint | null }; _count: { _all: number } };

/** Cost and job count per currency, from a groupBy on currency. */
function currencyTotals(sums: readonly CurrencySums[]): JobHistoryPage["totals"] {
  return sums.map((s) => ({
    currency: s.currency,
    cost: fromMicros(s._sum.costMicros ?? 0n).toFixed(),
    jobs: s._count._all,
  }));
}

const GITLAB_FACTS = {
  jobId: true,
  pipelineId: true,
  ref: true,
  mergeRequestIid: true,
  userName: true,
  stage: true,
  webUrl: true,
  failureReason: true,
} as const;

/**
 * The stored GitLab jobs of these records, keyed `<connection>:<job id>`: one query per GitLab
 * connection (JobRecord and GitlabJob share no foreign key, see the schema).
 */
async function gitlabFactsOf(
  records: ReadonlyArray<{ gitlabConnectionId: string | null; gitlabJobId: number | null }>,
): Promise<Map<string, GitlabJobFacts>> {
  const byConnection = new Map<string, number[]>();
  for (const record of records) {
    if (record.gitlabConnectionId === null || record.gitlabJobId === null) continue;
    const ids = byConnection.get(record.gitlabConnectionId) ?? [];
    ids.push(record.gitlabJobId);
    byConnection.set(record.gitlabConnectionId, ids);
  }
  const facts = new Map<string, GitlabJobFacts>();
  for (const [gitlabConnectionId, ids] of byConnection) {
    // Chunks keep each IN list under SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const jobs = await db.gitlabJob.findMany({
        where: { gitlabConnectionId, jobId: { in: ids.slice(i, i + 500) } },
        select: GITLAB_FACTS,
      });
      for (const job of jobs) facts.set(`${gitlabConnectionId}:${job.jobId}`, job);
    }
  }
  return facts;
}

async function historyRows(records: Parameters<typeof toHistoryRow>[0][]): Promise<JobHistoryRow[]> {
  const facts = await gitlabFactsOf(records);
  return records.map((record) =>
    toHistoryRow(record, facts.get(`${record.gitlabConnectionId}:${record.gitlabJobId}`) ?? null),
  );
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
    rows: await historyRows(records),
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
  return historyRows(records);
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
