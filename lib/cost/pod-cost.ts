import Decimal from "decimal.js";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import {
  parseUseSpecEntry,
  resolvePodSpec,
  type EciSpec,
  type PodLike,
  type SpecSource,
} from "@ask-ci/billing/eci/specs";
import type { Money } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";

/**
 * Spot pricing. The market price is not knowable offline, so the estimate is on-demand minus
 * `discount` (a fraction, 0.3 = 30% off), capped by `priceLimitPerHour` (the bid of
 * SpotWithPriceLimit, in the book's currency per instance-hour).
 */
export interface SpotOptions {
  discount?: number;
  priceLimitPerHour?: number | string;
}

/** Alibaba quotes spot at 30% to 90% off; assume the least saving when nothing better is known. */
export const DEFAULT_SPOT_DISCOUNT = 0.3;

export interface PricingOptions {
  economy?: boolean;
  spot?: SpotOptions;
}

export class PricingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PricingError";
  }
}

/** Price of one second of a spec: vCPU × vCPU price + GiB × GiB price, then economy/spot. */
export function pricePerSecond(spec: EciSpec, book: PriceBook, options: PricingOptions = {}): Money {
  let vcpuPrice = new Decimal(book.vcpuPerSecond);
  if (options.economy) {
    if (book.economyVcpuPerSecond === null) {
      throw new PricingError(`The ${book.site} price book has no economy vCPU price`);
    }
    vcpuPrice = new Decimal(book.economyVcpuPerSecond);
  }
  const onDemand = vcpuPrice.times(spec.vcpu).plus(new Decimal(book.memoryGiBPerSecond).times(spec.memoryGiB));
  return options.spot ? applySpot(onDemand, options.spot) : onDemand;
}

function applySpot(onDemand: Decimal, spot: SpotOptions): Decimal {
  const discount = spot.discount ?? (spot.priceLimitPerHour === undefined ? DEFAULT_SPOT_DISCOUNT : 0);
  if (!(discount >= 0 && discount < 1)) throw new PricingError(`Spot discount must be in [0, 1), got ${discount}`);
  const discounted = onDemand.times(new Decimal(1).minus(discount));
  if (spot.priceLimitPerHour === undefined) return discounted;
  const limit = parseLimit(spot.priceLimitPerHour);
  if (limit === null) throw new PricingError(`Spot price limit must be a number ≥ 0, got ${spot.priceLimitPerHour}`);
  return Decimal.min(discounted, limit.dividedBy(3600));
}

function parseLimit(value: number | string): Decimal | null {
  try {
    const limit = new Decimal(value);
    return limit.isFinite() && !limit.isNegative() ? limit : null;
  } catch {
    return null;
  }
}

/**
 * Whole seconds billed between two instants. ECI bills per second; a started second counts
 * (UNCONFIRMED: the docs say "per second" without a rounding rule). Never negative.
 */
export function billedSeconds(from: Date, to: Date): number {
  const ms = to.getTime() - from.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export function costForSeconds(spec: EciSpec, seconds: number, book: PriceBook, options: PricingOptions = {}): Money {
  return pricePerSecond(spec, book, options).times(seconds);
}

/** Cost of running a spec from one instant to another (billing start to Succeeded/Failed). */
export function costBetween(spec: EciSpec, from: Date, to: Date, book: PriceBook, options: PricingOptions = {}): Money {
  return costForSeconds(spec, billedSeconds(from, to), book, options);
}

/**
 * The per-instance rounding of the China site: a fee below the minimum charge (0.01 CNY) is
 * rounded half-up to it or to 0 (>= 0.005 -> 0.01, < 0.005 -> free). Larger fees are left
 * exact. Meant for final costs of finished instances, not for a cost still ticking.
 */
export function applyMinimumCharge(amount: Money, book: PriceBook): Money {
  if (book.minimumCharge === null) return amount;
  const minimum = new Decimal(book.minimumCharge);
  if (amount.greaterThanOrEqualTo(minimum)) return amount;
  return amount.greaterThanOrEqualTo(minimum.dividedBy(2)) ? minimum : new Decimal(0);
}

export interface PodTimes {
  /** When billing started: status.startTime, else creationTimestamp; null if never billed. */
  start: Date | null;
  /** When billing stopped; null while the instance is still billed (or no time is known). */
  end: Date | null;
  /** Succeeded/Failed: the instance is no longer billed. */
  finished: boolean;
}

// Timestamps are strings in raw API JSON and Dates in @kubernetes/client-node objects.
type Timestamp = string | Date;

export interface PodWithStatus extends PodLike {
  metadata?: PodLike["metadata"] & { creationTimestamp?: Timestamp; deletionTimestamp?: Timestamp };
  status?: {
    phase?: string;
    startTime?: Timestamp;
    conditions?: Array<{ type?: string; status?: string; reason?: string; lastTransitionTime?: Timestamp }>;
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

interface ContainerStatusLike {
  state?: { terminated?: { finishedAt?: Timestamp } };
}

const FINISHED_PHASES = new Set(["Succeeded", "Failed"]);

function parseTime(value: Timestamp | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Billing window of a pod. Start: status.startTime (set when the ECI instance is up, before the
 * image pull, which is billed), else creationTimestamp (earlier, so an over- not under-estimate).
 * A pod ECI could not schedule (PodScheduled=False) has not started billing. End: the last
 * container finishedAt once the phase is Succeeded/Failed, else the last condition change.
 */
export function podBillingTimes(pod: PodWithStatus): PodTimes {
  const status = pod.status ?? {};
  const scheduled = status.conditions?.find((c) => c.type === "PodScheduled");
  if (status.phase === "Pending" && scheduled?.status === "False") return { start: null, end: null, finished: false };
  const start = parseTime(status.startTime) ?? parseTime(pod.metadata?.creationTimestamp);
  if (!FINISHED_PHASES.has(status.phase ?? "")) return { start, end: null, finished: false };
  const finishedTimes = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]
    .map((c) => parseTime(c.state?.terminated?.finishedAt))
    .filter((d): d is Date => d !== null);
  const fallback = (status.conditions ?? [])
    .map((c) => parseTime(c.lastTransitionTime))
    .filter((d): d is Date => d !== null);
  const candidates = finishedTimes.length > 0 ? finishedTimes : fallback;
  const end = candidates.length > 0 ? new Date(Math.max(...candidates.map((d) => d.getTime()))) : null;
  return { start, end: end ?? start, finished: true };
}

export type BilledSpecSource = SpecSource | "eci-instance-spec";

/**
 * The spec a pod is billed for. ECI writes the spec it created into `eci-instance-spec`
 * ("2.0-4.0Gi" or an ECS type) and `eci-instance-cpu`/`eci-instance-mem`; those are facts,
 * so they win over what resolvePodSpec predicts from the manifest.
 */
export function billedPodSpec(pod: PodLike): { spec: EciSpec; source: BilledSpecSource } {
  const annotations = pod.metadata?.annotations ?? {};
  const instanceSpec = annotations[ECI_ANNOTATIONS.instanceSpec];
  if (instanceSpec) {
    const entry = parseUseSpecEntry(instanceSpec);
    if (entry.kind !== "unknown") return { spec: entry.spec, source: "eci-instance-spec" };
  }
  const cpu = Number(annotations[ECI_ANNOTATIONS.instanceCpu]);
  const memory = Number(annotations[ECI_ANNOTATIONS.instanceMemory]);
  if (cpu > 0 && memory > 0) return { spec: { vcpu: cpu, memoryGiB: memory }, source: "eci-instance-spec" };
  const resolved = resolvePodSpec(pod);
  return { spec: resolved.billed, source: resolved.source };
}

/** Economy and spot as the pod's annotations request them. */
export function podPricingOptions(pod: PodLike, spotDiscount?: number): PricingOptions {
  const annotations = pod.metadata?.annotations ?? {};
  const options: PricingOptions = {};
  // Several categories may be listed, tried in order; the first is the one asked for.
  const category = annotations[ECI_ANNOTATIONS.computeCategory]?.split(",")[0]?.trim().toLowerCase();
  if (category === "economy") options.economy = true;
  const strategy = annotations[ECI_ANNOTATIONS.spotStrategy];
  if (strategy === "SpotAsPriceGo") options.spot = { discount: spotDiscount ?? DEFAULT_SPOT_DISCOUNT };
  if (strategy === "SpotWithPriceLimit") {
    const limit = annotations[ECI_ANNOTATIONS.spotPriceLimit];
    options.spot = {
      discount: spotDiscount ?? DEFAULT_SPOT_DISCOUNT,
      ...(limit && Number(limit) >= 0 ? { priceLimitPerHour: limit } : {}),
    };
  }
  return options;
}

/** What a pod costs per second and over which window: computed once per pod version. */
export interface PodCostRate {
  spec: EciSpec;
  specSource: BilledSpecSource;
  options: PricingOptions;
  perSecond: Money;
  times: PodTimes;
  /** Assumptions made on the way, to show next to the number. */
  notes: string[];
}

export interface PodCost extends Omit<PodCostRate, "times"> {
  seconds: number;
  /** Exact cost so far; for a finished pod with applyMinimumCharge, the billed fee. */
  cost: Money;
  /** True once the pod is Succeeded/Failed: the cost will not change any more. */
  final: boolean;
}

export interface CostSoFarOptions {
  /** Spot discount to assume for spot pods (default DEFAULT_SPOT_DISCOUNT). */
  spotDiscount?: number;
  /** Apply the per-instance minimum charge rounding to finished pods. */
  applyMinimumCharge?: boolean;
}

/**
 * Spec, price per second and billing window of a pod: spec from ECI's own annotations when
 * present, else the spec rules; economy/spot from annotations. A ticking display computes this
 * when the pod object changes and calls costAt every second (one multiplication).
 */
export function podCostRate(
  pod: PodWithStatus,
  book: PriceBook,
  settings: Pick<CostSoFarOptions, "spotDiscount"> = {},
): PodCostRate {
  const notes: string[] = [];
  const { spec, source } = billedPodSpec(pod);
  const options = podPricingOptions(pod, settings.spotDiscount);
  if (options.economy && book.economyVcpuPerSecond === null) {
    options.economy = false;
    notes.push("economy pod priced at the general vCPU price: this price book has no economy price");
  }
  if (options.spot)
    notes.push(`spot pod estimated at ${Math.round((options.spot.discount ?? 0) * 100)}% off on-demand`);
  const times = podBillingTimes(pod);
  if (times.finished && !times.end) notes.push("finished pod without timestamps: billed time unknown, counted as 0");
  return { spec, specSource: source, options, perSecond: pricePerSecond(spec, book, options), times, notes };
}

/** Cost of a rate at `now` (billed from start to finish, or to now while running). */
export function costAt(
  rate: PodCostRate,
  now: Date,
  book: PriceBook,
  settings: Pick<CostSoFarOptions, "applyMinimumCharge"> = {},
): PodCost {
  const { times, ...rest } = rate;
  const final = times.finished;
  const seconds = times.start ? billedSeconds(times.start, times.end ?? now) : 0;
  let cost = rate.perSecond.times(seconds);
  if (final && settings.applyMinimumCharge) cost = applyMinimumCharge(cost, book);
  return { ...rest, seconds, cost, final };
}

/** Cost of a live pod object at `now`: podCostRate then costAt. */
export function costSoFar(pod: PodWithStatus, now: Date, book: PriceBook, settings: CostSoFarOptions = {}): PodCost {
  return costAt(podCostRate(pod, book, settings), now, book, settings);
}
