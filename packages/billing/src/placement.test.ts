import { describe, expect, it } from "vitest";
import { acsPodLabels } from "@ask-ci/billing/acs/labels";
import { isBackend, podPlacement, placementLabel, type Backend } from "@ask-ci/billing/placement";

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
    [
      "an instance-id annotation that is not ACS's (no acs- prefix) is no evidence",
      pod({}, { "alibabacloud.com/instance-id": "i-2ze0abc" }),
      "eci",
      { backend: "eci" },
      "fallback",
    ],
  ])("%s", (_name, input, fallback, placement, evidence) => {
    // strict: a known class carries no `unknownClass` key at all
    expect(podPlacement(input, fallback)).toStrictEqual({ placement, evidence });
  });

  it("falls back to ECI for a pod without metadata or a cluster default", () => {
    expect(podPlacement({})).toEqual({ placement: { backend: "eci" }, evidence: "fallback" });
    expect(podPlacement({ metadata: {} }, "acs").placement.backend).toBe("acs");
  });

  it("reads back the labels the wizard writes for an ACS class and QoS", () => {
    const labels = acsPodLabels("performance", "best-effort");
    expect(labels).toEqual({
      "alibabacloud.com/acs": "true",
      "alibabacloud.com/compute-class": "performance",
      "alibabacloud.com/compute-qos": "best-effort",
    });
    expect(podPlacement({ metadata: { labels } })).toStrictEqual({
      placement: { backend: "acs", computeClass: "performance", qos: "best-effort" },
      evidence: "acs-label",
    });
  });

  it("knows the two backends", () => {
    expect(isBackend("eci")).toBe(true);
    expect(isBackend("acs")).toBe(true);
    expect(isBackend("ecs")).toBe(false);
    expect(isBackend(undefined)).toBe(false);
  });

  it("names placements for the UI", () => {
    expect(placementLabel({ backend: "eci" })).toBe("ECI");
    expect(placementLabel({ backend: "acs", computeClass: "performance", qos: "best-effort" })).toBe(
      "ACS performance / best-effort",
    );
  });
});
