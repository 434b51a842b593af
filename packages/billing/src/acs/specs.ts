import { ACS_ANNOTATIONS, type AcsComputeClass } from "@ask-ci/billing/acs/labels";
import {
  BYTES_PER_GIB,
  bytesToGiB,
  gibToBytes,
  parseCpuMillicores,
  parseMemoryBytes,
  vcpuToMillicores,
} from "@ask-ci/billing/eci/quantity";
import {
  formatSpec,
  formatSpecCompact,
  type ContainerLike,
  type EciSpec,
  type PodLike,
} from "@ask-ci/billing/eci/specs";

/**
 * ACS's spec rules for general-purpose and performance pods (source: the "ACS pod instance" page,
 * https://www.alibabacloud.com/help/en/cs/acs-pod-instance-overview, read 2026-02/03; details and
 * what is unconfirmed in docs/cost-model.md). Everything is computed on integer millicores and
 * bytes so no float drift can push a request over a step.
 */

/** vCPU and binary GiB, the same shape as an ECI spec. */
export type AcsSpec = EciSpec;

/** What ACS creates when no container sets requests or limits. */
export const ACS_DEFAULT_SPEC: AcsSpec = Object.freeze({ vcpu: 2, memoryGiB: 4 });

export interface AcsClassLimits {
  /** The largest spec the class offers at all (pod-required-spec is capped there too). */
  largest: AcsSpec;
  /** Larger than this (either resource) needs a quota increase through a ticket. */
  withoutTicket: AcsSpec;
}

// The page gives performance the same vCPU/memory grid as general-purpose (only bandwidth differs).
export const ACS_CLASS_LIMITS: Readonly<Record<AcsComputeClass, AcsClassLimits>> = Object.freeze({
  "general-purpose": { largest: { vcpu: 64, memoryGiB: 512 }, withoutTicket: { vcpu: 16, memoryGiB: 128 } },
  performance: { largest: { vcpu: 64, memoryGiB: 512 }, withoutTicket: { vcpu: 16, memoryGiB: 128 } },
});

const MILLI = 1000;
const LARGE_VCPU_MILLI = [24, 32, 48, 64].map((v) => v * MILLI);

/** The vCPU steps: 0.25, then every 0.5 from 0.5 to 16, then 24, 32, 48, 64. */
export const ACS_VCPU_STEPS: readonly number[] = Object.freeze([
  0.25,
  ...Array.from({ length: 32 }, (_, i) => (i + 1) / 2),
  ...LARGE_VCPU_MILLI.map((m) => m / MILLI),
]);

/**
 * Memory sizes (GiB) offered with a vCPU count: 0.25 vCPU takes 0.5, 1 or 2 GiB; 0.5 to 16 vCPU
 * take whole GiB from ceil(vCPU) (at least 1) to 8 × vCPU; 24 to 64 vCPU take 1, 2, 4 or 8 GiB
 * per vCPU.
 */
export function acsMemoryOptions(vcpu: number): number[] {
  const milli = vcpuToMillicores(vcpu);
  if (milli === 250) return [0.5, 1, 2];
  if (milli > 16 * MILLI) return LARGE_VCPU_MILLI.includes(milli) ? [1, 2, 4, 8].map((f) => f * vcpu) : [];
  if (milli < 500 || milli % 500 !== 0) return [];
  const smallest = Math.max(1, Math.ceil(vcpu));
  return Array.from({ length: 8 * vcpu - smallest + 1 }, (_, i) => smallest + i);
}

export function isAcsSpec(spec: AcsSpec): boolean {
  return acsMemoryOptions(spec.vcpu).includes(spec.memoryGiB);
}

export class AcsSpecOutOfRangeError extends Error {
  constructor(readonly requested: AcsSpec) {
    const { largest } = ACS_CLASS_LIMITS["general-purpose"];
    super(`No ACS spec fits ${formatSpec(requested)} (the largest is ${formatSpec(largest)})`);
    this.name = "AcsSpecOutOfRangeError";
  }
}

/**
 * The spec ACS normalises a request to: the fewest vCPU on the step grid that can hold the memory,
 * then the least memory of that row that holds it. The docs' example: 2 vCPU / 3.5 GiB → 2 vCPU /
 * 4 GiB. Up to 16 vCPU a row with more vCPU never has a lower memory floor, so this is also the
 * cheapest spec that fits at any prices. Above 16 vCPU (quota ticket needed) the docs say only
 * "the closest supported specification"; fewest vCPU first is our reading (unconfirmed).
 */
export function normalizeAcsSpec(requested: AcsSpec): AcsSpec {
  if (!(requested.vcpu >= 0 && requested.memoryGiB >= 0)) {
    throw new RangeError(
      `A spec needs non-negative vCPU and memory, got ${requested.vcpu} vCPU / ${requested.memoryGiB} GiB`,
    );
  }
  return normalizeExact(vcpuToMillicores(requested.vcpu), gibToBytes(requested.memoryGiB), requested);
}

function normalizeExact(millicores: number, bytes: number, requested: AcsSpec): AcsSpec {
  for (const vcpu of ACS_VCPU_STEPS) {
    if (vcpu * MILLI < millicores) continue;
    const memoryGiB = acsMemoryOptions(vcpu).find((gib) => gib * BYTES_PER_GIB >= bytes);
    if (memoryGiB !== undefined) return { vcpu, memoryGiB };
  }
  throw new AcsSpecOutOfRangeError(requested);
}

export type AcsSpecSource = "pod-required-spec" | "limits" | "requests" | "default";

export interface ResolvedAcsPodSpec {
  /** max(Σrequests, Σlimits) per resource, or pod-required-spec; null when nothing is set. */
  requested: AcsSpec | null;
  /** The normalised spec ACS creates and bills. */
  billed: AcsSpec;
  source: AcsSpecSource;
  /** Set when ACS refuses the pod (too large, malformed or too small pod-required-spec); billed is then the request. */
  unsupported?: string;
  /** Set when the billed spec is above what an account gets without a quota ticket. */
  needsQuota?: string;
}

// "2-4Gi", "0.25-0.5Gi", "2.5-5Gi" (ACS's notation; "2.0-4.0Gi" read too).
const SPEC_NOTATION = /^(\d+(?:\.\d+)?|\.\d+)-(\d+(?:\.\d+)?|\.\d+)Gi$/;

/** A "<vCPU>-<GiB>Gi" value (pod-use-spec, pod-required-spec); null when it is not one. */
export function parseAcsSpecNotation(value: string | undefined): AcsSpec | null {
  const match = value === undefined ? null : SPEC_NOTATION.exec(value.trim());
  if (!match) return null;
  const spec = { vcpu: Number(match[1]), memoryGiB: Number(match[2]) };
  return spec.vcpu > 0 && spec.memoryGiB > 0 ? spec : null;
}

/** The value ACS writes into alibabacloud.com/pod-use-spec: "2-4Gi", "0.25-0.5Gi", "2.5-5Gi". */
export function formatPodUseSpec(spec: AcsSpec): string {
  return formatSpecCompact(spec);
}

/** A sentence when the billed spec is too large to create, or needs a quota ticket; null when it is fine. */
export function acsSpecLimitNotice(
  billed: AcsSpec,
  computeClass: AcsComputeClass = "general-purpose",
): { level: "refused" | "ticket"; message: string } | null {
  const { largest, withoutTicket } = ACS_CLASS_LIMITS[computeClass];
  if (billed.vcpu > largest.vcpu || billed.memoryGiB > largest.memoryGiB) {
    return {
      level: "refused",
      message: `ACS ${computeClass} pods are at most ${formatSpec(largest)}; ${formatSpec(billed)} cannot be created`,
    };
  }
  if (billed.vcpu > withoutTicket.vcpu || billed.memoryGiB > withoutTicket.memoryGiB) {
    return {
      level: "ticket",
      message: `ACS pods above ${formatSpec(withoutTicket)} need a quota increase (a ticket) before ${formatSpec(billed)} can be created`,
    };
  }
  return null;
}

interface Totals {
  requests: { cpu: number; memory: number };
  limits: { cpu: number; memory: number };
  set: boolean;
  /** Kubernetes' Guaranteed QoS: every container's limits equal its requests, for CPU and memory. */
  guaranteed: boolean;
}

/**
 * Σrequests and Σlimits of a pod, per resource, in millicores and bytes. A container with a limit
 * and no request requests its limit (Kubernetes defaults it so). Init containers follow the
 * Kubernetes effective-request rule (max of the running sum and the largest init container plus
 * the sidecars started before it); whether ACS counts them so is unconfirmed.
 */
function podTotals(pod: PodLike): Totals {
  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];
  let set = false;
  const guaranteed = [...containers, ...initContainers].every((c) =>
    (["cpu", "memory"] as const).every((resource) => {
      const limit = c.resources?.limits?.[resource];
      const request = c.resources?.requests?.[resource] ?? limit;
      const parse = resource === "cpu" ? parseCpuMillicores : parseMemoryBytes;
      return limit !== undefined && request !== undefined && parse(limit) === parse(request);
    }),
  );
  const amount = (c: ContainerLike, kind: "requests" | "limits", resource: "cpu" | "memory"): number => {
    const parse = resource === "cpu" ? parseCpuMillicores : parseMemoryBytes;
    const limit = c.resources?.limits?.[resource];
    const request = c.resources?.requests?.[resource];
    if (limit !== undefined || request !== undefined) set = true;
    const value = kind === "limits" ? limit : (request ?? limit);
    return value === undefined ? 0 : parse(value);
  };
  const total = (kind: "requests" | "limits", resource: "cpu" | "memory"): number => {
    let sidecars = 0;
    let largestInit = 0;
    for (const init of initContainers) {
      const value = amount(init, kind, resource);
      if (init.restartPolicy === "Always") sidecars += value;
      else largestInit = Math.max(largestInit, value + sidecars);
    }
    const running = containers.reduce((sum, c) => sum + amount(c, kind, resource), sidecars);
    return Math.max(running, largestInit);
  };
  return {
    requests: { cpu: total("requests", "cpu"), memory: total("requests", "memory") },
    limits: { cpu: total("limits", "cpu"), memory: total("limits", "memory") },
    set,
    guaranteed,
  };
}

/**
 * The spec ACS creates and bills for a pod:
 * 1. Nothing set on any container → 2 vCPU / 4 GiB.
 * 2. Otherwise per resource the larger of Σrequests and Σlimits ("the maximum cumulative value of
 *    requests or limits across all containers"), normalised up to the grid (normalizeAcsSpec).
 * 3. A pod that is not Guaranteed (some container's limits differ from its requests) may name its spec in
 *    alibabacloud.com/pod-required-spec: malformed or below Σrequests and ACS refuses the pod;
 *    otherwise that spec is created, even above Σlimits.
 * 4. Larger than the class offers: refused (`unsupported`); above 16 vCPU / 128 GiB: `needsQuota`.
 */
export function resolveAcsPodSpec(pod: PodLike, computeClass: AcsComputeClass = "general-purpose"): ResolvedAcsPodSpec {
  const totals = podTotals(pod);
  if (!totals.set) return withLimits({ requested: null, billed: ACS_DEFAULT_SPEC, source: "default" }, computeClass);

  const required = pod.metadata?.annotations?.[ACS_ANNOTATIONS.podRequiredSpec];
  const requestedSum = {
    vcpu: totals.requests.cpu / MILLI,
    memoryGiB: bytesToGiB(totals.requests.memory),
  };
  if (!totals.guaranteed && required !== undefined) {
    const spec = parseAcsSpecNotation(required);
    if (!spec) {
      return refused(
        requestedSum,
        "pod-required-spec",
        `${ACS_ANNOTATIONS.podRequiredSpec} "${required}" is malformed`,
      );
    }
    if (vcpuToMillicores(spec.vcpu) < totals.requests.cpu || gibToBytes(spec.memoryGiB) < totals.requests.memory) {
      return refused(
        spec,
        "pod-required-spec",
        `${ACS_ANNOTATIONS.podRequiredSpec} ${formatSpec(spec)} is below the pod's requests (${formatSpec(requestedSum)})`,
      );
    }
    return normalized(spec, vcpuToMillicores(spec.vcpu), gibToBytes(spec.memoryGiB), "pod-required-spec", computeClass);
  }

  const cpu = Math.max(totals.requests.cpu, totals.limits.cpu);
  const memory = Math.max(totals.requests.memory, totals.limits.memory);
  const limitsWin = totals.limits.cpu > totals.requests.cpu || totals.limits.memory > totals.requests.memory;
  const source: AcsSpecSource = limitsWin ? "limits" : "requests";
  return normalized({ vcpu: cpu / MILLI, memoryGiB: bytesToGiB(memory) }, cpu, memory, source, computeClass);
}

function normalized(
  requested: AcsSpec,
  millicores: number,
  bytes: number,
  source: AcsSpecSource,
  computeClass: AcsComputeClass,
): ResolvedAcsPodSpec {
  try {
    return withLimits({ requested, billed: normalizeExact(millicores, bytes, requested), source }, computeClass);
  } catch (error) {
    if (!(error instanceof AcsSpecOutOfRangeError)) throw error;
    return refused(requested, source, error.message);
  }
}

function refused(requested: AcsSpec, source: AcsSpecSource, message: string): ResolvedAcsPodSpec {
  return { requested, billed: requested, source, unsupported: message };
}

function withLimits(resolved: ResolvedAcsPodSpec, computeClass: AcsComputeClass): ResolvedAcsPodSpec {
  const notice = acsSpecLimitNotice(resolved.billed, computeClass);
  if (!notice) return resolved;
  return notice.level === "refused"
    ? { ...resolved, billed: resolved.requested ?? resolved.billed, unsupported: notice.message }
    : { ...resolved, needsQuota: notice.message };
}
