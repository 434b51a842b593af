import Decimal from "decimal.js";
import { AcsSpecOutOfRangeError } from "@ask-ci/billing/acs/specs";
import type { AcsComputeClass } from "@ask-ci/billing/acs/labels";
import { SpecOutOfRangeError } from "@ask-ci/billing/eci/specs";
import type { Placement } from "@ask-ci/billing/placement";
import { computeBreakEven, monthlyEciCost, niceCeil, type BreakEvenInput, type BreakEvenResult } from "./break-even";
import type { Money } from "./money";
import { DEFAULT_SPOT_DISCOUNT, PricingError, type SpotOptions } from "./pod-cost";

/** The serverless options the calculator puts side by side with a prepaid ECS. */
export const CALCULATOR_BACKENDS = ["eci", "eci-economy", "eci-spot", "acs-default", "acs-best-effort"] as const;
export type CalculatorBackend = (typeof CALCULATOR_BACKENDS)[number];

export type BackendOutcome =
  | { id: CalculatorBackend; ok: true; placement: Placement; result: BreakEvenResult; monthly: Money }
  /** "no-price": the book has no published price for it; "spec": the size cannot run there. */
  | { id: CalculatorBackend; ok: false; placement: Placement; error: "no-price" | "spec"; message: string };

export interface ComparisonOptions {
  /** Spot assumption for the ECI spot option (default: 30% off, no price limit). */
  spot?: SpotOptions | null;
  acsClass?: AcsComputeClass;
}

/** The break-even input of one option: the shared inputs with that option's placement and pricing. */
export function backendInput(
  base: Omit<BreakEvenInput, "placement" | "pricing">,
  id: CalculatorBackend,
  options: ComparisonOptions = {},
): BreakEvenInput {
  const computeClass = options.acsClass ?? "general-purpose";
  switch (id) {
    case "eci":
      return { ...base, placement: { backend: "eci" }, pricing: {} };
    case "eci-economy":
      return { ...base, placement: { backend: "eci" }, pricing: { economy: true } };
    case "eci-spot":
      return {
        ...base,
        placement: { backend: "eci" },
        pricing: { spot: options.spot ?? { discount: DEFAULT_SPOT_DISCOUNT } },
      };
    case "acs-default":
      return { ...base, placement: { backend: "acs", computeClass, qos: "default" } };
    case "acs-best-effort":
      return { ...base, placement: { backend: "acs", computeClass, qos: "best-effort" } };
  }
}

/**
 * Every option's break-even against the same ECS, and its monthly cost at `jobsPerDay`. An option
 * the book cannot price (ECI economy on the international site) or the size cannot run on is kept
 * with its reason, so the table says why a row is empty instead of dropping it.
 */
export function compareBackends(
  base: Omit<BreakEvenInput, "placement" | "pricing">,
  jobsPerDay: Decimal.Value,
  options: ComparisonOptions = {},
): BackendOutcome[] {
  return CALCULATOR_BACKENDS.map((id) => {
    const input = backendInput(base, id, options);
    const placement = input.placement!;
    try {
      const result = computeBreakEven(input);
      return { id, ok: true, placement, result, monthly: monthlyEciCost(result, jobsPerDay) };
    } catch (error) {
      if (error instanceof PricingError) return { id, ok: false, placement, error: "no-price", message: error.message };
      if (error instanceof SpecOutOfRangeError || error instanceof AcsSpecOutOfRangeError) {
        return { id, ok: false, placement, error: "spec", message: error.message };
      }
      throw error;
    }
  });
}

export interface ComparisonSeries {
  /** One point per step: jobsPerDay, ecs, and the monthly cost of each priced option by its id. */
  points: Array<{ jobsPerDay: number; ecs: number } & Partial<Record<CalculatorBackend, number>>>;
  crossings: Array<{ id: CalculatorBackend; jobsPerDay: number; cost: number }>;
  maxJobsPerDay: number;
}

/**
 * Chart data for all options: monthly cost against jobs per day, from 0 to a round number past
 * every crossing (so each option's break-even is on the chart) and past the jobs/day entered.
 */
export function comparisonSeries(
  outcomes: readonly BackendOutcome[],
  ecsMonthly: Money,
  options: { currentJobsPerDay?: number; points?: number } = {},
): ComparisonSeries {
  const priced = outcomes.filter((o): o is Extract<BackendOutcome, { ok: true }> => o.ok);
  const crossings = priced.flatMap((o) =>
    o.result.breakEven.kind === "crossing"
      ? [{ id: o.id, jobsPerDay: o.result.breakEven.jobsPerDay.toNumber(), cost: ecsMonthly.toNumber() }]
      : [],
  );
  const furthest = Math.max(0, ...crossings.map((c) => c.jobsPerDay));
  const maxJobsPerDay = niceCeil(Math.max(10, 1.2 * furthest, 1.2 * (options.currentJobsPerDay ?? 0)));
  const count = Math.max(2, options.points ?? 51);
  const step = new Decimal(maxJobsPerDay).dividedBy(count - 1);
  const ecs = ecsMonthly.toNumber();
  const points = Array.from({ length: count }, (_, i) => {
    const jobsPerDay = step.times(i);
    const point: ComparisonSeries["points"][number] = { jobsPerDay: jobsPerDay.toNumber(), ecs };
    for (const o of priced) point[o.id] = monthlyEciCost(o.result, jobsPerDay).toNumber();
    return point;
  });
  return { points, crossings, maxJobsPerDay };
}
