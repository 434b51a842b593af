import type { EciSpec } from "@ask-ci/billing/eci/specs";

// Enterprise ECS families follow a fixed shape: the letter gives GiB per vCPU (c = 2, g = 4,
// r = 8) and the size gives vCPUs (large = 2, xlarge = 4, Nxlarge = 4N). Only families known to
// follow that rule are listed; anything else (GPU, burstable, local-disk types) is unknown and
// callers skip it rather than guess.
const MEMORY_PER_VCPU: Record<string, number> = { c: 2, g: 4, r: 8 };
const KNOWN_GENERATIONS = new Set(["5", "6", "6e", "7", "7a", "8a", "8i", "8y"]);
const INSTANCE_TYPE_PATTERN = /^ecs\.([cgr])(\d[a-z]?)\.(large|xlarge|(\d+)xlarge)$/;

/** vCPU and memory of an ECS instance type such as "ecs.c6.xlarge", or null when unknown. */
export function ecsInstanceTypeShape(instanceType: string): EciSpec | null {
  const match = INSTANCE_TYPE_PATTERN.exec(instanceType.trim().toLowerCase());
  if (!match) return null;
  const [, family, generation, size, multiplier] = match;
  if (!KNOWN_GENERATIONS.has(generation)) return null;
  const vcpu = size === "large" ? 2 : size === "xlarge" ? 4 : 4 * Number(multiplier);
  if (vcpu <= 0) return null;
  return { vcpu, memoryGiB: vcpu * MEMORY_PER_VCPU[family] };
}
