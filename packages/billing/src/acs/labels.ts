// Labels a pod carries to run on ACS, and the annotations ACS writes onto it.
// Sources: help.aliyun.com/en/cs/user-guide/acs-pod-instance-overview (labels, pod-use-spec),
// help.aliyun.com/zh/ack/distributed-cloud-container-platform-for-kubernetes/user-guide/acs-pod-annotation-guide
// (the annotations ACS adds); see docs/cost-model.md.

export const ACS_LABELS = {
  /** "true" sends a pod of an ACK cluster to ACS through the virtual node. */
  acs: "alibabacloud.com/acs",
  computeClass: "alibabacloud.com/compute-class",
  computeQos: "alibabacloud.com/compute-qos",
} as const;

export const ACS_ANNOTATIONS = {
  /** Written by ACS: the normalised spec it created and bills, "<vCPU>-<GiB>Gi" (e.g. "2.5-5Gi"). */
  podUseSpec: "alibabacloud.com/pod-use-spec",
  /** Written by ACS: the pod instance id ("acs-…"). */
  instanceId: "alibabacloud.com/instance-id",
  /** Written by ACS: the normalised ephemeral storage ("30Gi"). */
  ephemeralStorage: "alibabacloud.com/pod-ephemeral-storage",
  /** Set by the user on a Burstable pod: the spec to create, "<vCPU>-<GiB>Gi". */
  podRequiredSpec: "alibabacloud.com/pod-required-spec",
} as const;

/** The CPU compute classes (gpu and gpu-hpn are out of scope: CI job pods run on CPU). */
export const ACS_COMPUTE_CLASSES = ["general-purpose", "performance"] as const;
export type AcsComputeClass = (typeof ACS_COMPUTE_CLASSES)[number];

export const ACS_QOS_CLASSES = ["default", "best-effort"] as const;
export type AcsQos = (typeof ACS_QOS_CLASSES)[number];

export const DEFAULT_COMPUTE_CLASS: AcsComputeClass = "general-purpose";
export const DEFAULT_QOS: AcsQos = "default";

export function isAcsComputeClass(value: unknown): value is AcsComputeClass {
  return (ACS_COMPUTE_CLASSES as readonly unknown[]).includes(value);
}

export function isAcsQos(value: unknown): value is AcsQos {
  return (ACS_QOS_CLASSES as readonly unknown[]).includes(value);
}

/**
 * The labels that put a job pod on ACS with a class and QoS: what the wizard writes through the
 * runner's pod_labels.
 */
export function acsPodLabels(computeClass: AcsComputeClass, qos: AcsQos): Record<string, string> {
  return {
    [ACS_LABELS.acs]: "true",
    [ACS_LABELS.computeClass]: computeClass,
    [ACS_LABELS.computeQos]: qos,
  };
}
