// Pod annotations ECI reads at create time (source: help.aliyun.com/zh/eci/user-guide/pod-annotations).
export const ECI_ANNOTATIONS = {
  useSpecs: "k8s.aliyun.com/eci-use-specs",
  /** Set by ECI on the running pod: the spec it actually created, e.g. "2.0-4.0Gi". */
  instanceSpec: "k8s.aliyun.com/eci-instance-spec",
  /** Set by ECI after creation: the instance id ("eci-…"). */
  instanceId: "k8s.aliyun.com/eci-instance-id",
  /** Also set by ECI after creation: vCPU ("2.000") and GiB ("4.00") of the instance. */
  instanceCpu: "k8s.aliyun.com/eci-instance-cpu",
  instanceMemory: "k8s.aliyun.com/eci-instance-mem",
  computeCategory: "k8s.aliyun.com/eci-compute-category",
  spotStrategy: "k8s.aliyun.com/eci-spot-strategy",
  spotPriceLimit: "k8s.aliyun.com/eci-spot-price-limit",
  spotDuration: "k8s.aliyun.com/eci-spot-duration",
  spotFallback: "k8s.aliyun.com/eci-spot-fallback",
  imageCache: "k8s.aliyun.com/eci-image-cache",
} as const;
