import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS, withPrices } from "@/lib/cost/prices";
import { parseCostQuery, type CostQuery } from "@/lib/cost/validation";
import { calculatorCsv } from "./calculator-csv";
import { buildCalculatorModel, wholeJobsPerDay } from "./calculator-model";

function query(params: string): CostQuery {
  const parsed = parseCostQuery(new URLSearchParams(params));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

function model(params: string, book = DEFAULT_PRICE_BOOKS.cn) {
  const outcome = buildCalculatorModel(query(params), book);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.model;
}

describe("buildCalculatorModel", () => {
  it("reproduces the seed's 126 jobs/day", () => {
    const m = model("vcpu=1&mem=2&minutes=10&ecs=139&jobs=80&days=30");
    expect(m.result.breakEven.kind).toBe("crossing");
    if (m.result.breakEven.kind !== "crossing") return;
    expect(wholeJobsPerDay(m.result.breakEven.jobsPerDay)).toBe(126);
    expect(m.verdict).toBe("eci-cheaper");
    // 80 jobs × 30 days × 600 s × 0.00006126 CNY/s
    expect(m.eciMonthly.toFixed(4)).toBe("88.2144");
    expect(m.difference.toFixed(4)).toBe("50.7856");
    expect(m.roundedUp).toBe(false);
  });

  it.each([
    ["jobs=200", "ecs-cheaper"],
    ["jobs=0", "eci-cheaper"],
  ])("says which is cheaper (%s)", (jobs, verdict) => {
    expect(model(`vcpu=1&mem=2&minutes=10&ecs=139&${jobs}`).verdict).toBe(verdict);
  });

  it("finds the exact tie", () => {
    // 2 vCPU / 4 GiB for 1 minute: 0.00012252 × 60 = 0.0073512 per job; × 100 jobs × 30 days = 22.0536.
    const m = model("vcpu=2&mem=4&minutes=1&jobs=100&ecs=22.0536");
    expect(m.verdict).toBe("same");
    expect(m.difference.isZero()).toBe(true);
  });

  it("flags a spec that rounds up", () => {
    const m = model("vcpu=1.5&mem=3");
    expect(m.roundedUp).toBe(true);
    expect(m.result.billedJobSpec).toEqual({ vcpu: 2, memoryGiB: 4 });
  });

  it("moves the break-even when the runner pod is included", () => {
    const without = model("vcpu=1&mem=2&minutes=10&ecs=139");
    const withRunner = model("vcpu=1&mem=2&minutes=10&ecs=139&runner=1");
    if (without.result.breakEven.kind !== "crossing" || withRunner.result.breakEven.kind !== "crossing")
      throw new Error("no crossing");
    expect(withRunner.result.breakEven.jobsPerDay.lessThan(without.result.breakEven.jobsPerDay)).toBe(true);
    expect(withRunner.result.fixedMonthly.runner.greaterThan(0)).toBe(true);
  });

  it("reports a price book without economy prices instead of throwing", () => {
    const book = withPrices(DEFAULT_PRICE_BOOKS.cn, {
      "eci.economy-vcpu": { perSecond: null, source: null, readOn: null },
    });
    expect(buildCalculatorModel(query("economy=1"), book)).toMatchObject({ ok: false, error: "pricing" });
  });
});

describe("calculatorCsv", () => {
  it("has the inputs, the break-even and one row per chart point", () => {
    const m = model("vcpu=1&mem=2&minutes=10&ecs=139&jobs=80");
    const lines = calculatorCsv(m).trimEnd().split("\r\n");
    // Closed form: 139 / (30 days × 600 s × (1 × 0.000049 + 2 × 0.00000613)).
    const closedForm = new Decimal(139).dividedBy(new Decimal(30 * 600).times("0.00006126"));
    expect(lines).toContain(`break_even_jobs_per_day,${closedForm.toFixed(4)}`);
    expect(lines).toContain("job_pod_billed,1-2Gi");
    // One row per option with its own break-even, against the same closed form at its price.
    const acsClosedForm = new Decimal(139).dividedBy(new Decimal(30 * 600).times("0.00003336"));
    expect(lines).toContain(`acs-default,1-2Gi,0.00003336,0.020016,48.038400,${acsClosedForm.toFixed(4)},`);
    expect(lines.some((line) => line.startsWith("acs-best-effort,1-2Gi,0.00000664,"))).toBe(true);
    const header = lines.indexOf(
      "jobs_per_day,eci_monthly_CNY,eci-economy_monthly_CNY,eci-spot_monthly_CNY,acs-default_monthly_CNY,acs-best-effort_monthly_CNY,ecs_monthly_CNY",
    );
    expect(header).toBeGreaterThan(0);
    expect(lines.length - header - 1).toBe(m.comparisonSeries.points.length);
    expect(lines[header + 1]).toBe("0,0.000000,0.000000,0.000000,0.000000,0.000000,139.000000");
  });
});

describe("buildCalculatorModel over the whole valid input range", () => {
  it("never yields NaN or Infinity", () => {
    fc.assert(
      fc.property(
        fc.record({
          vcpu: fc.double({ min: 0.001, max: 24, noNaN: true }),
          mem: fc.double({ min: 0.001, max: 192, noNaN: true }),
          minutes: fc.double({ min: 0.001, max: 1440, noNaN: true }),
          jobs: fc.double({ min: 0, max: 1_000_000, noNaN: true }),
          ecs: fc.double({ min: 0.001, max: 10_000_000, noNaN: true }),
          days: fc.double({ min: 0.001, max: 31, noNaN: true }),
          runner: fc.constantFrom("", "1", "24-192Gi"),
          spot: fc.constantFrom("", "1", "99"),
          nas: fc.double({ min: 0, max: 10_000_000, noNaN: true }),
        }),
        (input) => {
          const params = new URLSearchParams(
            Object.entries(input)
              .filter(([, value]) => value !== "")
              .map(([key, value]) => [key, typeof value === "number" ? value.toFixed(3) : value]),
          );
          const parsed = parseCostQuery(params);
          if (!parsed.success) return; // rounding to 3 decimals can land on an excluded 0
          const outcome = buildCalculatorModel(parsed.data, DEFAULT_PRICE_BOOKS.cn);
          expect(outcome.ok).toBe(true);
          if (!outcome.ok) return;
          const numbers = [
            outcome.model.eciMonthly.toNumber(),
            outcome.model.difference.toNumber(),
            outcome.model.series.maxJobsPerDay,
            ...outcome.model.series.points.flatMap((p) => [p.jobsPerDay, p.eci, p.ecs]),
          ];
          for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
          expect(calculatorCsv(outcome.model)).not.toMatch(/NaN|Infinity/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
