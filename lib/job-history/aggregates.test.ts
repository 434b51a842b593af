import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  aggregateByDay,
  aggregateByDayAndProject,
  aggregateByProject,
  durationPercentiles,
  mostExpensiveJobs,
  percentile,
  rightSizingReport,
  rightSizingSaving,
  summarizeHistory,
  utcDay,
  type JobRecordLike,
} from "@/lib/job-history/aggregates";
import { jobRecordCostFields } from "@/lib/job-history/record";
import { breakEvenForCostPerJob } from "@/lib/cost/break-even";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";

const cn = DEFAULT_PRICE_BOOKS.cn;

function record(overrides: Partial<JobRecordLike>): JobRecordLike {
  const finishedAt = overrides.finishedAt ?? "2026-11-20T12:00:00Z";
  return {
    projectPath: "group/app",
    day: utcDay(finishedAt),
    finishedAt,
    billedSeconds: 600,
    vcpuMilli: 1000,
    memoryMiB: 2048,
    requestedVcpuMilli: 1000,
    requestedMemoryMiB: 2048,
    currency: "CNY",
    costMicros: 36756,
    ...overrides,
  };
}

const records = [
  record({ finishedAt: "2026-11-20T23:59:59Z", billedSeconds: 60, costMicros: 100 }),
  record({ finishedAt: "2026-11-21T00:00:00Z", billedSeconds: 120, costMicros: 200, projectPath: "group/lib" }),
  record({ finishedAt: "2026-11-21T10:00:00Z", billedSeconds: 300, costMicros: 700, projectPath: null }),
  record({ finishedAt: "2026-11-19T08:00:00Z", billedSeconds: 600, costMicros: 1000, projectPath: "group/lib" }),
];

describe("aggregations", () => {
  it("groups by UTC day, oldest first", () => {
    expect(aggregateByDay(records)).toEqual([
      { day: "2026-11-19", jobs: 1, billedSeconds: 600, costMicros: 1000 },
      { day: "2026-11-20", jobs: 1, billedSeconds: 60, costMicros: 100 },
      { day: "2026-11-21", jobs: 2, billedSeconds: 420, costMicros: 900 },
    ]);
  });

  it("groups by project, most expensive first, unlabelled jobs kept", () => {
    expect(aggregateByProject(records)).toEqual([
      { projectPath: "group/lib", jobs: 2, billedSeconds: 720, costMicros: 1200 },
      { projectPath: null, jobs: 1, billedSeconds: 300, costMicros: 700 },
      { projectPath: "group/app", jobs: 1, billedSeconds: 60, costMicros: 100 },
    ]);
  });

  it("groups by day and project", () => {
    expect(aggregateByDayAndProject(records)).toEqual([
      { day: "2026-11-19", projectPath: "group/lib", jobs: 1, billedSeconds: 600, costMicros: 1000 },
      { day: "2026-11-20", projectPath: "group/app", jobs: 1, billedSeconds: 60, costMicros: 100 },
      { day: "2026-11-21", projectPath: "group/lib", jobs: 1, billedSeconds: 120, costMicros: 200 },
      { day: "2026-11-21", projectPath: null, jobs: 1, billedSeconds: 300, costMicros: 700 },
    ]);
  });

  it("breaks cost ties by path in binary order, as SQL ORDER BY does", () => {
    const rows = [record({ projectPath: "group/a" }), record({ projectPath: "Group/B" })];
    expect(aggregateByProject(rows).map((g) => g.projectPath)).toEqual(["Group/B", "group/a"]);
  });

  it("refuses to add up two currencies", () => {
    expect(() => aggregateByDay([record({}), record({ currency: "USD" })])).toThrow(/mix currencies/);
  });

  const recordArb = fc.record({
    projectPath: fc.constantFrom("a", "b", "c", null),
    finishedAt: fc.date({
      min: new Date("2026-01-01T00:00:00Z"),
      max: new Date("2026-12-31T23:59:59Z"),
      noInvalidDate: true,
    }),
    billedSeconds: fc.integer({ min: 0, max: 86_400 }),
    costMicros: fc.integer({ min: 0, max: 10_000_000 }),
  });

  it("per-day and per-project totals both add up to the grand total (property)", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), (raw) => {
        const rows = raw.map((r) => record({ ...r, finishedAt: r.finishedAt.toISOString() }));
        const total = rows.reduce((sum, r) => sum + r.costMicros, 0);
        for (const groups of [aggregateByDay(rows), aggregateByProject(rows), aggregateByDayAndProject(rows)]) {
          expect(groups.reduce((sum, g) => sum + g.costMicros, 0)).toBe(total);
          expect(groups.reduce((sum, g) => sum + g.jobs, 0)).toBe(rows.length);
        }
      }),
    );
  });
});

describe("percentile (nearest rank)", () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[10, 1, 5], 50, 5],
    [[42], 99, 42],
    [[], 50, null],
  ])("%j p%d -> %s", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it.each([0, -1, 101, NaN])("rejects p = %d", (p) => {
    expect(() => percentile([1], p)).toThrow(RangeError);
  });

  it("is an observed value with at least p% at or below it and fewer than p% strictly below (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(50, 90, 99),
        (values, p) => {
          const value = percentile(values, p) as number;
          expect(values).toContain(value);
          expect(values.filter((v) => v <= value).length * 100).toBeGreaterThanOrEqual(p * values.length);
          expect(values.filter((v) => v < value).length * 100).toBeLessThan(p * values.length);
        },
      ),
    );
  });

  it("gives p50 <= p90 <= p99 of billed seconds", () => {
    expect(durationPercentiles(records)).toEqual({ count: 4, p50: 120, p90: 600, p99: 600 });
  });
});

describe("summarizeHistory", () => {
  it("averages over the whole period, days without jobs included", () => {
    const summary = summarizeHistory(records, 10);
    expect(summary.jobsPerDay.toFixed()).toBe("0.4");
    expect(summary.totalCost.toFixed()).toBe("0.002");
    expect(summary.costPerJob.toFixed()).toBe("0.0005");
    expect(summary.meanBilledSeconds.toFixed()).toBe("270");
  });

  it("feeds the break-even: 30 days of seed-like jobs give 126 jobs/day", () => {
    const month = Array.from({ length: 30 }, () => record({}));
    const summary = summarizeHistory(month, 30);
    const breakEven = breakEvenForCostPerJob(summary.costPerJob, 139, 0, 30);
    expect(breakEven.kind === "crossing" && breakEven.eciCheaperUpTo).toBe(126);
  });

  it("handles an empty period", () => {
    expect(summarizeHistory([], 7).costPerJob.toFixed()).toBe("0");
  });
});

describe("mostExpensiveJobs", () => {
  it("sorts by cost, then most recent", () => {
    const tie = record({ finishedAt: "2026-11-22T00:00:00Z", costMicros: 1000 });
    expect(mostExpensiveJobs([...records, tie], 3).map((r) => r.costMicros)).toEqual([1000, 1000, 700]);
    expect(mostExpensiveJobs([...records, tie], 1)[0]).toBe(tie);
  });
});

describe("right-sizing", () => {
  it("limits 2/4 over requests 0.5/1 for 10 minutes: 0.055134 CNY to save", () => {
    const job = record({ vcpuMilli: 2000, memoryMiB: 4096, requestedVcpuMilli: 500, requestedMemoryMiB: 1024 });
    const saving = rightSizingSaving(job, cn);
    expect(saving).toMatchObject({ billed: { vcpu: 2, memoryGiB: 4 }, rightSized: { vcpu: 0.5, memoryGiB: 1 } });
    // (0.00012252 - 0.00003063) CNY/s × 600 s
    expect(saving?.savingMicros).toBe(55134);
  });

  it("requests that round up: 1.1 vCPU / 2 GiB needs 2/2, not the 2/4 billed", () => {
    const job = record({ vcpuMilli: 2000, memoryMiB: 4096, requestedVcpuMilli: 1100, requestedMemoryMiB: 2048 });
    expect(rightSizingSaving(job, cn)?.rightSized).toEqual({ vcpu: 2, memoryGiB: 2 });
  });

  it.each([
    ["already right-sized", record({})],
    ["no requests recorded", record({ requestedVcpuMilli: null, requestedMemoryMiB: null })],
    ["requests larger than every spec", record({ requestedVcpuMilli: 64_000 })],
  ])("no saving when %s", (_name, job) => {
    expect(rightSizingSaving(job, cn)).toBeNull();
  });

  it("reports the biggest savings first with their total", () => {
    const small = record({
      vcpuMilli: 2000,
      memoryMiB: 4096,
      requestedVcpuMilli: 1000,
      requestedMemoryMiB: 2048,
      billedSeconds: 60,
    });
    const big = record({
      vcpuMilli: 4000,
      memoryMiB: 8192,
      requestedVcpuMilli: 1000,
      requestedMemoryMiB: 2048,
      billedSeconds: 600,
    });
    const report = rightSizingReport([small, record({}), big], cn);
    expect(report.jobs.map((j) => j.record)).toEqual([big, small]);
    expect(report.totalSavingMicros).toBe(report.jobs[0].savingMicros + report.jobs[1].savingMicros);
  });
});

describe("jobRecordCostFields", () => {
  it("turns a finished job pod into JobRecord cost columns", () => {
    const pod = {
      metadata: { creationTimestamp: "2026-11-25T23:55:00Z" },
      spec: {
        containers: [
          {
            name: "build",
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
          },
          { name: "helper", resources: { requests: { cpu: "100m", memory: "128Mi" } } },
        ],
      },
      status: {
        phase: "Succeeded",
        startTime: "2026-11-25T23:55:00Z",
        containerStatuses: [{ state: { terminated: { finishedAt: "2026-11-26T00:05:00Z" } } }],
      },
    };
    expect(jobRecordCostFields(pod, { kind: "finished" }, new Date("2026-11-26T00:05:03Z"), cn)).toEqual({
      day: "2026-11-26",
      billedSeconds: 600,
      vcpuMilli: 4000,
      memoryMiB: 8192,
      requestedVcpuMilli: 600,
      requestedMemoryMiB: 1152,
      currency: "CNY",
      backend: "eci",
      computeClass: null,
      qos: null,
      costMicros: 147024, // 4/8 at 0.00024504 CNY/s × 600 s
    });
  });

  it("stores an ACS pod at ACS's spec and price, with its class and QoS", () => {
    const pod = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
      metadata: { creationTimestamp: "2026-11-25T23:55:00Z", labels, annotations },
      spec: {
        containers: [
          {
            name: "build",
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
          },
          { name: "helper", resources: { requests: { cpu: "100m", memory: "128Mi" } } },
        ],
      },
      status: {
        phase: "Succeeded",
        startTime: "2026-11-25T23:55:00Z",
        containerStatuses: [{ state: { terminated: { finishedAt: "2026-11-26T00:05:00Z" } } }],
      },
    });
    const at = new Date("2026-11-26T00:05:03Z");
    // max(Σrequests 0.6/1.125, Σlimits 2/4) = 2 vCPU / 4 GiB, an ACS size; mainland general-purpose default.
    expect(jobRecordCostFields(pod({ "alibabacloud.com/acs": "true" }), { kind: "finished" }, at, cn)).toMatchObject({
      vcpuMilli: 2000,
      memoryMiB: 4096,
      backend: "acs",
      computeClass: "general-purpose",
      qos: "default",
      costMicros: 40032, // (2 × 0.0000167 + 4 × 0.00000833) CNY/s × 600 s
    });
    // pod-use-spec wins over the rules; best-effort performance at its own price, no minimum charge.
    expect(
      jobRecordCostFields(
        pod(
          { "alibabacloud.com/compute-class": "performance", "alibabacloud.com/compute-qos": "best-effort" },
          { "alibabacloud.com/pod-use-spec": "2.5-5Gi" },
        ),
        { kind: "finished" },
        at,
        cn,
      ),
    ).toMatchObject({
      vcpuMilli: 2500,
      memoryMiB: 5120,
      backend: "acs",
      computeClass: "performance",
      qos: "best-effort",
      costMicros: 12930, // (2.5 × 0.0000043 + 5 × 0.00000216) CNY/s × 600 s = 0.01293
    });
    // An unlabelled pod in an ACS cluster: the connection's default backend decides.
    expect(jobRecordCostFields(pod({}), { kind: "finished" }, at, cn, { defaultBackend: "acs" })).toMatchObject({
      backend: "acs",
      computeClass: "general-purpose",
      qos: "default",
      costMicros: 40032,
    });
  });
});
