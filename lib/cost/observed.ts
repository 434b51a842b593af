import Decimal from "decimal.js";
import type { AcsComputeClass } from "@ask-ci/billing/acs/labels";
import type { Placement } from "@ask-ci/billing/placement";
import { AcsSpecOutOfRangeError } from "@ask-ci/billing/acs/specs";
import { SpecOutOfRangeError, type EciSpec } from "@ask-ci/billing/eci/specs";
import { backendInput, CALCULATOR_BACKENDS, type CalculatorBackend } from "./backend-comparison";
import { billedSpecOn, SECONDS_PER_MONTH } from "./break-even";
import { money, type Money } from "./money";
import { placementPricePerSecond, PricingError } from "./pod-cost";
import type { PriceBook } from "./prices";

const SECONDS_PER_DAY = 86_400;
/**
 * Below a day of history a month cannot be extrapolated honestly: a busy hour is not a day (57 jobs in
 * 25 minutes are not 3,283 a day), and the day's quiet hours are not seen yet.
 */
export const MIN_OBSERVED_SECONDS = SECONDS_PER_DAY;

export interface ObservedSpan {
  from: Date;
  to: Date;
  seconds: number;
  /** At least MIN_OBSERVED_SECONDS: rates per day and per month may be shown. */
  enough: boolean;
}

/**
 * The time the report's jobs were actually observed in: from the later of the period's start and
 * the first job pod the recorder saw for this connection, to the earlier of the period's end and now.
 * A period longer than the history counts only the history, so jobs per day do not depend on the
 * period chosen.
 */
export function observedSpan(
  period: { fromDay: string; toDay: string },
  firstSeenAt: Date | null,
  now: Date,
): ObservedSpan {
  const periodStart = Date.parse(`${period.fromDay}T00:00:00Z`);
  const periodEnd = Date.parse(`${period.toDay}T00:00:00Z`) + SECONDS_PER_DAY * 1000;
  const to = Math.min(periodEnd, now.getTime());
  const from = firstSeenAt === null ? to : Math.min(to, Math.max(periodStart, firstSeenAt.getTime()));
  const seconds = Math.floor((to - from) / 1000);
  return { from: new Date(from), to: new Date(to), seconds, enough: seconds >= MIN_OBSERVED_SECONDS };
}

/** Observed days as a decimal (25 minutes = 0.0174 days). */
export function observedDays(span: ObservedSpan): Decimal {
  return new Decimal(span.seconds).dividedBy(SECONDS_PER_DAY);
}

/** Jobs per day over the observed span; null when the span is too short to say. */
export function jobsPerObservedDay(jobs: number, span: ObservedSpan): Decimal | null {
  return span.enough ? new Decimal(jobs).dividedBy(observedDays(span)) : null;
}

/** How much history, for "based on 25 minutes of history": the largest whole unit that fits. */
export function spanLength(seconds: number): { unit: "minutes" | "hours" | "days"; value: number } {
  if (seconds >= 2 * SECONDS_PER_DAY) return { unit: "days", value: Math.floor(seconds / SECONDS_PER_DAY) };
  if (seconds >= 2 * 3600) return { unit: "hours", value: Math.floor(seconds / 3600) };
  return { unit: "minutes", value: Math.floor(seconds / 60) };
}

/** Observed jobs of one billed spec (and requested spec): what the history's spec groups hold. */
export interface ObservedSpecGroup {
  vcpuMilli: number;
  memoryMiB: number;
  requestedVcpuMilli: number | null;
  requestedMemoryMiB: number | null;
  jobs: number;
  billedSeconds: number;
}

export type Repricing =
  | { id: CalculatorBackend; ok: true; placement: Placement; cost: Money; monthly: Money | null }
  | { id: CalculatorBackend; ok: false; placement: Placement; error: "no-price" | "spec" };

/**
 * The size a job's pod asked for, as far as the history knows: the larger of the spec it was
 * billed and the one it requested, per resource (ECI bills limits, ACS the larger of requests and
 * limits; a billed spec already holds the limits, rounded up).
 */
function podSize(group: ObservedSpecGroup): EciSpec {
  const vcpuMilli = Math.max(group.vcpuMilli, group.requestedVcpuMilli ?? 0);
  const memoryMiB = Math.max(group.memoryMiB, group.requestedMemoryMiB ?? 0);
  return { vcpu: vcpuMilli / 1000, memoryGiB: memoryMiB / 1024 };
}

/**
 * What the observed jobs would have cost on each option: each spec group's pod size normalised as
 * that backend normalises it, × its unit price × the billed seconds actually observed. Per-instance
 * minimum charges are left out (they apply per pod, the groups are sums). `monthly` scales the
 * observed cost to a 30-day month over the observed span, null when the span is too short.
 */
export function repriceObserved(
  groups: readonly ObservedSpecGroup[],
  book: PriceBook,
  span: ObservedSpan,
  options: { acsClass?: AcsComputeClass } = {},
): Repricing[] {
  // The calculator's options, so the cluster view and the calculator price an option the same way.
  const base = { jobSpec: { vcpu: 1, memoryGiB: 1 }, jobMinutes: 1, ecsMonthly: 0, daysPerMonth: 30, book };
  return CALCULATOR_BACKENDS.map((id) => {
    const input = backendInput(base, id, { acsClass: options.acsClass });
    const placement = input.placement ?? { backend: "eci" };
    const pricing = input.pricing ?? {};
    let total = money(0);
    try {
      for (const group of groups) {
        const spec = billedSpecOn(placement, podSize(group), pricing);
        total = total.plus(placementPricePerSecond(placement, spec, book, pricing).times(group.billedSeconds));
      }
    } catch (error) {
      if (error instanceof PricingError) return { id, ok: false, placement, error: "no-price" };
      if (error instanceof SpecOutOfRangeError || error instanceof AcsSpecOutOfRangeError)
        return { id, ok: false, placement, error: "spec" };
      throw error;
    }
    const monthly = span.enough ? total.times(SECONDS_PER_MONTH).dividedBy(span.seconds) : null;
    return { id, ok: true, placement, cost: total, monthly };
  });
}
