import Decimal from "decimal.js";
import { billedSeconds, finalCostOfRate, podCostRate, type CostSoFarOptions } from "@/lib/cost/pod-cost";
import type { CurrencyCode } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";
import type { EciSpec } from "@ask-ci/billing/eci/specs";
import type { Placement } from "@ask-ci/billing/placement";
import {
  isJobPod,
  podCreatedAt,
  podFinishedAt,
  podJobInfo,
  podPhase,
  podRestarts,
  podRunnerName,
  podStartedAt,
  podWaitingReason,
  parseTime,
  type Pod,
  type PodJobInfo,
  type PodPhase,
} from "@/lib/kube/pod";

/** "Vanished": the pod was deleted while its job was still Pending/Running. */
export type SummaryPhase = PodPhase | "Vanished";

/**
 * What the browser gets for one row of the pod table: derived fields only, no spec, no env,
 * no managedFields. Times are epoch milliseconds (null when unknown).
 */
export interface PodSummary extends PodJobInfo {
  uid: string;
  name: string;
  namespace: string;
  resourceVersion: string;
  phase: SummaryPhase;
  reason: string | null;
  restarts: number;
  createdAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  deletingAt: number | null;
  /** When the pod was seen gone while its job ran (phase "Vanished"). */
  goneAt: number | null;
  isJobPod: boolean;
  runner: string | null;
  /** Where the pod runs: ECI, or ACS with its compute class and QoS. */
  placement: Placement;
  spec: EciSpec;
  specSource: string;
  cost: SummaryCost;
}

export interface SummaryCost {
  currency: CurrencyCode;
  /** Decimal string, currency per second. */
  perSecond: string;
  billingStart: number | null;
  billingEnd: number | null;
  /** The billed fee (minimum charge applied) once the pod is finished; null while it runs. */
  final: string | null;
}

/**
 * The table row of a pod. With `goneAt`, the row of a job pod deleted while Pending/Running
 * ("Vanished"): billed up to when it was seen gone. A finished or vanished pod's final fee is
 * finalCostOfRate, the function the job recorder stores in History (through finalPodCost).
 */
export function toPodSummary(
  pod: Pod,
  book: PriceBook,
  options: Pick<CostSoFarOptions, "defaultBackend"> & { goneAt?: number } = {},
): PodSummary {
  const rate = podCostRate(pod, book, options);
  const vanished = options.goneAt !== undefined;
  const end = vanished
    ? { kind: "vanished" as const, seenGoneAt: new Date(options.goneAt!) }
    : { kind: "finished" as const };
  const final = vanished || rate.times.finished ? finalCostOfRate(rate, end) : null;
  const billingEnd = vanished ? (rate.times.start ? options.goneAt! : null) : (rate.times.end?.getTime() ?? null);
  return {
    uid: pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`,
    name: pod.metadata?.name ?? "",
    namespace: pod.metadata?.namespace ?? "",
    resourceVersion: pod.metadata?.resourceVersion ?? "",
    phase: vanished ? "Vanished" : podPhase(pod),
    reason: podWaitingReason(pod),
    restarts: podRestarts(pod),
    createdAt: podCreatedAt(pod),
    startedAt: podStartedAt(pod),
    finishedAt: podFinishedAt(pod),
    deletingAt: parseTime(pod.metadata?.deletionTimestamp),
    goneAt: options.goneAt ?? null,
    isJobPod: isJobPod(pod),
    runner: podRunnerName(pod),
    ...podJobInfo(pod),
    placement: rate.placement,
    spec: rate.spec,
    specSource: rate.specSource,
    cost: {
      currency: book.currency,
      perSecond: rate.perSecond.toString(),
      billingStart: rate.times.start?.getTime() ?? null,
      billingEnd,
      final: final ? final.cost.toString() : null,
    },
  };
}

export function isActivePhase(phase: SummaryPhase): boolean {
  return phase === "Pending" || phase === "Running" || phase === "Unknown";
}

/** Cost at `now`: the final fee once finished, else per-second price × seconds billed so far. */
export function summaryCostAt(summary: PodSummary, now: number): Decimal {
  const { cost } = summary;
  if (cost.final !== null) return new Decimal(cost.final);
  if (cost.billingStart === null) return new Decimal(0);
  const seconds = billedSeconds(new Date(cost.billingStart), new Date(cost.billingEnd ?? now));
  return new Decimal(cost.perSecond).times(seconds);
}
