import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  acsPricePerSecond,
  costSoFar,
  finalPodCost,
  placementPricePerSecond,
  PricingError,
  type PodWithStatus,
} from "@/lib/cost/pod-cost";
import { defaultPriceBook, DEFAULT_PRICE_BOOKS, withPrices } from "@/lib/cost/prices";

const cn = DEFAULT_PRICE_BOOKS.cn;
const intlOverseas = defaultPriceBook("intl", "overseas");
const cnOverseas = defaultPriceBook("cn", "overseas");

describe("acsPricePerSecond", () => {
  it.each([
    // vCPU × vCPU price + GiB × GiB price, by hand from the billing page's per-second figures
    ["1/2 mainland general-purpose default", cn, "general-purpose", "default", 1, 2, "0.00003336"],
    ["1/2 mainland general-purpose best-effort", cn, "general-purpose", "best-effort", 1, 2, "0.00000664"],
    ["1/2 mainland performance default", cn, "performance", "default", 1, 2, "0.00004336"],
    ["2/4 mainland performance best-effort", cn, "performance", "best-effort", 2, 4, "0.00001724"],
    ["0.25/0.5 mainland general-purpose default", cn, "general-purpose", "default", 0.25, 0.5, "0.000008340"],
    ["1/2 China site overseas default", cnOverseas, "general-purpose", "default", 1, 2, "0.00004922"],
    ["1/2 Singapore (international) default", intlOverseas, "general-purpose", "default", 1, 2, "0.00000765"],
    ["1/2 Singapore (international) best-effort", intlOverseas, "general-purpose", "best-effort", 1, 2, "0.00000152"],
  ] as const)("%s", (_name, book, computeClass, qos, vcpu, memoryGiB, expected) => {
    expect(acsPricePerSecond({ vcpu, memoryGiB }, book, computeClass, qos).toFixed()).toBe(
      new Decimal(expected).toFixed(),
    );
  });

  it("matches the issue's hourly figures: 0.06 CNY per vCPU-hour and 0.03 per GiB-hour (to the page's rounding)", () => {
    const hourly = (vcpu: number, memoryGiB: number) =>
      acsPricePerSecond({ vcpu, memoryGiB }, cn, "general-purpose", "default").times(3600).toNumber();
    expect(hourly(1, 0)).toBeCloseTo(0.06, 3);
    expect(hourly(0, 1)).toBeCloseTo(0.03, 3);
  });

  it("refuses to price with a price the book does not have (unpublished), naming it", () => {
    expect(() => acsPricePerSecond({ vcpu: 1, memoryGiB: 2 }, cnOverseas, "performance", "default")).toThrow(
      PricingError,
    );
    expect(() => acsPricePerSecond({ vcpu: 1, memoryGiB: 2 }, cnOverseas, "performance", "best-effort")).toThrow(
      /ACS performance best-effort vCPU/,
    );
    const entered = withPrices(cnOverseas, {
      "acs.performance.default.memory": { perSecond: "0.0000171", source: "my bill", readOn: "2026-12-01" },
    });
    expect(acsPricePerSecond({ vcpu: 1, memoryGiB: 2 }, entered, "performance", "default").toFixed()).toBe("0.0000684");
  });

  it("is ECI's price for an ECI placement and ignores economy/spot for ACS", () => {
    const spec = { vcpu: 1, memoryGiB: 2 };
    expect(placementPricePerSecond({ backend: "eci" }, spec, cn).toFixed()).toBe("0.00006126");
    expect(
      placementPricePerSecond({ backend: "acs", computeClass: "general-purpose", qos: "default" }, spec, cn, {
        economy: true,
      }).toFixed(),
    ).toBe("0.00003336");
  });
});

function acsPod(
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
  status: PodWithStatus["status"] = { phase: "Running", startTime: "2026-11-25T10:00:00Z" },
): PodWithStatus {
  return {
    metadata: { creationTimestamp: "2026-11-25T10:00:00Z", labels, annotations } as PodWithStatus["metadata"],
    spec: {
      containers: [
        {
          name: "build",
          resources: { requests: { cpu: "750m", memory: "1536Mi" }, limits: { cpu: "1", memory: "2Gi" } },
        },
        { name: "helper", resources: { requests: { cpu: "250m", memory: "512Mi" } } },
      ],
    },
    status,
  };
}

const now = new Date("2026-11-25T10:10:00Z");

describe("pricing a pod where it ran", () => {
  it("prices an ACS pod at the spec ACS wrote into pod-use-spec, with its class and QoS from the labels", () => {
    const pod = acsPod(
      { "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" },
      { "alibabacloud.com/pod-use-spec": "2-4Gi" },
    );
    const cost = costSoFar(pod, now, cn);
    expect(cost.placement).toEqual({ backend: "acs", computeClass: "general-purpose", qos: "best-effort" });
    expect(cost.spec).toEqual({ vcpu: 2, memoryGiB: 4 });
    expect(cost.specSource).toBe("pod-use-spec");
    expect(cost.seconds).toBe(600);
    // (2 × 0.0000033 + 4 × 0.00000167) × 600
    expect(cost.cost.toFixed()).toBe("0.007968");
  });

  it("predicts ACS's normalisation before ACS has written pod-use-spec (max of Σrequests and Σlimits)", () => {
    const pod = acsPod({ "alibabacloud.com/acs": "true" });
    const cost = costSoFar(pod, now, cn);
    // Σrequests 1 vCPU / 2 GiB, Σlimits 1 vCPU / 2 GiB (helper has none) -> 1-2Gi
    expect(cost.spec).toEqual({ vcpu: 1, memoryGiB: 2 });
    expect(cost.perSecond.toFixed()).toBe("0.00003336");
  });

  it("prices the same unlabelled pod on ECI or ACS by the connection's default backend", () => {
    const pod = acsPod({});
    expect(costSoFar(pod, now, cn).placement.backend).toBe("eci");
    expect(costSoFar(pod, now, cn, { defaultBackend: "acs" }).placement.backend).toBe("acs");
    // ECI bills limits-else-requests: build 1/2Gi + helper 0.25/0.5Gi -> 1.25/2.5 -> 2-4Gi
    expect(costSoFar(pod, now, cn).spec).toEqual({ vcpu: 2, memoryGiB: 4 });
  });

  it("says so when a pod asks for more than the backend can create", () => {
    const pod: PodWithStatus = {
      metadata: { labels: { "alibabacloud.com/acs": "true" } } as PodWithStatus["metadata"],
      spec: { containers: [{ name: "build", resources: { requests: { cpu: "1000", memory: "2000Gi" } } }] },
      status: { phase: "Pending" },
    };
    expect(costSoFar(pod, now, cn).notes.join()).toMatch(/No ACS spec fits 1000 vCPU/);
  });

  it("leaves an ACS fee exact (no documented minimum charge) where ECI rounds to 0.01 CNY", () => {
    const finished = { phase: "Succeeded", startTime: "2026-11-25T10:00:00Z", conditions: [] };
    const end = { kind: "finished" } as const;
    const tiny = (labels: Record<string, string>) =>
      finalPodCost(
        {
          ...acsPod(labels, {}, finished),
          status: {
            ...finished,
            containerStatuses: [{ state: { terminated: { finishedAt: "2026-11-25T10:01:00Z" } } }],
          },
        },
        end,
        cn,
      ).cost.toFixed();
    expect(tiny({ "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" })).toBe("0.0003984");
    expect(tiny({ "alibabacloud.com/eci": "true" })).toBe("0.01"); // 0.0073512 rounded half-up to the minimum
  });
});
