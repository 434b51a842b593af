import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeAcsSpec } from "@ask-ci/billing/acs/specs";
import { roundUpToSpotSpec, roundUpToSupportedSpec } from "@ask-ci/billing/eci/specs";
import { compareBackends, comparisonSeries, type BackendOutcome, type CalculatorBackend } from "./backend-comparison";
import { DEFAULT_PRICE_BOOKS, defaultPriceBook, unitPrice, acsPriceKey, type PriceBook } from "./prices";

const cn = DEFAULT_PRICE_BOOKS.cn;
const seed = { jobSpec: { vcpu: 1, memoryGiB: 2 }, jobMinutes: 10, ecsMonthly: 139, daysPerMonth: 30, book: cn };

function byId(outcomes: BackendOutcome[], id: CalculatorBackend) {
  const outcome = outcomes.find((o) => o.id === id)!;
  if (!outcome.ok) throw new Error(`${id}: ${outcome.message}`);
  return outcome;
}

function crossing(outcomes: BackendOutcome[], id: CalculatorBackend): Decimal {
  const { breakEven } = byId(outcomes, id).result;
  if (breakEven.kind !== "crossing") throw new Error(`${id} has no crossing`);
  return breakEven.jobsPerDay;
}

/** The closed form N* = (ECS − fixed) / (days × seconds × price per second), price written out by hand. */
function closedForm(ecs: number, fixed: Decimal.Value, days: number, seconds: number, perSecond: Decimal.Value) {
  return new Decimal(ecs).minus(fixed).dividedBy(new Decimal(perSecond).times(seconds).times(days));
}

describe("the seed's example on every backend", () => {
  const outcomes = compareBackends(seed, 80);

  it.each<[CalculatorBackend, string, number]>([
    // 1 vCPU / 2 GiB, 10 minutes, 139 CNY/month ECS, 30 days; price per second by hand:
    ["eci", "0.00006126", 126], // 0.000049 + 2 × 0.00000613
    ["eci-economy", "0.00003926", 196], // 0.000027 + 2 × 0.00000613
    ["eci-spot", "0.000077182", 100], // spot is 2 vCPU and up: 2/2 at 30% off, (2 × 0.000049 + 2 × 0.00000613) × 0.7
    ["acs-default", "0.00003336", 231], // 0.0000167 + 2 × 0.00000833
    ["acs-best-effort", "0.00000664", 1162], // 0.0000033 + 2 × 0.00000167
  ])("%s: N* from the closed form at %s CNY/s, cheaper up to %i jobs a day", (id, perSecond, upTo) => {
    const n = crossing(outcomes, id);
    expect(n.equals(closedForm(139, 0, 30, 600, perSecond))).toBe(true);
    expect(byId(outcomes, id).result.breakEven).toMatchObject({ eciCheaperUpTo: upTo });
  });

  it("matches the issue's numbers: 126 on ECI, about 232 on ACS, over 1,100 on best-effort", () => {
    expect(crossing(outcomes, "eci").toFixed(2)).toBe("126.06");
    expect(crossing(outcomes, "acs-default").toNumber()).toBeCloseTo(231.5, 0);
    expect(crossing(outcomes, "acs-best-effort").toNumber()).toBeGreaterThan(1100);
  });

  it("gives each option's monthly cost at the jobs per day entered", () => {
    // 80 jobs × 30 days × 600 s × price per second
    expect(byId(outcomes, "eci").monthly.toFixed()).toBe("88.2144");
    expect(byId(outcomes, "acs-default").monthly.toFixed()).toBe("48.0384");
    expect(byId(outcomes, "acs-best-effort").monthly.toFixed()).toBe("9.5616");
  });

  it("prices the runner pod on the job pods' backend, ACS at the default QoS even for best-effort jobs", () => {
    const withRunner = compareBackends({ ...seed, runnerSpec: { vcpu: 0.25, memoryGiB: 0.5 } }, 80);
    const month = 30 * 86_400;
    // ECI 0.25/0.5: 0.25 × 0.000049 + 0.5 × 0.00000613
    expect(byId(withRunner, "eci").result.fixedMonthly.runner.toFixed()).toBe(
      new Decimal("0.000015315").times(month).toFixed(),
    );
    // ACS 0.25/0.5 general-purpose default: 0.25 × 0.0000167 + 0.5 × 0.00000833
    for (const id of ["acs-default", "acs-best-effort"] as const) {
      expect(byId(withRunner, id).result.fixedMonthly.runner.toFixed()).toBe(
        new Decimal("0.00000834").times(month).toFixed(),
      );
    }
    const runner = byId(withRunner, "acs-best-effort").result.fixedMonthly.runner;
    expect(crossing(withRunner, "acs-best-effort").equals(closedForm(139, runner, 30, 600, "0.00000664"))).toBe(true);
  });

  it("says why an option has no number instead of dropping it", () => {
    const intl = compareBackends({ ...seed, book: DEFAULT_PRICE_BOOKS.intl }, 80);
    expect(intl.find((o) => o.id === "eci-economy")).toMatchObject({ ok: false, error: "no-price" });
    const overseasPerformance = compareBackends({ ...seed, book: defaultPriceBook("cn", "overseas") }, 80, {
      acsClass: "performance",
    });
    expect(overseasPerformance.find((o) => o.id === "acs-best-effort")).toMatchObject({ ok: false, error: "no-price" });
    const huge = compareBackends({ ...seed, jobSpec: { vcpu: 32, memoryGiB: 64 } }, 80);
    expect(huge.find((o) => o.id === "eci")).toMatchObject({ ok: false, error: "spec" });
    expect(huge.find((o) => o.id === "acs-default")?.ok).toBe(true);
  });
});

describe("break-even per backend against the closed form (property)", () => {
  function perSecondByHand(book: PriceBook, id: CalculatorBackend, spec: { vcpu: number; memoryGiB: number }) {
    const price = (key: Parameters<typeof unitPrice>[1]) => unitPrice(book, key)!;
    const eci = (s: typeof spec, vcpuKey: "eci.vcpu" | "eci.economy-vcpu") =>
      price(vcpuKey).times(s.vcpu).plus(price("eci.memory").times(s.memoryGiB));
    const acs = (qos: "default" | "best-effort") => {
      const s = normalizeAcsSpec(spec);
      return price(acsPriceKey("general-purpose", qos, "vcpu"))
        .times(s.vcpu)
        .plus(price(acsPriceKey("general-purpose", qos, "memory")).times(s.memoryGiB));
    };
    switch (id) {
      case "eci":
        return eci(roundUpToSupportedSpec(spec), "eci.vcpu");
      case "eci-economy":
        return eci(roundUpToSupportedSpec(spec), "eci.economy-vcpu");
      case "eci-spot":
        return eci(roundUpToSpotSpec(spec), "eci.vcpu").times("0.7");
      case "acs-default":
        return acs("default");
      case "acs-best-effort":
        return acs("best-effort");
    }
  }

  it("every option's N* is (ECS − fixed) / (days × seconds × its own price)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          { vcpu: 0.5, memoryGiB: 1 },
          { vcpu: 1, memoryGiB: 2 },
          { vcpu: 1.5, memoryGiB: 3 },
          { vcpu: 2, memoryGiB: 4 },
        ),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 100, max: 3000 }),
        fc.integer({ min: 28, max: 31 }),
        fc.integer({ min: 0, max: 50 }),
        (jobSpec, jobMinutes, ecsMonthly, daysPerMonth, nas) => {
          const outcomes = compareBackends(
            { ...seed, jobSpec, jobMinutes, ecsMonthly, daysPerMonth, nasMonthly: nas },
            10,
          );
          for (const id of ["eci", "eci-economy", "eci-spot", "acs-default", "acs-best-effort"] as const) {
            const expected = closedForm(
              ecsMonthly,
              nas,
              daysPerMonth,
              jobMinutes * 60,
              perSecondByHand(cn, id, jobSpec),
            );
            expect(crossing(outcomes, id).equals(expected)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("comparisonSeries", () => {
  it("puts every option's crossing on the chart and one line per priced option", () => {
    const outcomes = compareBackends(seed, 80);
    const series = comparisonSeries(outcomes, new Decimal(139), { currentJobsPerDay: 80 });
    expect(series.crossings.map((c) => c.id)).toEqual([
      "eci",
      "eci-economy",
      "eci-spot",
      "acs-default",
      "acs-best-effort",
    ]);
    const furthest = Math.max(...series.crossings.map((c) => c.jobsPerDay));
    expect(series.maxJobsPerDay).toBeGreaterThan(furthest);
    expect(series.maxJobsPerDay).toBe(2000);
    const last = series.points.at(-1)!;
    expect(last.jobsPerDay).toBe(2000);
    expect(last.ecs).toBe(139);
    // at 2000 jobs/day: 2000 × 30 × 600 × 0.00006126
    expect(last.eci).toBeCloseTo(2205.36, 6);
    expect(Object.keys(series.points[0]).sort()).toEqual(
      ["acs-best-effort", "acs-default", "ecs", "eci", "eci-economy", "eci-spot", "jobsPerDay"].sort(),
    );
  });
});
