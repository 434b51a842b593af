import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { dailyChart, observedComparison, share } from "./cluster-view";

describe("observedComparison", () => {
  it("reproduces the seed's break-even from an observed cost per job", () => {
    // 126 jobs a day at 1 vCPU / 2 GiB for 10 minutes: 0.036756 per job.
    const summary = { jobsPerDay: new Decimal(80), costPerJob: new Decimal("0.036756") };
    const result = observedComparison(summary, 139, DEFAULT_PRICE_BOOKS.cn, false);
    expect(result.eciMonthly.toFixed(4)).toBe("88.2144");
    expect(result.breakEven.kind).toBe("crossing");
    if (result.breakEven.kind === "crossing") expect(result.breakEven.eciCheaperUpTo).toBe(126);
  });

  it("counts the runner pod around the clock when asked", () => {
    const summary = { jobsPerDay: new Decimal(0), costPerJob: new Decimal("0.036756") };
    const result = observedComparison(summary, 139, DEFAULT_PRICE_BOOKS.cn, true);
    // 0.25 vCPU × 0.000049 + 0.5 GiB × 0.00000613 = 0.000015315 per second, 30 days.
    expect(result.runnerMonthly.toFixed(4)).toBe(new Decimal("0.000015315").times(30 * 86_400).toFixed(4));
    expect(result.eciMonthly.equals(result.runnerMonthly)).toBe(true);
  });

  it("says ECI is always cheaper when jobs cost nothing", () => {
    const result = observedComparison(
      { jobsPerDay: new Decimal(0), costPerJob: new Decimal(0) },
      139,
      DEFAULT_PRICE_BOOKS.cn,
      false,
    );
    expect(result.breakEven.kind).toBe("eci-always-cheaper");
  });
});

describe("dailyChart", () => {
  const byDayAndProject = [
    { day: "2026-11-01", projectPath: "a.b/c", jobs: 1, billedSeconds: 10, costMicros: 1_000_000 },
    { day: "2026-11-01", projectPath: "x", jobs: 1, billedSeconds: 10, costMicros: 250_000 },
    { day: "2026-11-03", projectPath: null, jobs: 2, billedSeconds: 20, costMicros: 500_000 },
  ];
  const byProject = [
    { projectPath: "a.b/c", jobs: 1, billedSeconds: 10, costMicros: 1_000_000 },
    { projectPath: null, jobs: 2, billedSeconds: 20, costMicros: 500_000 },
    { projectPath: "x", jobs: 1, billedSeconds: 10, costMicros: 250_000 },
  ];

  it("stacks the top projects, folds the rest into other and fills empty days", () => {
    const chart = dailyChart(byDayAndProject, byProject, { fromDay: "2026-11-01", toDay: "2026-11-03" }, 2);
    expect(chart.series).toEqual([
      { key: "p0", projectPath: "a.b/c", other: false },
      { key: "p1", projectPath: null, other: false },
      { key: "other", projectPath: null, other: true },
    ]);
    expect(chart.rows).toEqual([
      { day: "2026-11-01", p0: 1, p1: 0, other: 0.25 },
      { day: "2026-11-02", p0: 0, p1: 0, other: 0 },
      { day: "2026-11-03", p0: 0, p1: 0.5, other: 0 },
    ]);
  });

  it("has no other series when every project is shown", () => {
    expect(
      dailyChart(byDayAndProject, byProject, { fromDay: "2026-11-01", toDay: "2026-11-01" }).series.map((s) => s.key),
    ).toEqual(["p0", "p1", "p2"]);
  });
});

describe("share", () => {
  it.each([
    [1, 3, 33.3],
    [0, 0, 0],
    [5, 5, 100],
  ])("%i of %i is %f%%", (part, total, expected) => {
    expect(share(part, total)).toBe(expected);
  });
});
