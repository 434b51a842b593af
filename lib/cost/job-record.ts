import Decimal from "decimal.js";
import { applyMinimumCharge, costSoFar, type CostSoFarOptions, type PodWithStatus } from "@/lib/cost/pod-cost";
import { toMicros } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";
import { utcDay, type JobRecordLike } from "@/lib/cost/history";
import { vcpuToMillicores } from "@ask-ci/billing/eci/quantity";
import { podRequests } from "@ask-ci/billing/eci/specs";

export type JobRecordCostFields = Pick<
  JobRecordLike,
  | "day"
  | "billedSeconds"
  | "vcpuMilli"
  | "memoryMiB"
  | "requestedVcpuMilli"
  | "requestedMemoryMiB"
  | "currency"
  | "costMicros"
>;

function toMiB(gib: number): number {
  return new Decimal(gib).times(1024).ceil().toNumber();
}

/**
 * The cost columns of a JobRecord for a pod seen for the last time at `finishedAt` (its finish,
 * or when it vanished). The final cost gets the per-instance minimum charge rounding.
 */
export function jobRecordCostFields(
  pod: PodWithStatus,
  finishedAt: Date,
  book: PriceBook,
  options: Omit<CostSoFarOptions, "applyMinimumCharge"> = {},
): JobRecordCostFields {
  const cost = costSoFar(pod, finishedAt, book, options);
  const requests = podRequests(pod);
  return {
    day: utcDay(finishedAt),
    billedSeconds: cost.seconds,
    vcpuMilli: vcpuToMillicores(cost.spec.vcpu),
    memoryMiB: toMiB(cost.spec.memoryGiB),
    requestedVcpuMilli: requests ? vcpuToMillicores(requests.vcpu) : null,
    requestedMemoryMiB: requests ? toMiB(requests.memoryGiB) : null,
    currency: book.currency,
    costMicros: toMicros(applyMinimumCharge(cost.cost, book)),
  };
}
