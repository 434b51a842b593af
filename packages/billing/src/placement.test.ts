import { describe, expect, it } from "vitest";
import { podPlacement, placementLabel, type Backend } from "@ask-ci/billing/placement";

const pod = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({
  metadata: { labels, annotations },
});

describe("podPlacement", () => {
  it.each<[string, ReturnType<typeof pod>, Backend, unknown, string]>([
    [
      "ACS wrote pod-use-spec",
      pod({}, { "alibabacloud.com/pod-use-spec": "1-2Gi" }),
      "eci",
      { backend: "acs", computeClass: "general-purpose", qos: "default" },
      "acs-annotation",
    ],
    [
      "ACS instance id, best-effort performance labels",
      pod(
        { "alibabacloud.com/compute-class": "performance", "alibabacloud.com/compute-qos": "best-effort" },
        { "alibabacloud.com/instance-id": "acs-2ze0abc" },
      ),
      "eci",
      { backend: "acs", computeClass: "performance", qos: "best-effort" },
      "acs-annotation",
    ],
    [
      "ECI wrote its instance spec, even in an ACS-default cluster",
      pod({}, { "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi" }),
      "acs",
      { backend: "eci" },
      "eci-annotation",
    ],
    [
      "asked for ACS by label, not created yet",
      pod({ "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" }),
      "eci",
      { backend: "acs", computeClass: "general-purpose", qos: "best-effort" },
      "acs-label",
    ],
    [
      "a compute-class label alone means ACS",
      pod({ "alibabacloud.com/compute-class": "general-purpose" }),
      "eci",
      { backend: "acs", computeClass: "general-purpose", qos: "default" },
      "acs-label",
    ],
    [
      "asked for ECI by label in an ACS cluster",
      pod({ "alibabacloud.com/eci": "true" }),
      "acs",
      { backend: "eci" },
      "eci-label",
    ],
    ["nothing: the cluster's default, ECI", pod(), "eci", { backend: "eci" }, "fallback"],
    [
      "nothing: the cluster's default, ACS",
      pod(),
      "acs",
      { backend: "acs", computeClass: "general-purpose", qos: "default" },
      "fallback",
    ],
    [
      "a GPU class is flagged and priced as general-purpose",
      pod({ "alibabacloud.com/compute-class": "gpu" }),
      "eci",
      { backend: "acs", computeClass: "general-purpose", qos: "default", unknownClass: "gpu" },
      "acs-label",
    ],
    [
      "an unknown QoS falls back to default",
      pod({ "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "cheap" }),
      "eci",
      { backend: "acs", computeClass: "general-purpose", qos: "default" },
      "acs-label",
    ],
  ])("%s", (_name, input, fallback, placement, evidence) => {
    expect(podPlacement(input, fallback)).toEqual({ placement, evidence });
  });

  it("names placements for the UI", () => {
    expect(placementLabel({ backend: "eci" })).toBe("ECI");
    expect(placementLabel({ backend: "acs", computeClass: "performance", qos: "best-effort" })).toBe(
      "ACS performance / best-effort",
    );
  });
});
