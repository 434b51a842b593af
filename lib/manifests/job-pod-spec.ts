import { formatSpec, resolvePodSpec, type PodLike, type ResolvedPodSpec } from "@ask-ci/billing/eci/specs";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import type { AcsComputeClass } from "@ask-ci/billing/acs/labels";
import { acsSpecLimitNotice, resolveAcsPodSpec, type ResolvedAcsPodSpec } from "@ask-ci/billing/acs/specs";
import { jobPodAnnotations } from "./config-toml";

/**
 * The pod the runner will create for a job with `services` service containers, in the shape
 * packages/billing/src/eci/specs reads, so the wizard can show the billed ECI spec as the user types.
 */
export function jobPodShape(settings: RunnerSettings, services = 0): PodLike {
  const { build, helper, services: svc } = settings.jobPods;
  const container = (name: string, r: typeof build) => ({
    name,
    resources: {
      requests: { cpu: r.cpuRequest, memory: r.memoryRequest },
      limits: { cpu: r.cpuLimit, memory: r.memoryLimit },
    },
  });
  return {
    metadata: { annotations: jobPodAnnotations(settings) },
    spec: {
      containers: [
        container("build", build),
        container("helper", helper),
        ...Array.from({ length: services }, (_, i) => container(`svc-${i}`, svc)),
      ],
    },
  };
}

export function jobPodSpec(settings: RunnerSettings, services = 0): ResolvedPodSpec {
  return resolvePodSpec(jobPodShape(settings, services));
}

/** A sentence when ECI rounds the job pod up (paying for unused capacity), else undefined. */
export function roundUpNotice(resolved: ResolvedPodSpec): string | undefined {
  if (resolved.unsupported) return resolved.unsupported;
  const { requested, billed } = resolved;
  if (!requested || (requested.vcpu === billed.vcpu && requested.memoryGiB === billed.memoryGiB)) return undefined;
  return `Job pods ask for ${formatSpec(requested)} (${resolved.source}) but ECI bills the next supported spec, ${formatSpec(billed)}: raise the limits to use it at no extra cost, or lower them to fit a smaller one.`;
}

/** The ACS counterpart of roundUpNotice: ACS's normalisation, its limits, and a quota ticket above 16 vCPU / 128 GiB. */
export function acsNormalisationNotice(
  resolved: ResolvedAcsPodSpec,
  computeClass: AcsComputeClass,
): string | undefined {
  if (resolved.unsupported) return resolved.unsupported;
  const limit = acsSpecLimitNotice(resolved.billed, computeClass);
  if (limit) return limit.message;
  const { requested, billed } = resolved;
  if (!requested || (requested.vcpu === billed.vcpu && requested.memoryGiB === billed.memoryGiB)) return undefined;
  return `Job pods ask for ${formatSpec(requested)} (the larger of requests and limits) but ACS creates and bills ${formatSpec(billed)} (0.25, then 0.5-vCPU steps, whole GiB, memory 1 to 8 × vCPU): raise the limits to use it at no extra cost, or lower them to fit a smaller one.`;
}

/** The ACS spec a job pod of these settings is billed at (normalisation of max(Σrequests, Σlimits)). */
export function acsJobPodSpec(settings: RunnerSettings, services = 0): ResolvedAcsPodSpec {
  return resolveAcsPodSpec(jobPodShape(settings, services), settings.jobPods.computeClass);
}
