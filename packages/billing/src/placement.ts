import {
  ACS_ANNOTATIONS,
  ACS_LABELS,
  DEFAULT_COMPUTE_CLASS,
  DEFAULT_QOS,
  isAcsComputeClass,
  isAcsQos,
  type AcsComputeClass,
  type AcsQos,
} from "@ask-ci/billing/acs/labels";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";

/** Where a serverless pod runs, and so which product bills it. */
export const BACKENDS = ["eci", "acs"] as const;
export type Backend = (typeof BACKENDS)[number];

export function isBackend(value: unknown): value is Backend {
  return (BACKENDS as readonly unknown[]).includes(value);
}

export type Placement =
  | { backend: "eci" }
  | {
      backend: "acs";
      computeClass: AcsComputeClass;
      qos: AcsQos;
      /** A compute-class label we do not price (gpu, gpu-hpn): priced as general-purpose, flagged. */
      unknownClass?: string;
    };

/** Why a pod was placed where it was: facts written by the platform first, then what the pod asked for. */
export type PlacementEvidence = "acs-annotation" | "eci-annotation" | "acs-label" | "eci-label" | "fallback";

interface PodMeta {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** The label an ACK pod carries to go to ECI through the virtual node (the ECI counterpart of alibabacloud.com/acs). */
const ECI_LABEL = "alibabacloud.com/eci";

/**
 * Which backend a pod ran on:
 * 1. What the platform wrote: ACS's pod-use-spec / instance-id, or ECI's eci-instance-spec / -id.
 * 2. What the pod asked for: alibabacloud.com/acs: "true" or a compute-class label → ACS;
 *    alibabacloud.com/eci: "true" → ECI.
 * 3. Otherwise `fallback`: what unlabelled pods run on in that cluster (ECI on ACK Serverless,
 *    ACS in an ACS cluster) — a property of the connection, not of the pod.
 * ACS class and QoS come from the running pod's labels (ACS may rewrite them when it falls back
 * between classes), defaulting to general-purpose / default.
 */
export function podPlacement(
  pod: PodMeta,
  fallback: Backend = "eci",
): { placement: Placement; evidence: PlacementEvidence } {
  const labels = pod.metadata?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  const acs = () => ({ backend: "acs" as const, ...acsClassOf(labels) });
  if (annotations[ACS_ANNOTATIONS.podUseSpec] || annotations[ACS_ANNOTATIONS.instanceId]?.startsWith("acs-")) {
    return { placement: acs(), evidence: "acs-annotation" };
  }
  if (annotations[ECI_ANNOTATIONS.instanceSpec] || annotations[ECI_ANNOTATIONS.instanceId]) {
    return { placement: { backend: "eci" }, evidence: "eci-annotation" };
  }
  if (labels[ACS_LABELS.acs] === "true" || labels[ACS_LABELS.computeClass] !== undefined) {
    return { placement: acs(), evidence: "acs-label" };
  }
  if (labels[ECI_LABEL] === "true") return { placement: { backend: "eci" }, evidence: "eci-label" };
  return { placement: fallback === "acs" ? acs() : { backend: "eci" }, evidence: "fallback" };
}

function acsClassOf(labels: Record<string, string>): {
  computeClass: AcsComputeClass;
  qos: AcsQos;
  unknownClass?: string;
} {
  const rawClass = labels[ACS_LABELS.computeClass];
  const rawQos = labels[ACS_LABELS.computeQos];
  const qos = isAcsQos(rawQos) ? rawQos : DEFAULT_QOS;
  if (rawClass === undefined || isAcsComputeClass(rawClass)) {
    return { computeClass: rawClass ?? DEFAULT_COMPUTE_CLASS, qos };
  }
  return { computeClass: DEFAULT_COMPUTE_CLASS, qos, unknownClass: rawClass };
}

/** "ECI", "ACS general-purpose / best-effort": how the UI names a placement. */
export function placementLabel(placement: Placement): string {
  return placement.backend === "eci" ? "ECI" : `ACS ${placement.computeClass} / ${placement.qos}`;
}
