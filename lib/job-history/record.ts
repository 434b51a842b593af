import Decimal from "decimal.js";
import { toMicros } from "@/lib/cost/money";
import { finalPodCost, type CostSoFarOptions, type PodEnd, type PodWithStatus } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import type { Placement } from "@ask-ci/billing/placement";
import { vcpuToMillicores } from "@ask-ci/billing/eci/quantity";
import { podRequests } from "@ask-ci/billing/eci/specs";
import type { JobRecord } from "@/lib/generated/prisma/client";
import {
  isFinishedPhase,
  podCreatedAt,
  podJobInfo,
  podPhase,
  podRunnerName,
  podStartedAt,
  type Pod,
} from "@/lib/kube/pod";
import { storableOrNull, storableText } from "@/lib/text/untrusted";
import { classifyJobPodEnd, VANISH_REASONS, type JobPodEnd } from "./lifecycle";
import { utcDay, type JobRecordLike } from "./aggregates";

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
> &
  Pick<JobRecord, "backend" | "computeClass" | "qos">;

function toMiB(gib: number): number {
  return new Decimal(gib).times(1024).ceil().toNumber();
}

/**
 * The cost columns of a JobRecord for a pod that ended (finished, or seen gone at `finishedAt`):
 * finalPodCost, the same final fee the live monitor shows.
 */
export function jobRecordCostFields(
  pod: PodWithStatus,
  end: PodEnd,
  finishedAt: Date,
  book: PriceBook,
  options: Omit<CostSoFarOptions, "applyMinimumCharge"> = {},
): JobRecordCostFields {
  const cost = finalPodCost(pod, end, book, options);
  const requests = podRequests(pod);
  return {
    day: utcDay(finishedAt),
    billedSeconds: cost.seconds,
    vcpuMilli: vcpuToMillicores(cost.spec.vcpu),
    memoryMiB: toMiB(cost.spec.memoryGiB),
    requestedVcpuMilli: requests ? vcpuToMillicores(requests.vcpu) : null,
    requestedMemoryMiB: requests ? toMiB(requests.memoryGiB) : null,
    currency: book.currency,
    ...placementColumns(cost.placement),
    costMicros: toMicros(cost.cost),
  };
}

/** Where the pod ran, as stored beside its price: the backend, and for ACS the class and QoS billed. */
export function placementColumns(placement: Placement): Pick<JobRecord, "backend" | "computeClass" | "qos"> {
  return placement.backend === "acs"
    ? { backend: "acs", computeClass: placement.computeClass, qos: placement.qos }
    : { backend: "eci", computeClass: null, qos: null };
}

/**
 * The columns of a JobRecord row (prisma/schema.prisma) except the generated ones and the GitLab link's
 * (lib/gitlab/link.server.ts fills those, GitLab's result among them). The BigInt column
 * costMicros is a number here, as everywhere outside the database (Prisma writes numbers to it).
 * phase: "Finished" (the runner ended it) or "Vanished" (the platform did); rows written before
 * the real lifecycle was modelled say "Succeeded"/"Failed" for finished jobs.
 */
export type JobRecordData = Omit<
  JobRecord,
  "id" | "recordedAt" | "phase" | "gitlabConnectionId" | "gitlabJobId" | "gitlabStatus" | "source" | "costMicros"
> & {
  phase: "Finished" | "Vanished";
  costMicros: number;
};

export type JobEnd = JobPodEnd;

/** A job pod's end as lifecycle.ts classifies it; null while it has not ended or is not a job pod. */
export function jobEndOf(pod: Pod, deleted: boolean, now: Date): JobEnd | null {
  if (!pod.metadata?.uid) return null;
  return classifyJobPodEnd({ pod, gone: deleted, seenAt: now });
}

/** A job known to have ended at `endedAt` without a pod to look at (GitLab backfill): finished, result from GitLab. */
export function finishedJobEnd(endedAt: Date): JobEnd {
  return { kind: "finished", outcome: "unknown", endedAt, ran: true, reason: null };
}

/** The billing window's end for the cost functions: the kubelet's finish times, or the end the classifier worked out. */
export function podEndOf(pod: Pod, end: JobEnd): PodEnd {
  return isFinishedPhase(podPhase(pod)) ? { kind: "finished" } : { kind: "vanished", seenGoneAt: end.endedAt };
}

/**
 * The JobRecord for a job pod's end: job identity from the runner's labels and annotations,
 * times from the pod, billed until its containers stopped (end.endedAt), cost from lib/cost.
 */
export function jobRecordData(
  pod: Pod,
  end: JobEnd,
  connectionId: string,
  book: PriceBook,
  options: Pick<CostSoFarOptions, "defaultBackend"> = {},
): JobRecordData {
  const created = podCreatedAt(pod);
  const finishedAt = end.endedAt;
  const started = podStartedAt(pod);
  const info = podJobInfo(pod);
  return {
    podUid: pod.metadata!.uid!,
    connectionId,
    namespace: pod.metadata?.namespace ?? "",
    podName: pod.metadata?.name ?? "",
    runnerName: podRunnerName(pod),
    ...info,
    phase: end.kind === "vanished" ? "Vanished" : "Finished",
    reason: end.kind === "vanished" ? VANISH_REASONS[end.cause] : end.reason,
    createdAt: new Date(created ?? finishedAt.getTime()),
    startedAt: started === null ? null : new Date(started),
    finishedAt,
    ...jobRecordCostFields(pod, podEndOf(pod, end), finishedAt, book, options),
  };
}

// Column caps for text from the cluster: Kubernetes' own limits where it has them (names 253,
// label values 63), generous elsewhere; a value past them is hostile or broken, not a job name.
const TEXT_LIMITS = {
  podUid: 128,
  namespace: 253,
  podName: 253,
  runnerName: 253,
  projectId: 64,
  projectPath: 1024,
  jobId: 64,
  jobName: 1024,
  ref: 1024,
  reason: 256,
} as const satisfies Partial<Record<keyof JobRecordData, number>>;
const MAX_URL = 2048;

/** The pod uid as the JobRecord stores it (its idempotence key). */
export function storablePodUid(uid: string): string {
  return storableText(uid, TEXT_LIMITS.podUid);
}
// The largest value of each integer column on both databases: Int is 32-bit on PostgreSQL (SQLite
// holds 64 bits), the BigInt money column is read back as a JavaScript number.
const INT_MAX = 2_147_483_647;
const INT_COLUMNS = {
  billedSeconds: INT_MAX,
  vcpuMilli: INT_MAX,
  memoryMiB: INT_MAX,
  requestedVcpuMilli: INT_MAX,
  requestedMemoryMiB: INT_MAX,
  costMicros: Number.MAX_SAFE_INTEGER,
} as const satisfies Partial<Record<keyof JobRecordData, number>>;
const DATE_COLUMNS = ["createdAt", "startedAt", "finishedAt"] as const satisfies ReadonlyArray<keyof JobRecordData>;

/**
 * The row as the database can hold it, or why it cannot be. Text from the cluster is made
 * well-formed and capped (lib/text/untrusted); a job URL too long to be one is dropped rather than
 * cut into a wrong link. Numbers must be non-negative integers that both databases' columns (and
 * JavaScript) hold exactly, and dates real: a pod whose spec or times make them overflow is not
 * recorded, and the caller logs why, instead of failing the insert.
 */
export function storableJobRecord(
  data: JobRecordData,
): { ok: true; data: JobRecordData } | { ok: false; problem: string } {
  const row: JobRecordData = { ...data };
  for (const [column, max] of Object.entries(TEXT_LIMITS) as Array<[keyof typeof TEXT_LIMITS, number]>) {
    const value = row[column];
    if (column === "podUid" || column === "namespace" || column === "podName")
      row[column] = storableText(String(value ?? ""), max);
    else row[column] = storableOrNull(value, max);
  }
  row.jobUrl = row.jobUrl !== null && row.jobUrl.length <= MAX_URL ? storableText(row.jobUrl, MAX_URL) : null;
  for (const [column, max] of Object.entries(INT_COLUMNS) as Array<[keyof typeof INT_COLUMNS, number]>) {
    const value = row[column];
    if (value !== null && !(Number.isSafeInteger(value) && value >= 0 && value <= max))
      return { ok: false, problem: `${column} ${value} does not fit` };
  }
  for (const column of DATE_COLUMNS) {
    const value = row[column];
    if (value !== null && Number.isNaN(value.getTime())) return { ok: false, problem: `${column} is not a date` };
  }
  return { ok: true, data: row };
}
