import {
  breakEvenSeries,
  computeBreakEven,
  monthlyEciCost,
  type BreakEvenResult,
  type BreakEvenSeries,
} from "@/lib/cost/break-even";
import {
  compareBackends,
  comparisonSeries,
  type BackendOutcome,
  type CalculatorBackend,
  type ComparisonSeries,
} from "@/lib/cost/backend-comparison";
import type { Money } from "@/lib/cost/money";
import { PricingError } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import { breakEvenInputFromQuery, type CostQuery } from "@/lib/cost/validation";
import { SpecOutOfRangeError } from "@ask-ci/billing/eci/specs";

export type Verdict = "eci-cheaper" | "ecs-cheaper" | "same";

export interface CalculatorModel {
  query: CostQuery;
  book: PriceBook;
  result: BreakEvenResult;
  /** At the jobs per day the user entered. */
  eciMonthly: Money;
  verdict: Verdict;
  /** |ECI − ECS| per month at the jobs per day entered. */
  difference: Money;
  /** True when the job pod spec was rounded up to a larger billed spec. */
  roundedUp: boolean;
  series: BreakEvenSeries;
  /** ECI, ECI economy, ECI spot, ACS default and ACS best-effort against the same ECS. */
  comparison: BackendOutcome[];
  comparisonSeries: ComparisonSeries;
  /** The comparison row the headline (the form's ECI with its economy/spot choice) is; null for economy + spot. */
  headline: CalculatorBackend | null;
}

/** Which comparison row the form's ECI choice is. */
export function headlineBackend(query: CostQuery): CalculatorBackend | null {
  const spot = query.spot !== null || query.spotlimit !== null;
  if (query.economy) return spot ? null : "eci-economy";
  return spot ? "eci-spot" : "eci";
}

export type CalculatorOutcome =
  { ok: true; model: CalculatorModel } | { ok: false; error: "pricing" | "spec"; message: string };

/** Everything the /cost page shows for a valid query, from the pure engine. */
export function buildCalculatorModel(query: CostQuery, book: PriceBook): CalculatorOutcome {
  let result: BreakEvenResult;
  try {
    result = computeBreakEven(breakEvenInputFromQuery(query, book));
  } catch (error) {
    if (error instanceof PricingError) return { ok: false, error: "pricing", message: error.message };
    if (error instanceof SpecOutOfRangeError) return { ok: false, error: "spec", message: error.message };
    throw error;
  }
  const eciMonthly = monthlyEciCost(result, query.jobs);
  const verdict = eciMonthly.comparedTo(result.ecsMonthly);
  const { pricing, ...shared } = breakEvenInputFromQuery(query, book);
  const comparison = compareBackends(shared, query.jobs, {
    spot: pricing?.spot ?? null,
    acsClass: query.acsclass,
  });
  return {
    ok: true,
    model: {
      query,
      book,
      result,
      eciMonthly,
      verdict: verdict < 0 ? "eci-cheaper" : verdict > 0 ? "ecs-cheaper" : "same",
      difference: eciMonthly.minus(result.ecsMonthly).abs(),
      roundedUp: result.billedJobSpec.vcpu !== query.vcpu || result.billedJobSpec.memoryGiB !== query.mem,
      series: breakEvenSeries(result, { currentJobsPerDay: query.jobs }),
      comparison,
      comparisonSeries: comparisonSeries(comparison, result.ecsMonthly, { currentJobsPerDay: query.jobs }),
      headline: headlineBackend(query),
    },
  };
}

/** The break-even as a whole number of jobs a day to read at a glance (126.06 → 126). */
export function wholeJobsPerDay(jobsPerDay: Money): number {
  return jobsPerDay.floor().toNumber();
}
