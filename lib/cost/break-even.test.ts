import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Decimal from "decimal.js";
import { breakEvenSeries, computeBreakEven, monthlyEciCost, type BreakEvenInput } from "@/lib/cost/break-even";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";

const cn = DEFAULT_PRICE_BOOKS.cn;
const seedExample: BreakEvenInput = {
  jobSpec: { vcpu: 1, memoryGiB: 2 },
  jobMinutes: 10,
  ecsMonthly: 139,
  daysPerMonth: 30,
  book: cn,
};

function crossingOf(input: BreakEvenInput) {
  const { breakEven } = computeBreakEven(input);
  if (breakEven.kind !== "crossing") throw new Error(`expected a crossing, got ${breakEven.kind}`);
  return breakEven;
}

describe("computeBreakEven: the seed's worked example", () => {
  it("1 vCPU / 2 GiB, 10-minute jobs, ECS 139 CNY/month, 30 days: ECI cheaper up to 126 jobs/day", () => {
    const result = computeBreakEven(seedExample);
    expect(result.costPerJob.toFixed()).toBe("0.036756");
    const crossing = crossingOf(seedExample);
    // 139 / (30 × 600 × 0.00006126) = 126.0565...
    expect(crossing.jobsPerDay.toFixed(4)).toBe("126.0565");
    expect(crossing.eciCheaperUpTo).toBe(126);
    expect(monthlyEciCost(result, 126).lessThan(139)).toBe(true);
    expect(monthlyEciCost(result, 127).greaterThan(139)).toBe(true);
  });

  it("with the runner pod (0.25 vCPU / 0.5 GiB around the clock) it drops to 90 jobs/day", () => {
    const input = { ...seedExample, runnerSpec: { vcpu: 0.25, memoryGiB: 0.5 } };
    const result = computeBreakEven(input);
    // 0.000015315 CNY/s × 86,400 s × 30 days
    expect(result.fixedMonthly.runner.toFixed()).toBe("39.69648");
    expect(crossingOf(input).eciCheaperUpTo).toBe(90);
  });

  it("with a 0.5 vCPU / 1 GiB runner pod it drops to 54 jobs/day", () => {
    expect(crossingOf({ ...seedExample, runnerSpec: { vcpu: 0.5, memoryGiB: 1 } }).eciCheaperUpTo).toBe(54);
  });
});

describe("computeBreakEven", () => {
  it.each([
    [
      "2 vCPU / 4 GiB 5-minute jobs cost the same as 1/2 for 10 minutes",
      { jobSpec: { vcpu: 2, memoryGiB: 4 }, jobMinutes: 5 },
      126,
    ],
    [
      "a request is rounded up before pricing (1.5/3 -> 2/4)",
      { jobSpec: { vcpu: 1.5, memoryGiB: 3 }, jobMinutes: 5 },
      126,
    ],
    ["economy vCPU", { pricing: { economy: true } }, 196],
    [
      "spot at 50% off doubles the break-even of a 2 vCPU pod (2/4 for 5 minutes)",
      { jobSpec: { vcpu: 2, memoryGiB: 4 }, jobMinutes: 5, pricing: { spot: { discount: 0.5 } } },
      252,
    ],
    // ECI creates spot instances of 2 vCPU and up: 1/2 runs as 2/2, (2 × 0.000049 + 2 × 0.00000613) × 0.5 × 600
    ["spot rounds a 1 vCPU pod up to 2 vCPU / 2 GiB", { pricing: { spot: { discount: 0.5 } } }, 140],
    ["NAS and ImageCache are fixed monthly costs", { nasMonthly: 20, imageCacheMonthly: "9.5" }, 99],
    [
      "an exact integer break-even is not 'cheaper' at the crossing",
      { ecsMonthly: "36.756", jobMinutes: 10, daysPerMonth: 10 },
      99,
    ],
  ] as const)("%s", (_name, override, expected) => {
    expect(crossingOf({ ...seedExample, ...override } as BreakEvenInput).eciCheaperUpTo).toBe(expected);
  });

  it("ECI is never cheaper when fixed costs reach the ECS price", () => {
    expect(computeBreakEven({ ...seedExample, nasMonthly: 139 }).breakEven.kind).toBe("eci-never-cheaper");
  });

  it("ECI is always cheaper when jobs cost nothing", () => {
    const input = { ...seedExample, pricing: { spot: { priceLimitPerHour: 0 } } };
    expect(computeBreakEven(input).breakEven.kind).toBe("eci-always-cheaper");
  });

  it("agrees with the closed form N* = (ECS - fixed) / (days × seconds × price) (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          { vcpu: 0.25, memoryGiB: 0.5 },
          { vcpu: 1, memoryGiB: 2 },
          { vcpu: 2, memoryGiB: 4 },
          { vcpu: 4, memoryGiB: 8 },
        ),
        fc.integer({ min: 1, max: 240 }),
        fc.integer({ min: 50, max: 5000 }),
        fc.integer({ min: 28, max: 31 }),
        (jobSpec, jobMinutes, ecsMonthly, daysPerMonth) => {
          const crossing = crossingOf({ ...seedExample, jobSpec, jobMinutes, ecsMonthly, daysPerMonth });
          const perSecond = new Decimal(cn.prices["eci.vcpu"].perSecond!)
            .times(jobSpec.vcpu)
            .plus(new Decimal(cn.prices["eci.memory"].perSecond!).times(jobSpec.memoryGiB));
          const closedForm = new Decimal(ecsMonthly).dividedBy(perSecond.times(jobMinutes * 60).times(daysPerMonth));
          expect(crossing.jobsPerDay.equals(closedForm)).toBe(true);
          // At the crossing both monthly costs are equal.
          const result = computeBreakEven({ ...seedExample, jobSpec, jobMinutes, ecsMonthly, daysPerMonth });
          expect(monthlyEciCost(result, crossing.jobsPerDay).toDecimalPlaces(12).equals(ecsMonthly)).toBe(true);
        },
      ),
    );
  });

  it("longer jobs never raise the break-even (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 600 }), (minutes, extra) => {
        const short = crossingOf({ ...seedExample, jobMinutes: minutes }).jobsPerDay;
        const long = crossingOf({ ...seedExample, jobMinutes: minutes + extra }).jobsPerDay;
        expect(long.lessThanOrEqualTo(short)).toBe(true);
      }),
    );
  });
});

describe("breakEvenSeries", () => {
  it("spans 0 to a round number past twice the break-even, with the crossing marked", () => {
    const series = breakEvenSeries(computeBreakEven(seedExample));
    expect(series.maxJobsPerDay).toBe(500);
    expect(series.points[0]).toEqual({ jobsPerDay: 0, eci: 0, ecs: 139 });
    expect(series.points.at(-1)?.jobsPerDay).toBe(500);
    expect(series.crossing?.jobsPerDay).toBeCloseTo(126.0565, 4);
    expect(series.crossing?.cost).toBe(139);
    const below = series.points.filter((p) => p.jobsPerDay < 126);
    const above = series.points.filter((p) => p.jobsPerDay > 127);
    expect(below.every((p) => p.eci < p.ecs)).toBe(true);
    expect(above.every((p) => p.eci > p.ecs)).toBe(true);
  });

  it("extends the axis to the jobs/day the user entered", () => {
    expect(breakEvenSeries(computeBreakEven(seedExample), { currentJobsPerDay: 700 }).maxJobsPerDay).toBe(1000);
  });

  it("starts the ECI line at the fixed costs", () => {
    const series = breakEvenSeries(computeBreakEven({ ...seedExample, nasMonthly: 200 }), { points: 5 });
    expect(series.crossing).toBeNull();
    expect(series.points).toHaveLength(5);
    expect(series.points[0].eci).toBe(200);
  });
});
