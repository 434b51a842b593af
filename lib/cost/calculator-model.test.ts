import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS, withPrices } from "@/lib/cost/prices";
import { parseCostQuery, type CostQuery } from "@/lib/cost/validation";
import { calculatorCsv } from "./calculator-csv";
import { buildCalculatorModel, headlineBackend, wholeJobsPerDay } from "./calculator-model";

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

describe("calculatorCsv, column by column", () => {
  it("writes every input and result under its plain field name", () => {
    // Cross-checked by hand: economy 2 vCPU / 4 GiB at 0.00007852/s × 600 s = 0.047112 a job;
    // × 80 × 30 + the runner's 39.69648 = 152.76528; (139 − 39.69648) / (0.047112 × 30) = 70.2606.
    const m = model("vcpu=1.5&mem=3&minutes=10&ecs=139&jobs=80&runner=1&economy=1");
    expect(calculatorCsv(m).split("\r\n").slice(0, 26)).toEqual([
      "field,value",
      "site,cn",
      "currency,CNY",
      "job_pod_requested,1.5-3Gi",
      "job_pod_billed,2-4Gi",
      "job_minutes,10",
      "jobs_per_day,80",
      "days_per_month,30",
      "economy,yes",
      "spot_discount_percent,",
      "spot_price_limit_per_hour,",
      "runner_pod,0.25-0.5Gi",
      "vcpu_price_per_second,0.000049",
      "memory_gib_price_per_second,0.00000613",
      "price_source,https://help.aliyun.com/zh/eci/product-overview/elastic-container-instances",
      "job_price_per_second,0.000079",
      "cost_per_job,0.047112",
      "runner_monthly,39.696480",
      "nas_monthly,0.000000",
      "imagecache_monthly,0.000000",
      "ecs_monthly,139.000000",
      "eci_monthly_at_jobs_per_day,152.765280",
      "break_even_jobs_per_day,70.2606",
      "region_group,mainland",
      "acs_compute_class,general-purpose",
      "",
    ]);
  });

  it("writes one row per option, the ECS row, and the chart's series under their own header", () => {
    const lines = calculatorCsv(model("vcpu=1&mem=2&minutes=10&ecs=139&jobs=80&spot=20&spotlimit=0.5")).split("\r\n");
    const at = lines.indexOf(
      "option,billed_spec,price_per_second_CNY,cost_per_job_CNY,monthly_at_jobs_per_day_CNY,break_even_jobs_per_day,note",
    );
    expect(lines.slice(0, at)).toContain("economy,no");
    expect(lines.slice(0, at)).toContain("spot_discount_percent,20");
    expect(lines.slice(0, at)).toContain("spot_price_limit_per_hour,0.5");
    expect(lines.slice(0, at)).toContain("runner_pod,none");
    expect(lines.slice(at + 1, at + 9)).toEqual([
      "eci,1-2Gi,0.00006126,0.036756,88.214400,126.0565,",
      "eci-economy,1-2Gi,0.00003926,0.023556,56.534400,196.6944,",
      "eci-spot,2-2Gi,0.000088208,0.052925,127.019520,87.5456,",
      "acs-default,1-2Gi,0.00003336,0.020016,48.038400,231.4815,",
      "acs-best-effort,1-2Gi,0.00000664,0.003984,9.561600,1162.9853,",
      "ecs,,,,139.000000,,",
      "",
      "jobs_per_day,eci_monthly_CNY,eci-economy_monthly_CNY,eci-spot_monthly_CNY,acs-default_monthly_CNY,acs-best-effort_monthly_CNY,ecs_monthly_CNY",
    ]);
  });

  it("names an option that cannot be priced, leaves it out of the series, and says when there is no crossing", () => {
    const book = withPrices(DEFAULT_PRICE_BOOKS.cn, {
      "eci.economy-vcpu": { perSecond: null, source: null, readOn: null },
    });
    // the runner alone costs more than the ECS instance: ECI is never cheaper
    const lines = calculatorCsv(model("vcpu=1&mem=2&minutes=10&ecs=1&jobs=80&runner=1", book)).split("\r\n");
    const economy = lines.find((line) => line.startsWith("eci-economy,"))!;
    expect(economy).toMatch(/^eci-economy,,,,,,\S/);
    const header = lines.find((line) => line.startsWith("jobs_per_day,eci_monthly"))!;
    expect(header).toBe(
      "jobs_per_day,eci_monthly_CNY,eci-spot_monthly_CNY,acs-default_monthly_CNY,acs-best-effort_monthly_CNY,ecs_monthly_CNY",
    );
    expect(lines).toContain("break_even_jobs_per_day,eci-never-cheaper");
    expect(lines.find((line) => line.startsWith("eci,"))).toMatch(/,eci-never-cheaper,$/);
  });
});

describe("the calculator's headline and flags", () => {
  it.each([
    ["", "eci"],
    ["economy=1", "eci-economy"],
    ["spot=20", "eci-spot"],
    ["spotlimit=0.5", "eci-spot"],
    ["economy=1&spot=20", null],
  ])("%s -> headline %s", (params, headline) => {
    expect(headlineBackend(query(params))).toBe(headline);
    expect(model(params).headline).toBe(headline);
  });

  it("flags a round-up of the memory or the vCPU alone, and not an exact spec", () => {
    expect(model("vcpu=1&mem=3").roundedUp).toBe(true);
    expect(model("vcpu=1.5&mem=4").roundedUp).toBe(true);
    expect(model("vcpu=1&mem=2").roundedUp).toBe(false);
  });
});
