import { SECONDS_PER_MONTH } from "@/lib/cost/break-even";
import { acsPricePerSecond, podPricingOptions, pricePerSecond, PricingError } from "@/lib/cost/pod-cost";
import { formatMoney, formatUnitPrice, type Money } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";
import { formatSpec, resolvePodSpec, type EciSpec, type PodLike } from "@ask-ci/billing/eci/specs";
import { resolveAcsPodSpec } from "@ask-ci/billing/acs/specs";
import { acsNormalisationNotice, jobPodShape, roundUpNotice } from "@/lib/manifests/job-pod-spec";
import { runnerPodPlacement } from "@/lib/manifests/placement";
import { jobPodsSchema, type RunnerSettings } from "@/lib/runner-settings/schema";

export interface JobPodPrice {
  requested: string | null;
  billed: string;
  billedSpec: EciSpec;
  source: string;
  perMinute: string;
  perHour: string;
  /** Why the billed spec is bigger than asked for, or why no spec fits. */
  notice?: string;
  /** Spot prices are estimates (market price unknown offline). */
  estimate: boolean;
}

/**
 * The ECI spec a job pod of these settings is billed at and its price, for the job-pods step to
 * show while the user types. undefined while the step's values are not valid yet.
 */
export function jobPodPrice(jobPodsInput: unknown, book: PriceBook, services = 0): JobPodPrice | undefined {
  const parsed = jobPodsSchema.safeParse(jobPodsInput);
  if (!parsed.success) return undefined;
  // jobPodShape reads only jobPods; the rest of the settings are not needed for the billed spec.
  const pod = jobPodShape({ jobPods: parsed.data } as RunnerSettings, services);
  if (parsed.data.backend === "acs") return acsJobPodPrice(pod, parsed.data, book);
  const resolved = resolvePodSpec(pod);
  // Economy and spot from the pod's annotations, as the monitor prices the real job pods.
  const options = podPricingOptions(pod);
  let perSecond: Money;
  let notice = roundUpNotice(resolved);
  try {
    perSecond = pricePerSecond(resolved.billed, book, options);
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    notice = error.message;
    perSecond = pricePerSecond(resolved.billed, book);
  }
  return {
    requested: resolved.requested ? formatSpec(resolved.requested) : null,
    billed: formatSpec(resolved.billed),
    billedSpec: resolved.billed,
    source: resolved.source,
    perMinute: formatMoney(perSecond.times(60), book.currency, { decimals: 4 }),
    perHour: formatMoney(perSecond.times(3600), book.currency, { decimals: 3 }),
    notice,
    estimate: options.spot !== undefined,
  };
}

/** jobPodPrice for job pods on ACS: ACS's normalisation and its class/QoS price (no minimum charge). */
function acsJobPodPrice(
  pod: PodLike,
  jobPods: Pick<RunnerSettings["jobPods"], "computeClass" | "qos">,
  book: PriceBook,
): JobPodPrice {
  const resolved = resolveAcsPodSpec(pod, jobPods.computeClass);
  let notice = acsNormalisationNotice(resolved, jobPods.computeClass);
  let perSecond: Money;
  try {
    perSecond = acsPricePerSecond(resolved.billed, book, jobPods.computeClass, jobPods.qos);
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    notice = error.message;
    perSecond = acsPricePerSecond(resolved.billed, book, "general-purpose", jobPods.qos);
  }
  return {
    requested: resolved.requested ? formatSpec(resolved.requested) : null,
    billed: formatSpec(resolved.billed),
    billedSpec: resolved.billed,
    source: resolved.source,
    perMinute: formatMoney(perSecond.times(60), book.currency, { decimals: 4 }),
    perHour: formatMoney(perSecond.times(3600), book.currency, { decimals: 3 }),
    notice,
    estimate: false,
  };
}

export interface MonthlyCost {
  runnerSpec: string;
  /** null when the runner pod cannot be created at its size (see notice): nothing is priced. */
  runnerPerMonth: string | null;
  runnerPerSecond: string | null;
  /** Why the runner pod has no price. */
  notice?: string;
  /** GiB of NAS / StorageClass volumes and of the image cache: billed by those products, not priced here. */
  storageGiB: number;
  imageCacheGiB: number;
}

/** What runs all month whatever the job count: the runner manager pod (priced) and the storage sizes. */
export function monthlyFixedCost(
  runnerPod: PodLike,
  settings: RunnerSettings,
  book: PriceBook,
  storageGiB: number,
): MonthlyCost {
  const placement = runnerPodPlacement(settings);
  const resolved =
    placement.backend === "acs" ? resolveAcsPodSpec(runnerPod, placement.computeClass) : resolvePodSpec(runnerPod);
  const spec = resolved.billed;
  const storage = { storageGiB, imageCacheGiB: settings.imageCache?.sizeGiB ?? 0 };
  if (resolved.unsupported) {
    return {
      runnerSpec: formatSpec(spec),
      runnerPerMonth: null,
      runnerPerSecond: null,
      notice: resolved.unsupported,
      ...storage,
    };
  }
  const perSecond =
    placement.backend === "acs"
      ? acsPricePerSecond(spec, book, placement.computeClass, "default")
      : pricePerSecond(spec, book);
  return {
    runnerSpec: formatSpec(spec),
    runnerPerMonth: formatMoney(perSecond.times(SECONDS_PER_MONTH), book.currency),
    runnerPerSecond: formatUnitPrice(perSecond, book.currency),
    ...storage,
  };
}
