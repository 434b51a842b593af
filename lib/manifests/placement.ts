import { acsPodLabels } from "@ask-ci/billing/acs/labels";
import type { Placement } from "@ask-ci/billing/placement";
import type { RunnerSettings } from "@/lib/runner-settings/schema";

/** Where the wizard's job pods run: ECI, or ACS with the chosen compute class and QoS. */
export function jobPodPlacement(settings: Pick<RunnerSettings, "jobPods">): Placement {
  const { backend, computeClass, qos } = settings.jobPods;
  return backend === "acs" ? { backend: "acs", computeClass, qos } : { backend: "eci" };
}

/** Where the runner manager pod runs: ECI, or ACS at the default QoS (it must not be evicted). */
export function runnerPodPlacement(settings: Pick<RunnerSettings, "runnerPod">): Placement {
  const { backend, computeClass } = settings.runnerPod;
  return backend === "acs" ? { backend: "acs", computeClass, qos: "default" } : { backend: "eci" };
}

/** The labels that put a pod where `placement` says: ACS's three labels, none for ECI (the default). */
export function placementLabels(placement: Placement): Record<string, string> {
  return placement.backend === "acs" ? acsPodLabels(placement.computeClass, placement.qos) : {};
}
