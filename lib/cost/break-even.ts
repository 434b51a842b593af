import Decimal from "decimal.js";
import { normalizeAcsSpec } from "@ask-ci/billing/acs/specs";
import { roundUpToSpotSpec, roundUpToSupportedSpec, type EciSpec } from "@ask-ci/billing/eci/specs";
import type { Placement } from "@ask-ci/billing/placement";
import { money, type Money, type MoneyInput } from "@/lib/cost/money";
import { acsPricePerSecond, placementPricePerSecond, pricePerSecond, type PricingOptions } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";

export interface BreakEvenInput {
  /** The job pod's spec as requested; rounded up to the spec the backend bills here. */
  jobSpec: EciSpec;
  /** Where the job pods run: ECI (default) or ACS with a class and QoS. */
  placement?: Placement;
  /** Average billed minutes per job (image pull included). */
  jobMinutes: number;
  /** Prepaid ECS instance, per month, in the price book's currency. */
  ecsMonthly: MoneyInput;
  daysPerMonth: number;
  book: PriceBook;
  /** Economy / spot for ECI job pods. */
  pricing?: PricingOptions;
  /**
   * The always-on GitLab Runner manager pod, billed around the clock on the job pods' backend:
   * ECI on-demand, or ACS of the same class at the default QoS (a best-effort runner could be
   * evicted); null to leave it out.
   */
  runnerSpec?: EciSpec | null;
  nasMonthly?: MoneyInput;
  imageCacheMonthly?: MoneyInput;
}

export type BreakEven =
  /** ECI is strictly cheaper below `jobsPerDay`; `eciCheaperUpTo` is the largest whole number of jobs/day where it is. */
  | { kind: "crossing"; jobsPerDay: Money; eciCheaperUpTo: number }
  /** The fixed ECI costs alone reach the ECS price. */
  | { kind: "eci-never-cheaper" }
  /** Jobs cost nothing (e.g. a spot price limit of 0): no number of jobs reaches the ECS price. */
  | { kind: "eci-always-cheaper" };

export interface BreakEvenResult {
  billedJobSpec: EciSpec;
  jobSeconds: number;
  jobPricePerSecond: Money;
  costPerJob: Money;
  /** Costs ECI has whatever the number of jobs. */
  fixedMonthly: { runner: Money; nas: Money; imageCache: Money; total: Money };
  ecsMonthly: Money;
  daysPerMonth: number;
  breakEven: BreakEven;
}

const SECONDS_PER_DAY = 86_400;
/** The month of every fixed monthly estimate (the wizard's runner price, the observed comparison). */
export const DAYS_PER_MONTH = 30;
export const SECONDS_PER_MONTH = DAYS_PER_MONTH * SECONDS_PER_DAY;

/**
 * Monthly cost on ECI = jobs/day × days × job seconds × price per second + fixed costs;
 * on ECS it is the prepaid price. They are equal at
 *   N* = (ECS monthly − fixed monthly) / (days × job seconds × price per second).
 */
export function computeBreakEven(input: BreakEvenInput): BreakEvenResult {
  const placement = input.placement ?? { backend: "eci" };
  const billedJobSpec = billedSpecOn(placement, input.jobSpec, input.pricing);
  const jobSeconds = new Decimal(input.jobMinutes).times(60).toNumber();
  const jobPricePerSecond = placementPricePerSecond(placement, billedJobSpec, input.book, input.pricing);
  const costPerJob = jobPricePerSecond.times(jobSeconds);

  const runnerPerSecond = !input.runnerSpec
    ? money(0)
    : placement.backend === "acs"
      ? acsPricePerSecond(normalizeAcsSpec(input.runnerSpec), input.book, placement.computeClass, "default")
      : pricePerSecond(roundUpToSupportedSpec(input.runnerSpec), input.book);
  const runner = runnerPerSecond.times(input.daysPerMonth * SECONDS_PER_DAY);
  const nas = money(input.nasMonthly ?? 0);
  const imageCache = money(input.imageCacheMonthly ?? 0);
  const fixedTotal = runner.plus(nas).plus(imageCache);
  const ecsMonthly = money(input.ecsMonthly);

  return {
    billedJobSpec,
    jobSeconds,
    jobPricePerSecond,
    costPerJob,
    fixedMonthly: { runner, nas, imageCache, total: fixedTotal },
    ecsMonthly,
    daysPerMonth: input.daysPerMonth,
    breakEven: solveBreakEven(ecsMonthly.minus(fixedTotal), costPerJob.times(input.daysPerMonth)),
  };
}

/**
 * The spec a requested size is billed at on a backend: ACS normalises it (0.25/0.5-vCPU and 1 GiB
 * steps), ECI rounds it up to its table — for spot to the spot table, 2 vCPU and up.
 */
export function billedSpecOn(placement: Placement, requested: EciSpec, pricing: PricingOptions = {}): EciSpec {
  if (placement.backend === "acs") return normalizeAcsSpec(requested);
  return pricing.spot ? roundUpToSpotSpec(requested) : roundUpToSupportedSpec(requested);
}

/**
 * Jobs per day where ECS monthly = fixed monthly + jobs/day × days × cost per job; usable with a
 * cost per job observed in the job history as well as one computed from a spec.
 */
export function breakEvenForCostPerJob(
  costPerJob: MoneyInput,
  ecsMonthly: MoneyInput,
  fixedMonthly: MoneyInput,
  daysPerMonth: number,
): BreakEven {
  return solveBreakEven(money(ecsMonthly).minus(fixedMonthly), money(costPerJob).times(daysPerMonth));
}

function solveBreakEven(budgetForJobs: Decimal, costPerJobPerDayOfMonth: Decimal): BreakEven {
  if (budgetForJobs.lessThanOrEqualTo(0)) return { kind: "eci-never-cheaper" };
  if (costPerJobPerDayOfMonth.isZero()) return { kind: "eci-always-cheaper" };
  const jobsPerDay = budgetForJobs.dividedBy(costPerJobPerDayOfMonth);
  // Strictly cheaper below N*: at exactly N* (an integer) both cost the same.
  return { kind: "crossing", jobsPerDay, eciCheaperUpTo: jobsPerDay.ceil().minus(1).toNumber() };
}

/** Monthly ECI cost at a given number of jobs per day. */
export function monthlyEciCost(result: BreakEvenResult, jobsPerDay: MoneyInput): Money {
  return result.costPerJob.times(jobsPerDay).times(result.daysPerMonth).plus(result.fixedMonthly.total);
}

export interface ChartPoint {
  jobsPerDay: number;
  eci: number;
  ecs: number;
}

export interface BreakEvenSeries {
  points: ChartPoint[];
  crossing: { jobsPerDay: number; cost: number } | null;
  maxJobsPerDay: number;
}

// 1, 2, 5 × 10^k: axis ends a reader can take in at a glance.
export function niceCeil(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * Chart data: both monthly costs from 0 jobs/day to about twice the break-even (or past the
 * jobs/day the user entered), as plain numbers for the chart library, and the crossing.
 */
export function breakEvenSeries(
  result: BreakEvenResult,
  options: { currentJobsPerDay?: number; points?: number } = {},
): BreakEvenSeries {
  const crossingAt = result.breakEven.kind === "crossing" ? result.breakEven.jobsPerDay.toNumber() : 0;
  const maxJobsPerDay = niceCeil(Math.max(10, 2 * crossingAt, 1.2 * (options.currentJobsPerDay ?? 0)));
  const count = Math.max(2, options.points ?? 51);
  const step = new Decimal(maxJobsPerDay).dividedBy(count - 1);
  const ecs = result.ecsMonthly.toNumber();
  const points = Array.from({ length: count }, (_, i) => {
    const jobsPerDay = step.times(i);
    return { jobsPerDay: jobsPerDay.toNumber(), eci: monthlyEciCost(result, jobsPerDay).toNumber(), ecs };
  });
  const crossing = result.breakEven.kind === "crossing" ? { jobsPerDay: crossingAt, cost: ecs } : null;
  return { points, crossing, maxJobsPerDay };
}
