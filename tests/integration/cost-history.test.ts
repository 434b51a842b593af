import { beforeAll, describe, expect, it } from "vitest";
import {
  aggregateByDay,
  aggregateByDayAndProject,
  aggregateByProject,
  durationPercentiles,
  mostExpensiveJobs,
  rightSizingReport,
  summarizeHistory,
  type JobRecordLike,
} from "@/lib/job-history/aggregates";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { useFreshDatabase } from "@/tests/test-db";

let history: typeof import("@/lib/job-history/aggregates.server");
let db: typeof import("@/lib/db.server").db;

// A small deterministic generator (mulberry32): the same records on every run.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECS = [
  [250, 512],
  [500, 1024],
  [1000, 2048],
  [2000, 4096],
  [4000, 8192],
] as const;
const PROJECTS = ["group/api", "group/web", "tools/ci", "Group/Docs", null];

interface GeneratedRecord extends JobRecordLike {
  podUid: string;
  podName: string;
  connectionId: string;
  finishedAt: Date;
}

function generate(count: number, connectionIds: string[], seed: number): GeneratedRecord[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const start = Date.UTC(2026, 9, 1);
  return Array.from({ length: count }, (_, i) => {
    const finishedAt = new Date(start + Math.floor(next() * 60 * 86_400_000));
    const [vcpuMilli, memoryMiB] = pick(SPECS);
    const billedSeconds = 1 + Math.floor(next() ** 2 * 3600);
    const requested = next() < 0.7 ? pick(SPECS.filter(([cpu]) => cpu <= vcpuMilli)) : null;
    const currency = next() < 0.95 ? "CNY" : "USD";
    return {
      podUid: `uid-${seed}-${i}`,
      podName: `runner-x-project-${i}`,
      connectionId: pick(connectionIds),
      projectPath: pick(PROJECTS),
      jobName: `job-${i % 7}`,
      jobId: String(i),
      jobUrl: null,
      day: finishedAt.toISOString().slice(0, 10),
      finishedAt,
      billedSeconds,
      vcpuMilli,
      memoryMiB,
      requestedVcpuMilli: requested ? requested[0] - Math.floor(next() * 100) : null,
      requestedMemoryMiB: requested ? requested[1] : null,
      currency,
      // Distinct costs so "most expensive" has one right answer.
      costMicros: billedSeconds * (vcpuMilli / 10) + i,
    };
  });
}

let records: GeneratedRecord[];
let connectionIds: string[];

beforeAll(async () => {
  useFreshDatabase();
  history = await import("@/lib/job-history/aggregates.server");
  db = (await import("@/lib/db.server")).db;
  connectionIds = [];
  for (const name of ["one", "two"]) {
    const connection = await db.connection.create({
      data: { name, server: "https://example.test", authType: "token", credentials: "{}" },
    });
    connectionIds.push(connection.id);
  }
  records = generate(4000, connectionIds, 7);
  for (let i = 0; i < records.length; i += 500) {
    await db.jobRecord.createMany({
      data: records
        .slice(i, i + 500)
        .map((r) => ({ ...r, namespace: "gitlab-runner", phase: "Succeeded", createdAt: r.finishedAt })),
    });
  }
});

function subset(filter: { connectionId: string; fromDay: string; toDay: string; currency: string }) {
  return records.filter(
    (r) =>
      r.connectionId === filter.connectionId &&
      r.day >= filter.fromDay &&
      r.day <= filter.toDay &&
      r.currency === filter.currency,
  );
}

const PERIODS = [
  ["the whole history", "2026-10-01", "2026-11-30"],
  ["two weeks", "2026-10-10", "2026-10-23"],
  ["one day", "2026-11-05", "2026-11-05"],
  ["a period without jobs", "2027-01-01", "2027-01-31"],
] as const;

describe.each(PERIODS)("SQL aggregations equal the brute-force reference over %s", (_name, fromDay, toDay) => {
  const filters = () =>
    connectionIds.flatMap((connectionId) =>
      ["CNY", "USD"].map((currency) => ({ connectionId, fromDay, toDay, currency })),
    );

  it("per day, per project, per day and project", async () => {
    for (const filter of filters()) {
      const expected = subset(filter);
      expect(await history.historyByDay(filter)).toEqual(aggregateByDay(expected));
      expect(await history.historyByProject(filter)).toEqual(aggregateByProject(expected));
      expect(await history.historyByDayAndProject(filter)).toEqual(aggregateByDayAndProject(expected));
    }
  });

  it("summary and duration percentiles", async () => {
    for (const filter of filters()) {
      const expected = subset(filter);
      const reference = summarizeHistory(expected, 30);
      const summary = await history.historySummary(filter, 30);
      expect(summary.jobs).toBe(reference.jobs);
      expect(summary.totalCost.equals(reference.totalCost)).toBe(true);
      expect(summary.costPerJob.equals(reference.costPerJob)).toBe(true);
      expect(summary.jobsPerDay.equals(reference.jobsPerDay)).toBe(true);
      expect(summary.meanBilledSeconds.equals(reference.meanBilledSeconds)).toBe(true);
      expect(await history.historyDurationPercentiles(filter)).toEqual(durationPercentiles(expected));
    }
  });

  it("billed specs", async () => {
    for (const filter of filters()) {
      const expected = new Map<string, number>();
      for (const r of subset(filter))
        expected.set(
          `${r.vcpuMilli / 1000}-${r.memoryMiB / 1024}`,
          (expected.get(`${r.vcpuMilli / 1000}-${r.memoryMiB / 1024}`) ?? 0) + 1,
        );
      const shares = await history.historyBilledSpecs(filter);
      expect(new Map(shares.map((s) => [`${s.spec.vcpu}-${s.spec.memoryGiB}`, s.jobs]))).toEqual(expected);
      expect(shares.map((s) => s.jobs)).toEqual([...shares.map((s) => s.jobs)].sort((a, b) => b - a));
    }
  });

  it("most expensive jobs", async () => {
    for (const filter of filters()) {
      const expected = mostExpensiveJobs(subset(filter), 10).map((r) => r.podUid);
      expect((await history.historyMostExpensive(filter, 10)).map((r) => r.podUid)).toEqual(expected);
    }
  });

  it("right-sizing saving", async () => {
    for (const filter of filters()) {
      const book = filter.currency === "CNY" ? DEFAULT_PRICE_BOOKS.cn : DEFAULT_PRICE_BOOKS.intl;
      const reference = rightSizingReport(subset(filter), book);
      const result = await history.historyRightSizing(filter, book);
      expect(result.jobs).toBe(reference.jobs.length);
      // The reference rounds each job's saving to a micro-unit; the SQL version each group's.
      expect(Math.abs(result.totalSavingMicros - reference.totalSavingMicros)).toBeLessThanOrEqual(
        Math.max(1, reference.jobs.length),
      );
      if (reference.jobs.length > 0) expect(result.totalSavingMicros).toBeGreaterThan(0);
    }
  });
});

describe("history helpers", () => {
  it("lists the currencies of a period, most jobs first", async () => {
    const currencies = await history.historyCurrencies({
      connectionId: connectionIds[0],
      fromDay: "2026-10-01",
      toDay: "2026-11-30",
    });
    expect(currencies).toEqual(["CNY", "USD"]);
    expect(
      await history.historyCurrencies({ connectionId: connectionIds[0], fromDay: "2027-01-01", toDay: "2027-01-31" }),
    ).toEqual([]);
  });

  it.each([
    [1, "2026-11-25", "2026-11-25"],
    [7, "2026-11-19", "2026-11-25"],
    [30, "2026-10-27", "2026-11-25"],
  ])("periodDays(%i) ends today in UTC", (days, fromDay, toDay) => {
    expect(history.periodDays(days, new Date("2026-11-25T23:59:59Z"))).toEqual({ fromDay, toDay });
  });
});

describe("loadClusterCostReport", () => {
  it("gathers the view's figures in one currency with that currency's price book", async () => {
    const { loadClusterCostReport } = await import("@/lib/cost/cluster-report.server");
    const now = new Date("2026-11-30T12:00:00Z");
    const report = await loadClusterCostReport(connectionIds[1], 30, { now });
    const expected = subset({
      connectionId: connectionIds[1],
      fromDay: "2026-11-01",
      toDay: "2026-11-30",
      currency: "CNY",
    });
    expect(report.filter).toMatchObject({ fromDay: "2026-11-01", toDay: "2026-11-30", currency: "CNY" });
    expect(report.currencies).toEqual(["CNY", "USD"]);
    expect(report.book.currency).toBe("CNY");
    expect(report.summary.jobs).toBe(expected.length);
    expect(report.byDay).toEqual(aggregateByDay(expected));
    expect(report.byProject).toEqual(aggregateByProject(expected));
    expect(report.percentiles).toEqual(durationPercentiles(expected));
    expect(report.mostExpensive.map((job) => job.podUid)).toEqual(mostExpensiveJobs(expected, 10).map((r) => r.podUid));

    const inDollars = await loadClusterCostReport(connectionIds[1], 30, { now, currency: "USD" });
    expect(inDollars.book.currency).toBe("USD");
    expect(inDollars.summary.jobs).toBe(subset({ ...inDollars.filter }).length);

    // History goes back to October: the 30-day period is observed from Nov 1 to now (29.5 days).
    expect(report.span).toMatchObject({ seconds: 29.5 * 86_400, enough: true });
    expect(report.summary.jobsPerDay.toNumber()).toBeCloseTo(expected.length / 29.5, 10);
    expect(report.repricing.map((r) => r.id)).toEqual([
      "eci",
      "eci-economy",
      "eci-spot",
      "acs-default",
      "acs-best-effort",
    ]);
  });

  it("jobs per day come from the span observed, not the period: 57 jobs in 25 minutes are no rate at all", async () => {
    const { loadClusterCostReport } = await import("@/lib/cost/cluster-report.server");
    const now = new Date("2026-12-06T12:00:00Z");
    const connection = await db.connection.create({
      data: { name: "fresh", server: "https://example.test", authType: "token", credentials: "{}" },
    });
    await db.jobRecord.createMany({
      data: Array.from({ length: 57 }, (_, i) => {
        const finishedAt = new Date(now.getTime() - (24 - i * 0.4) * 60_000);
        return {
          podUid: `fresh-${i}`,
          podName: `runner-fresh-${i}`,
          connectionId: connection.id,
          namespace: "gitlab-runner",
          phase: "Succeeded",
          createdAt: new Date(finishedAt.getTime() - 60_000),
          finishedAt,
          day: "2026-12-06",
          billedSeconds: 60,
          vcpuMilli: 1000,
          memoryMiB: 2048,
          currency: "CNY",
          costMicros: 2206,
        };
      }),
    });
    for (const days of [1, 7, 30, 90]) {
      const report = await loadClusterCostReport(connection.id, days, { now });
      expect(report.summary.jobs).toBe(57);
      expect(report.span).toMatchObject({ seconds: 25 * 60, enough: false });
      expect(report.repricing.every((r) => !r.ok || r.monthly === null)).toBe(true);
    }
  });
});

describe("loadClusterCostReport: currency, price book and observed span", () => {
  let seq = 0;
  async function connectionWithJobs(
    pricing: { priceSite?: string; priceRegion?: string },
    jobs: Array<{ currency: string; createdAt: string; finishedAt: string }>,
  ): Promise<string> {
    const connection = await db.connection.create({
      data: {
        name: `report-${++seq}`,
        server: "https://example.test",
        authType: "token",
        credentials: "{}",
        ...pricing,
      },
    });
    for (const [i, job] of jobs.entries()) {
      // One at a time, in the order given: the order they were recorded in.
      await db.jobRecord.create({
        data: {
          podUid: `${connection.id}-${i}`,
          podName: `runner-report-${i}`,
          connectionId: connection.id,
          namespace: "gitlab-runner",
          phase: "Succeeded",
          createdAt: new Date(job.createdAt),
          finishedAt: new Date(job.finishedAt),
          day: job.finishedAt.slice(0, 10),
          billedSeconds: 60,
          vcpuMilli: 1000,
          memoryMiB: 2048,
          currency: job.currency,
          costMicros: 2206,
        },
      });
    }
    return connection.id;
  }
  const now = new Date("2026-12-06T12:00:00Z");
  const load = async (connectionId: string, currency?: "CNY" | "USD") =>
    (await import("@/lib/cost/cluster-report.server")).loadClusterCostReport(connectionId, 7, { now, currency });
  const job = (currency: string, at = "2026-12-06T10:00:00Z") => ({ currency, createdAt: at, finishedAt: at });

  it("a connection that recorded no job yet: an empty report in CNY, with nothing observed", async () => {
    const report = await load(await connectionWithJobs({}, []));
    expect(report.filter.currency).toBe("CNY");
    expect(report.currencies).toEqual([]);
    expect(report.book).toEqual(DEFAULT_PRICE_BOOKS.cn);
    expect(report.summary.jobs).toBe(0);
    expect(report.byDay).toEqual([]);
    expect(report.span).toMatchObject({ seconds: 0, enough: false });
  });

  it("is in the currency asked for only if the period recorded it, else in the one recorded", async () => {
    const dollarsOnly = await connectionWithJobs({}, [job("USD"), job("USD")]);
    for (const asked of [undefined, "CNY", "USD"] as const) {
      const report = await load(dollarsOnly, asked);
      expect([asked, report.filter.currency, report.book.currency, report.summary.jobs]).toEqual([
        asked,
        "USD",
        "USD",
        2,
      ]);
    }
  });

  it("prices with the connection's own regional book, and with the site's book for another currency", async () => {
    const prices = await import("@/lib/cost/price-book.server");
    const beijing = await connectionWithJobs({ priceSite: "cn", priceRegion: "cn-beijing" }, [job("CNY")]);
    await prices.savePriceBook({
      site: "cn",
      region: "cn-beijing",
      currency: "CNY",
      vcpuPerSecond: "0.00006",
      memoryGiBPerSecond: "0.000008",
    });
    try {
      const report = await load(beijing);
      expect(report.book.region).toBe("cn-beijing");
      expect(report.book.prices["eci.vcpu"].perSecond).toBe("0.00006");
    } finally {
      await prices.resetPriceBook("cn", "cn-beijing");
    }
    // Priced on the international site now, with jobs recorded in yuan before the switch.
    const switched = await connectionWithJobs({ priceSite: "intl" }, [job("CNY")]);
    const report = await load(switched);
    expect(report.filter.currency).toBe("CNY");
    expect(report.book).toEqual(DEFAULT_PRICE_BOOKS.cn);
  });

  it("observes from the creation of the first job recorded (the first to finish), whatever order the rows were written in", async () => {
    const connectionId = await connectionWithJobs({}, [
      { currency: "CNY", createdAt: "2026-12-06T08:00:00Z", finishedAt: "2026-12-06T11:00:00Z" },
      { currency: "CNY", createdAt: "2026-12-06T01:00:00Z", finishedAt: "2026-12-06T03:00:00Z" },
    ]);
    const report = await load(connectionId);
    expect(report.span.from.toISOString()).toBe("2026-12-06T01:00:00.000Z");
    expect(report.span.seconds).toBe(11 * 3600);
  });
});

describe("the rollups follow every write to JobRecord (ADR 019)", () => {
  // The invariant: whatever was written, the rollup-backed aggregations equal the reference over the
  // records the table holds now.
  async function expectRollupsMatchTable(connectionId: string) {
    const stored = await db.jobRecord.findMany({ where: { connectionId } });
    for (const currency of ["CNY", "USD"]) {
      const filter = { connectionId, fromDay: "2026-10-01", toDay: "2026-11-30", currency };
      const expected: JobRecordLike[] = stored
        .filter((r) => r.currency === currency)
        .map((r) => ({ ...r, finishedAt: r.finishedAt, costMicros: Number(r.costMicros) }));
      expect(await history.historyByDayAndProject(filter)).toEqual(aggregateByDayAndProject(expected));
      expect(await history.historyDurationPercentiles(filter)).toEqual(durationPercentiles(expected));
      const book = currency === "CNY" ? DEFAULT_PRICE_BOOKS.cn : DEFAULT_PRICE_BOOKS.intl;
      expect((await history.historyRightSizing(filter, book)).jobs).toBe(rightSizingReport(expected, book).jobs.length);
      const groups = await history.historySpecGroups(filter);
      expect(groups.reduce((sum, g) => sum + g.jobs, 0)).toBe(expected.length);
    }
    const empty = await db.$queryRaw<Array<{ n: unknown }>>`
      SELECT (SELECT COUNT(*) FROM "JobCostDay" WHERE "jobs" <= 0) + (SELECT COUNT(*) FROM "JobDurationDay" WHERE "jobs" <= 0) AS "n"`;
    expect(Number(empty[0].n)).toBe(0);
  }

  it("counts inserts once, a duplicate pod uid not at all, and follows updates and deletes", async () => {
    const connection = await db.connection.create({
      data: { name: "rollups", server: "https://example.test", authType: "token", credentials: "{}" },
    });
    const written = generate(600, [connection.id], 11);
    await db.jobRecord.createMany({
      data: written.map((r) => ({ ...r, namespace: "gitlab-runner", phase: "Succeeded", createdAt: r.finishedAt })),
    });
    await expectRollupsMatchTable(connection.id);

    // The recorder's safety net: a second observation of the same pod is refused by the key.
    const again = written[0];
    await expect(
      db.jobRecord.create({
        data: { ...again, namespace: "gitlab-runner", phase: "Succeeded", createdAt: again.finishedAt },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    await expectRollupsMatchTable(connection.id);

    // Every column the rollups hold, changed one way or another, singly and in bulk.
    const ids = (await db.jobRecord.findMany({ where: { connectionId: connection.id }, select: { id: true } })).map(
      (r) => r.id,
    );
    await db.jobRecord.update({ where: { id: ids[0] }, data: { projectPath: null, requestedVcpuMilli: null } });
    await db.jobRecord.update({ where: { id: ids[1] }, data: { projectPath: "group/moved", costMicros: 123_456 } });
    await db.jobRecord.update({ where: { id: ids[2] }, data: { day: "2026-11-30", billedSeconds: 4242 } });
    await db.jobRecord.update({ where: { id: ids[3] }, data: { currency: "USD", vcpuMilli: 8000, memoryMiB: 16384 } });
    await db.jobRecord.updateMany({ where: { id: { in: ids.slice(10, 60) } }, data: { requestedMemoryMiB: 512 } });
    await db.jobRecord.updateMany({ where: { id: { in: ids.slice(60, 200) } }, data: { gitlabStatus: "success" } });
    await expectRollupsMatchTable(connection.id);

    await db.jobRecord.delete({ where: { id: ids[4] } });
    await db.jobRecord.deleteMany({ where: { id: { in: ids.slice(100, 400) } } });
    await expectRollupsMatchTable(connection.id);

    // A connection's records go with it (cascade), and so do its rollup rows.
    await db.connection.delete({ where: { id: connection.id } });
    const left = await db.$queryRaw<Array<{ n: unknown }>>`
      SELECT (SELECT COUNT(*) FROM "JobCostDay" WHERE "connectionId" = ${connection.id})
           + (SELECT COUNT(*) FROM "JobDurationDay" WHERE "connectionId" = ${connection.id}) AS "n"`;
    expect(Number(left[0].n)).toBe(0);
  });
});
