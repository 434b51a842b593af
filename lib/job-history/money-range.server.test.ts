import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";
import { fromMicros } from "@/lib/cost/money";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { jobPod } from "@/lib/monitor/testing/pods";
import { jobEndOf, jobRecordCostFields } from "./record";

/**
 * JobRecord.costMicros is a BigInt column: a 32-bit Int (PostgreSQL's) holds at most 2,147.48 units
 * in micro-units. A job costing more than 10,000 is recorded by the recorder's own write path and read
 * back exactly by every reader: the history page and its totals, today's cost, the cost page's
 * aggregations and its most expensive jobs. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
 */
let recorder: typeof import("@/lib/monitor/job-recorder.server");
let list: typeof import("./list.server");
let aggregates: typeof import("./aggregates.server");
let db: typeof import("@/lib/db.server").db;
let connectionId: string;

// A job hung for two months on the largest spec offered in every region: 24 vCPU, 192 GiB.
const FINISHED = "2026-03-02T00:00:05Z";
const bigJob = jobPod("expensive", "1", "Failed", {
  created: "2026-01-01T00:00:00Z",
  started: "2026-01-01T00:00:05Z",
  finished: FINISHED,
});
bigJob.metadata!.annotations!["k8s.aliyun.com/eci-instance-spec"] = "24.0-192.0Gi";
const smallJob = jobPod("cheap", "1", "Succeeded", {
  created: "2026-03-02T00:00:00Z",
  started: "2026-03-02T00:00:01Z",
  finished: "2026-03-02T00:01:01Z",
});

const costOf = (pod: typeof bigJob) =>
  jobRecordCostFields(pod, { kind: "finished" }, new Date(FINISHED), DEFAULT_PRICE_BOOKS.cn).costMicros;

beforeAll(async () => {
  useFreshDatabase();
  recorder = await import("@/lib/monitor/job-recorder.server");
  list = await import("./list.server");
  aggregates = await import("./aggregates.server");
  db = (await import("@/lib/db.server")).db;
  connectionId = (
    await db.connection.create({ data: { name: "big", server: "https://x", authType: "token", credentials: "{}" } })
  ).id;
});

describe("a job costing more than a 32-bit column holds", () => {
  it("is recorded, and its cost read back exactly, alone and summed", async () => {
    const big = costOf(bigJob);
    const small = costOf(smallJob);
    expect(big).toBeGreaterThan(10_000 * 1_000_000);
    expect(await recorder.recordJobEnd(bigJob, jobEndOf(bigJob, false, new Date())!, connectionId)).toBe(true);
    expect(await recorder.recordJobEnd(smallJob, jobEndOf(smallJob, false, new Date())!, connectionId)).toBe(true);

    const row = await db.jobRecord.findUniqueOrThrow({ where: { podUid: "expensive" } });
    expect(row.costMicros).toBe(BigInt(big));

    const total = fromMicros(big + small).toFixed();
    const page = await list.queryJobHistory(connectionId, { page: 1, pageSize: 10 });
    expect(page.rows.map((r) => [r.podUid, r.cost])).toEqual([
      ["cheap", fromMicros(small).toFixed()],
      ["expensive", fromMicros(big).toFixed()],
    ]);
    expect(page.totals).toEqual([{ currency: "CNY", cost: total, jobs: 2 }]);
    expect(await list.costToday(connectionId, new Date(FINISHED))).toEqual([{ currency: "CNY", cost: total, jobs: 2 }]);

    const filter = { connectionId, fromDay: "2026-03-01", toDay: "2026-03-31", currency: "CNY" };
    const summary = await aggregates.historySummary(filter, 31);
    expect(summary.costMicros).toBe(big + small);
    expect(summary.totalCost.toFixed()).toBe(total);
    expect(await aggregates.historyByDay(filter)).toEqual([
      { day: "2026-03-02", jobs: 2, billedSeconds: expect.any(Number), costMicros: big + small },
    ]);
    const [mostExpensive] = await aggregates.historyMostExpensive(filter, 1);
    expect(mostExpensive).toMatchObject({ podUid: "expensive", costMicros: big });
    const specs = await aggregates.historyBilledSpecs(filter);
    expect(specs.map((s) => s.costMicros).sort((a, b) => b - a)).toEqual([big, small]);
  });
});
