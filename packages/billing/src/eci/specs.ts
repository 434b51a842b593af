import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { ecsInstanceTypeShape } from "@ask-ci/billing/eci/ecs-instance-types";
import {
  BYTES_PER_GIB,
  bytesToGiB,
  gibToBytes,
  parseCpuMillicores,
  parseMemoryBytes,
  vcpuToMillicores,
} from "@ask-ci/billing/eci/quantity";

/** A pod's compute shape. memoryGiB is binary GiB (2^30 bytes), as ECI prices it. */
export interface EciSpec {
  vcpu: number;
  memoryGiB: number;
}

// Specs offered in ALL regions (ECI "specify vCPU and memory" docs, 2026); 32, 52 and 64 vCPU
// exist only in some regions and are left out so a billed spec is never region-dependent.
const MEMORY_OPTIONS_BY_VCPU: ReadonlyArray<readonly [number, readonly number[]]> = [
  [0.25, [0.5, 1]],
  [0.5, [1, 2]],
  [1, [2, 4, 8]],
  [2, [1, 2, 4, 8, 16]],
  [4, [2, 4, 8, 16, 32]],
  [8, [4, 8, 16, 32, 64]],
  [12, [12, 24, 48, 96]],
  [16, [16, 32, 64, 128]],
  [24, [24, 48, 96, 192]],
];

/** Supported specs, ordered by vCPU then memory: the order roundUpToSupportedSpec searches. */
export const SUPPORTED_SPECS: readonly EciSpec[] = Object.freeze(
  MEMORY_OPTIONS_BY_VCPU.flatMap(([vcpu, memories]) => memories.map((memoryGiB) => Object.freeze({ vcpu, memoryGiB }))),
);

export const DEFAULT_SPEC: EciSpec = Object.freeze({ vcpu: 2, memoryGiB: 4 });

export class SpecOutOfRangeError extends Error {
  constructor(readonly requested: EciSpec) {
    const largest = SUPPORTED_SPECS[SUPPORTED_SPECS.length - 1];
    super(
      `No ECI spec offered in all regions fits ${formatSpec(requested)} ` + `(the largest is ${formatSpec(largest)})`,
    );
    this.name = "SpecOutOfRangeError";
  }
}

/**
 * The spec ECI bills for a request: the first supported spec, in (fewest vCPU, then least
 * memory) order, with at least the requested vCPU and memory.
 *
 * Why that order: ECI documents "rounded up to the nearest spec" without a tie rule. vCPU is the
 * dominant price (one vCPU costs as much as ~8 GiB on both price books), so staying at the
 * smallest vCPU count keeps the bill closest to the request; for this table it is also the
 * cheapest fitting spec (checked exhaustively in the tests). Comparisons are done on integer
 * millicores and bytes so 0.1 + 0.2 style drift cannot push a request over a boundary.
 */
export function roundUpToSupportedSpec(requested: EciSpec): EciSpec {
  if (!(requested.vcpu >= 0 && requested.memoryGiB >= 0)) {
    throw new RangeError(
      `A spec needs non-negative vCPU and memory, got ${requested.vcpu} vCPU / ${requested.memoryGiB} GiB`,
    );
  }
  const millicores = vcpuToMillicores(requested.vcpu);
  const bytes = gibToBytes(requested.memoryGiB);
  return roundUpExact(millicores, bytes, requested);
}

function roundUpExact(millicores: number, bytes: number, requested: EciSpec): EciSpec {
  const fit = SUPPORTED_SPECS.find((spec) => spec.vcpu * 1000 >= millicores && spec.memoryGiB * BYTES_PER_GIB >= bytes);
  if (!fit) throw new SpecOutOfRangeError(requested);
  return fit;
}

// Spot instances by vCPU/memory come in these specs only, 2 vCPU and up; smaller requests are rounded up
// (help.aliyun.com/zh/eci/user-guide/create-a-preemptible-elastic-container-instance, 2024-11-19). Capped, like
// SUPPORTED_SPECS, at what every region offers.
const SPOT_MEMORY_OPTIONS_BY_VCPU: ReadonlyArray<readonly [number, readonly number[]]> = [
  [2, [2, 4, 8, 16]],
  [4, [4, 8, 16, 32]],
  [8, [8, 16, 32, 64]],
  [12, [12, 24, 48, 96]],
  [16, [16, 32, 64, 128]],
  [24, [24, 48, 96, 192]],
];

export const SPOT_SPECS: readonly EciSpec[] = Object.freeze(
  SPOT_MEMORY_OPTIONS_BY_VCPU.flatMap(([vcpu, memories]) =>
    memories.map((memoryGiB) => Object.freeze({ vcpu, memoryGiB })),
  ),
);

/** The spec a spot ECI instance is created at for a request: the first spot spec that holds it. */
export function roundUpToSpotSpec(requested: EciSpec): EciSpec {
  const millicores = vcpuToMillicores(requested.vcpu);
  const bytes = gibToBytes(requested.memoryGiB);
  const fit = SPOT_SPECS.find((spec) => spec.vcpu * 1000 >= millicores && spec.memoryGiB * BYTES_PER_GIB >= bytes);
  if (!fit) throw new SpecOutOfRangeError(requested);
  return fit;
}

export function isSupportedSpec(spec: EciSpec): boolean {
  return SUPPORTED_SPECS.some((s) => s.vcpu === spec.vcpu && s.memoryGiB === spec.memoryGiB);
}

export type UseSpecEntry =
  | { kind: "vcpu-memory"; raw: string; spec: EciSpec }
  | { kind: "ecs-instance-type"; raw: string; spec: EciSpec }
  | { kind: "unknown"; raw: string };

type KnownUseSpecEntry = Exclude<UseSpecEntry, { kind: "unknown" }>;

// "2-4Gi", "0.5-1Gi", and the "2.0-4.0Gi" form ECI writes into eci-instance-spec.
const VCPU_MEMORY_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)-(\d+(?:\.\d+)?|\.\d+)Gi$/i;

/** One entry of eci-use-specs / eci-instance-spec, classified. */
export function parseUseSpecEntry(raw: string): UseSpecEntry {
  const entry = raw.trim();
  const match = VCPU_MEMORY_PATTERN.exec(entry);
  if (match) {
    const vcpu = Number(match[1]);
    const memoryGiB = Number(match[2]);
    if (vcpu > 0 && memoryGiB > 0) return { kind: "vcpu-memory", raw: entry, spec: { vcpu, memoryGiB } };
    return { kind: "unknown", raw: entry };
  }
  const shape = ecsInstanceTypeShape(entry);
  if (shape) return { kind: "ecs-instance-type", raw: entry, spec: shape };
  return { kind: "unknown", raw: entry };
}

/**
 * The specs listed in a k8s.aliyun.com/eci-use-specs annotation, in the order ECI tries them:
 * "2-4Gi,4-8Gi,ecs.c6.xlarge" -> [2/4, 4/8, 4/8]. ECS instance types of the enterprise c/g/r
 * families are translated to their vCPU/memory shape; other types (GPU, burstable...) are
 * skipped because their shape cannot be known without the ECS API.
 */
export function parseEciUseSpecs(annotation: string): EciSpec[] {
  return annotation
    .split(",")
    .filter((part) => part.trim() !== "")
    .map(parseUseSpecEntry)
    .flatMap((entry) => (entry.kind === "unknown" ? [] : [entry.spec]));
}

export type SpecSource = "eci-use-specs" | "limits" | "requests" | "default";

type Quantities = Record<string, string | number>;

export interface ContainerLike {
  name?: string;
  /** "Always" on an init container makes it a sidecar that runs alongside the app containers. */
  restartPolicy?: string;
  resources?: { requests?: Quantities; limits?: Quantities };
  env?: Array<{ name: string; value?: string }>;
}

// ECI leaves a container with this variable set to TRUE out of the spec sum (sidecars that can
// share the others' resources): help.aliyun.com/document_detail/446853.
const RESOURCE_IGNORE_ENV = "__ECI_RESOURCE_IGNORE__";

function ignoredByEci(container: ContainerLike): boolean {
  return container.env?.some((e) => e.name === RESOURCE_IGNORE_ENV && e.value?.toUpperCase() === "TRUE") ?? false;
}

export interface PodLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] };
}

export interface ResolvedPodSpec {
  /** What the pod asks for (annotation or summed resources); null when nothing is set. */
  requested: EciSpec | null;
  /** The supported spec ECI bills. */
  billed: EciSpec;
  source: SpecSource;
  /**
   * Set when the request is larger than every spec offered in all regions: billed is then the
   * request itself, unrounded, so a cost can still be shown (flag it in the UI).
   */
  unsupported?: string;
}

/**
 * The spec ECI creates and bills for a pod (ECI docs, help.aliyun.com/document_detail/451261):
 * 1. `k8s.aliyun.com/eci-use-specs` wins: its first entry we can read (vCPU-GiB pairs are
 *    rounded up like requests; ECS instance types are taken as they are).
 * 2. Otherwise per resource (cpu and memory separately), per container: its limit when it has
 *    one, else its request. With only limits this is the sum of limits, with only requests the
 *    sum of requests, with both on every container the limits win, as documented; a container
 *    with only a request still counts (Kubernetes treats a missing limit as unbounded, so the
 *    request is the only size it states).
 *    Containers with the env var __ECI_RESOURCE_IGNORE__=TRUE are left out, as ECI does.
 * 3. Init containers follow the Kubernetes effective-request rule: the pod needs
 *    max(sum of app and sidecar containers, largest init container + sidecars started before it).
 * 4. Nothing set on any container -> 2 vCPU / 4 GiB. When only one resource is set, the other
 *    counts as 0 and rounding picks the smallest spec for the set one (UNCONFIRMED by docs).
 * 5. Round up to a supported spec (roundUpToSupportedSpec); for a spot pod
 *    (k8s.aliyun.com/eci-spot-strategy) to a spot spec, 2 vCPU and up (roundUpToSpotSpec).
 */
export function resolvePodSpec(pod: PodLike): ResolvedPodSpec {
  const spot = isSpotPod(pod);
  const annotation = pod.metadata?.annotations?.[ECI_ANNOTATIONS.useSpecs];
  if (annotation) {
    const entry = annotation
      .split(",")
      .map(parseUseSpecEntry)
      .find((e): e is KnownUseSpecEntry => e.kind !== "unknown");
    if (entry) {
      if (entry.kind === "ecs-instance-type") {
        return { requested: entry.spec, billed: entry.spec, source: "eci-use-specs" };
      }
      return withRounding(
        entry.spec,
        vcpuToMillicores(entry.spec.vcpu),
        gibToBytes(entry.spec.memoryGiB),
        "eci-use-specs",
        spot,
      );
    }
  }

  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];
  const cpu = podTotal(containers, initContainers, "cpu", parseCpuMillicores, "limit-else-request");
  const memory = podTotal(containers, initContainers, "memory", parseMemoryBytes, "limit-else-request");
  if (!cpu.set && !memory.set) {
    return { requested: null, billed: DEFAULT_SPEC, source: "default" };
  }
  const source: SpecSource = cpu.usedLimit || memory.usedLimit ? "limits" : "requests";
  const requested = { vcpu: cpu.total / 1000, memoryGiB: bytesToGiB(memory.total) };
  return withRounding(requested, cpu.total, memory.total, source, spot);
}

function isSpotPod(pod: PodLike): boolean {
  const strategy = pod.metadata?.annotations?.[ECI_ANNOTATIONS.spotStrategy];
  return strategy === "SpotAsPriceGo" || strategy === "SpotWithPriceLimit";
}

function withRounding(
  requested: EciSpec,
  millicores: number,
  bytes: number,
  source: SpecSource,
  spot = false,
): ResolvedPodSpec {
  try {
    const billed = spot
      ? roundUpToSpotSpec({ vcpu: millicores / 1000, memoryGiB: bytes / BYTES_PER_GIB })
      : roundUpExact(millicores, bytes, requested);
    return { requested, billed, source };
  } catch (error) {
    if (!(error instanceof SpecOutOfRangeError)) throw error;
    return { requested, billed: requested, source, unsupported: error.message };
  }
}

interface ResourceTotal {
  /** Integer base units: millicores or bytes. */
  total: number;
  set: boolean;
  usedLimit: boolean;
}

/**
 * What the pod's containers request, ignoring limits: the size the scheduler reserves and the
 * natural right-size. A pod whose limits round up to a larger spec than its requests pays for
 * the difference (see lib/job-history/aggregates rightSizing). null when no container requests anything.
 */
export function podRequests(pod: PodLike): EciSpec | null {
  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];
  const cpu = podTotal(containers, initContainers, "cpu", parseCpuMillicores, "request");
  const memory = podTotal(containers, initContainers, "memory", parseMemoryBytes, "request");
  if (!cpu.set && !memory.set) return null;
  return { vcpu: cpu.total / 1000, memoryGiB: bytesToGiB(memory.total) };
}

function podTotal(
  containers: ContainerLike[],
  initContainers: ContainerLike[],
  resource: "cpu" | "memory",
  parse: (q: string | number) => number,
  mode: "limit-else-request" | "request",
): ResourceTotal {
  let set = false;
  let usedLimit = false;
  const effective = (c: ContainerLike): number => {
    if (ignoredByEci(c)) return 0;
    const limit = mode === "request" ? undefined : c.resources?.limits?.[resource];
    const request = c.resources?.requests?.[resource];
    if (limit !== undefined) {
      set = usedLimit = true;
      return parse(limit);
    }
    if (request !== undefined) {
      set = true;
      return parse(request);
    }
    return 0;
  };

  let sidecars = 0;
  let largestInit = 0;
  for (const init of initContainers) {
    const amount = effective(init);
    if (init.restartPolicy === "Always") sidecars += amount;
    else largestInit = Math.max(largestInit, amount + sidecars);
  }
  const running = containers.reduce((sum, c) => sum + effective(c), sidecars);
  return { total: Math.max(running, largestInit), set, usedLimit };
}

function formatAmount(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** "1 vCPU / 2 GiB", "0.25 vCPU / 0.5 GiB". */
export function formatSpec(spec: EciSpec): string {
  return `${formatAmount(spec.vcpu)} vCPU / ${formatAmount(spec.memoryGiB)} GiB`;
}

/** "1-2Gi": the eci-use-specs notation, also handy in narrow table columns. */
export function formatSpecCompact(spec: EciSpec): string {
  return `${formatAmount(spec.vcpu)}-${formatAmount(spec.memoryGiB)}Gi`;
}

// At least one decimal, as ECI writes it ("2.0"), without losing quarter vCPUs ("0.25").
function formatInstanceAmount(value: number): string {
  const plain = formatAmount(value);
  return plain.includes(".") ? plain : `${plain}.0`;
}

/** The value ECI writes into k8s.aliyun.com/eci-instance-spec: "2.0-4.0Gi", "0.25-0.5Gi". */
export function formatEciInstanceSpec(spec: EciSpec): string {
  return `${formatInstanceAmount(spec.vcpu)}-${formatInstanceAmount(spec.memoryGiB)}Gi`;
}
