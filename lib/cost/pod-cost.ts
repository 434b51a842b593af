import Decimal from "decimal.js";
import type { AcsComputeClass, AcsQos } from "@ask-ci/billing/acs/labels";
import { ACS_ANNOTATIONS } from "@ask-ci/billing/acs/labels";
import { parseAcsSpecNotation, resolveAcsPodSpec, type AcsSpecSource } from "@ask-ci/billing/acs/specs";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import {
  parseUseSpecEntry,
  resolvePodSpec,
  type EciSpec,
  type PodLike,
  type SpecSource,
} from "@ask-ci/billing/eci/specs";
import { podPlacement, type Backend, type Placement } from "@ask-ci/billing/placement";
import type { Money, MoneyInput } from "@/lib/cost/money";
import { acsPriceKey, unitPrice, type PriceBook, type PriceKey } from "@/lib/cost/prices";
import { plausibleTimeMs } from "@/lib/kube/pod";

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

function requiredPrice(book: PriceBook, key: PriceKey, what: string): Decimal {
  const price = unitPrice(book, key);
  if (price === null) {
    throw new PricingError(
      `The ${book.site} ${book.regionGroup} price book has no ${what} price (none is published): enter it in the price book`,
    );
  }
  return price;
}

/** Price of one second of an ECI spec: vCPU × vCPU price + GiB × GiB price, then economy/spot. */
export function pricePerSecond(spec: EciSpec, book: PriceBook, options: PricingOptions = {}): Money {
  const vcpuPrice = options.economy
    ? requiredPrice(book, "eci.economy-vcpu", "economy vCPU")
    : requiredPrice(book, "eci.vcpu", "ECI vCPU");
  const onDemand = vcpuPrice
    .times(spec.vcpu)
    .plus(requiredPrice(book, "eci.memory", "ECI memory").times(spec.memoryGiB));
  return options.spot ? applySpot(onDemand, options.spot) : onDemand;
}

/** Price of one second of an ACS spec of a compute class and QoS (pay-as-you-go, per second). */
export function acsPricePerSecond(spec: EciSpec, book: PriceBook, computeClass: AcsComputeClass, qos: AcsQos): Money {
  const what = `ACS ${computeClass} ${qos}`;
  const vcpu = requiredPrice(book, acsPriceKey(computeClass, qos, "vcpu"), `${what} vCPU`);
  const memory = requiredPrice(book, acsPriceKey(computeClass, qos, "memory"), `${what} memory`);
  return vcpu.times(spec.vcpu).plus(memory.times(spec.memoryGiB));
}

/** Price of one second of a spec where the pod runs: ECI (with economy/spot) or ACS (class, QoS). */
export function placementPricePerSecond(
  placement: Placement,
  spec: EciSpec,
  book: PriceBook,
  options: PricingOptions = {},
): Money {
  return placement.backend === "acs"
    ? acsPricePerSecond(spec, book, placement.computeClass, placement.qos)
    : pricePerSecond(spec, book, options);
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
 * The per-instance rounding of a backend's final fee (ECI, China site: 0.01 CNY): a fee below the
 * minimum charge is rounded half-up to it or to 0 (>= 0.005 -> 0.01, < 0.005 -> free). Larger
 * fees are left exact; a null minimum (no documented rule) leaves every fee exact.
 */
export function applyMinimumCharge(amount: Money, minimumCharge: string | null): Money {
  if (minimumCharge === null) return amount;
  const minimum = new Decimal(minimumCharge);
  if (amount.greaterThanOrEqualTo(minimum)) return amount;
  return amount.greaterThanOrEqualTo(minimum.dividedBy(2)) ? minimum : new Decimal(0);
}

/**
 * THE final fee of an instance that is no longer billed: its price per second × the seconds it
 * was billed, then its backend's minimum-charge rounding. The live monitor's final figure and the
 * JobRecord History shows both come from here (through finalPodCost), so they cannot disagree.
 */
export function finalFee(perSecond: MoneyInput, seconds: number, minimumCharge: string | null): Money {
  return applyMinimumCharge(new Decimal(perSecond).times(seconds), minimumCharge);
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
  const ms = plausibleTimeMs(new Date(value).getTime());
  return ms === null ? null : new Date(ms);
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

export type BilledSpecSource = SpecSource | AcsSpecSource | "eci-instance-spec" | "pod-use-spec";

/**
 * The spec a pod is billed for where it runs. ECI writes the spec it created into
 * `eci-instance-spec` ("2.0-4.0Gi" or an ECS type) and `eci-instance-cpu`/`-mem`; ACS writes its
 * normalised spec into `pod-use-spec` ("2-4Gi"). Those are facts, so they win over what the spec
 * rules predict from the manifest (resolvePodSpec for ECI, resolveAcsPodSpec for ACS).
 */
export function billedPodSpec(
  pod: PodLike,
  placement: Placement = { backend: "eci" },
): { spec: EciSpec; source: BilledSpecSource; unsupported?: string } {
  const annotations = pod.metadata?.annotations ?? {};
  if (placement.backend === "acs") {
    const used = parseAcsSpecNotation(annotations[ACS_ANNOTATIONS.podUseSpec]);
    if (used) return { spec: used, source: "pod-use-spec" };
    const resolved = resolveAcsPodSpec(pod, placement.computeClass);
    return { spec: resolved.billed, source: resolved.source, unsupported: resolved.unsupported };
  }
  const instanceSpec = annotations[ECI_ANNOTATIONS.instanceSpec];
  if (instanceSpec) {
    const entry = parseUseSpecEntry(instanceSpec);
    if (entry.kind !== "unknown") return { spec: entry.spec, source: "eci-instance-spec" };
  }
  const cpu = Number(annotations[ECI_ANNOTATIONS.instanceCpu]);
  const memory = Number(annotations[ECI_ANNOTATIONS.instanceMemory]);
  if (cpu > 0 && memory > 0) return { spec: { vcpu: cpu, memoryGiB: memory }, source: "eci-instance-spec" };
  const resolved = resolvePodSpec(pod);
  return { spec: resolved.billed, source: resolved.source, unsupported: resolved.unsupported };
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
  /** Where the pod runs (ECI, or ACS with its class and QoS): decides the prices and the minimum charge. */
  placement: Placement;
  spec: EciSpec;
  specSource: BilledSpecSource;
  options: PricingOptions;
  perSecond: Money;
  /** The backend's per-instance minimum charge in this book (null: fees stay exact). */
  minimumCharge: string | null;
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
  /** What pods without a label or platform annotation run on: the connection's default backend. */
  defaultBackend?: Backend;
}

/**
 * Spec, price per second and billing window of a pod: placement from the pod (podPlacement),
 * spec from the platform's own annotations when present, else the backend's spec rules;
 * economy/spot from ECI annotations. A ticking display computes this when the pod object changes
 * and calls costAt every second (one multiplication).
 */
export function podCostRate(
  pod: PodWithStatus,
  book: PriceBook,
  settings: Pick<CostSoFarOptions, "spotDiscount" | "defaultBackend"> = {},
): PodCostRate {
  const notes: string[] = [];
  const { placement } = podPlacement(pod, settings.defaultBackend);
  const { spec, source, unsupported } = billedPodSpec(pod, placement);
  if (unsupported) notes.push(`${unsupported}: priced at the request, which the platform will not create`);
  if (placement.backend === "acs" && placement.unknownClass) {
    notes.push(`compute class ${placement.unknownClass} is priced as general-purpose`);
  }
  const options = placement.backend === "eci" ? podPricingOptions(pod, settings.spotDiscount) : {};
  if (options.economy && unitPrice(book, "eci.economy-vcpu") === null) {
    options.economy = false;
    notes.push("economy pod priced at the general vCPU price: this price book has no economy price");
  }
  if (options.spot)
    notes.push(`spot pod estimated at ${Math.round((options.spot.discount ?? 0) * 100)}% off on-demand`);
  const times = podBillingTimes(pod);
  if (times.finished && !times.end) notes.push("finished pod without timestamps: billed time unknown, counted as 0");
  return {
    placement,
    spec,
    specSource: source,
    options,
    perSecond: placementPricePerSecond(placement, spec, book, options),
    minimumCharge: book.minimumCharge[placement.backend],
    times,
    notes,
  };
}

/** Cost of a rate at `now` (billed from start to finish, or to now while running). */
export function costAt(
  rate: PodCostRate,
  now: Date,
  settings: Pick<CostSoFarOptions, "applyMinimumCharge"> = {},
): PodCost {
  const { times, ...rest } = rate;
  const final = times.finished;
  const seconds = times.start ? billedSeconds(times.start, times.end ?? now) : 0;
  const cost =
    final && settings.applyMinimumCharge
      ? finalFee(rate.perSecond, seconds, rate.minimumCharge)
      : rate.perSecond.times(seconds);
  return { ...rest, seconds, cost, final };
}

/** Cost of a live pod object at `now`: podCostRate then costAt. */
export function costSoFar(pod: PodWithStatus, now: Date, book: PriceBook, settings: CostSoFarOptions = {}): PodCost {
  return costAt(podCostRate(pod, book, settings), now, settings);
}

/** How a pod stopped being billed: it finished (Succeeded/Failed), or was seen gone while it ran. */
export type PodEnd = { kind: "finished" } | { kind: "vanished"; seenGoneAt: Date };

/**
 * The final cost of a pod that has ended: billed to its finish, or to when it was seen gone,
 * then finalFee. The one function behind the monitor's final figure and the recorded JobRecord.
 */
export function finalPodCost(
  pod: PodWithStatus,
  end: PodEnd,
  book: PriceBook,
  settings: Omit<CostSoFarOptions, "applyMinimumCharge"> = {},
): PodCost {
  return finalCostOfRate(podCostRate(pod, book, settings), end);
}

/** finalPodCost from a rate already computed (the monitor computes one per pod version anyway). */
export function finalCostOfRate(rate: PodCostRate, end: PodEnd): PodCost {
  let times = rate.times;
  if (end.kind === "vanished" && !times.finished) {
    // Gone while Pending/Running: ECI/ACS stop billing when the instance is released.
    times = { start: times.start, end: times.start ? end.seenGoneAt : null, finished: true };
  }
  return costAt({ ...rate, times }, times.end ?? times.start ?? new Date(0), { applyMinimumCharge: true });
}
