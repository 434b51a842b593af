import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Decimal from "decimal.js";
import type { V1Pod } from "@kubernetes/client-node";
import {
  applyMinimumCharge,
  billedPodSpec,
  billedSeconds,
  costAt,
  costBetween,
  costSoFar,
  podCostRate,
  podBillingTimes,
  podPricingOptions,
  pricePerSecond,
  PricingError,
  type PodWithStatus,
} from "@/lib/cost/pod-cost";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { roundUpToSupportedSpec, SUPPORTED_SPECS } from "@ask-ci/billing/eci/specs";

const cn = DEFAULT_PRICE_BOOKS.cn;
const intl = DEFAULT_PRICE_BOOKS.intl;
const d = (value: Decimal.Value) => new Decimal(value);

describe("pricePerSecond", () => {
  it.each([
    // vCPU × vCPU price + GiB × GiB price, computed by hand from the documented unit prices
    ["2/4 CN matches the DescribeContainerGroupPrice example", { vcpu: 2, memoryGiB: 4 }, cn, {}, "0.00012252"],
    ["1/2 CN", { vcpu: 1, memoryGiB: 2 }, cn, {}, "0.00006126"],
    ["0.25/0.5 CN", { vcpu: 0.25, memoryGiB: 0.5 }, cn, {}, "0.000015315"],
    ["4/8 CN", { vcpu: 4, memoryGiB: 8 }, cn, {}, "0.00024504"],
    ["1/2 international", { vcpu: 1, memoryGiB: 2 }, intl, {}, "0.00000962"],
    ["1/2 CN economy", { vcpu: 1, memoryGiB: 2 }, cn, { economy: true }, "0.00003926"],
    ["2/4 CN spot 30% off", { vcpu: 2, memoryGiB: 4 }, cn, { spot: { discount: 0.3 } }, "0.000085764"],
    ["2/4 CN spot 90% off", { vcpu: 2, memoryGiB: 4 }, cn, { spot: { discount: 0.9 } }, "0.000012252"],
    ["2/4 CN spot default discount (30%)", { vcpu: 2, memoryGiB: 4 }, cn, { spot: {} }, "0.000085764"],
    [
      "2/4 CN spot price limit 0.36/h caps the price",
      { vcpu: 2, memoryGiB: 4 },
      cn,
      { spot: { priceLimitPerHour: 0.36 } },
      "0.0001",
    ],
    [
      "2/4 CN spot price limit above on-demand changes nothing",
      { vcpu: 2, memoryGiB: 4 },
      cn,
      { spot: { priceLimitPerHour: "1" } },
      "0.00012252",
    ],
    [
      "2/4 CN spot discount and limit: the lower wins",
      { vcpu: 2, memoryGiB: 4 },
      cn,
      { spot: { discount: 0.5, priceLimitPerHour: 0.36 } },
      "0.00006126",
    ],
    ["2/4 CN economy + spot", { vcpu: 2, memoryGiB: 4 }, cn, { economy: true, spot: { discount: 0.5 } }, "0.00003926"],
  ] as const)("%s", (_name, spec, book, options, expected) => {
    expect(pricePerSecond(spec, book, options).toFixed()).toBe(d(expected).toFixed());
  });

  it("refuses economy on a book without an economy price", () => {
    expect(() => pricePerSecond({ vcpu: 1, memoryGiB: 2 }, intl, { economy: true })).toThrow(PricingError);
  });

  it.each([-1, "abc", Infinity])("refuses spot price limit %s", (priceLimitPerHour) => {
    expect(() => pricePerSecond({ vcpu: 2, memoryGiB: 4 }, cn, { spot: { priceLimitPerHour } })).toThrow(PricingError);
  });

  it.each([-0.1, 1, 1.5, NaN])("refuses spot discount %d", (discount) => {
    expect(() => pricePerSecond({ vcpu: 2, memoryGiB: 4 }, cn, { spot: { discount } })).toThrow(PricingError);
  });

  it("matches the hourly prices quoted in the docs", () => {
    expect(pricePerSecond({ vcpu: 1, memoryGiB: 0 }, cn).times(3600).toFixed()).toBe("0.1764");
    expect(pricePerSecond({ vcpu: 0, memoryGiB: 1 }, cn).times(3600).toFixed()).toBe("0.022068");
    expect(pricePerSecond({ vcpu: 1, memoryGiB: 0 }, cn, { economy: true }).times(3600).toFixed()).toBe("0.0972");
  });
});

describe("billedSeconds and costBetween", () => {
  const t0 = new Date("2026-11-25T10:00:00Z");
  it.each([
    [0, 0],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [600_000, 600],
    [-5000, 0],
  ])("%d ms -> %d s", (ms, seconds) => {
    expect(billedSeconds(t0, new Date(t0.getTime() + ms))).toBe(seconds);
  });

  it("a 10-minute 1 vCPU / 2 GiB job costs 0.036756 CNY", () => {
    expect(costBetween({ vcpu: 1, memoryGiB: 2 }, t0, new Date("2026-11-25T10:10:00Z"), cn).toFixed()).toBe("0.036756");
  });

  it("cost never decreases with duration and is linear in it (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUPPORTED_SPECS),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (spec, a, b) => {
          const [short, long] = a <= b ? [a, b] : [b, a];
          const cost = (ms: number) => costBetween(spec, t0, new Date(t0.getTime() + ms), cn);
          expect(cost(long).greaterThanOrEqualTo(cost(short))).toBe(true);
        },
      ),
    );
  });

  it("rounding up a spec never lowers the price (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 24, noNaN: true }),
        fc.double({ min: 0, max: 96, noNaN: true }),
        (vcpu, memoryGiB) => {
          const requested = { vcpu, memoryGiB };
          const billed = roundUpToSupportedSpec(requested);
          expect(pricePerSecond(billed, cn).greaterThanOrEqualTo(pricePerSecond(requested, cn))).toBe(true);
        },
      ),
    );
  });
});

describe("applyMinimumCharge", () => {
  it.each([
    ["0", "0"],
    ["0.004999", "0"],
    ["0.005", "0.01"],
    ["0.0099", "0.01"],
    ["0.01", "0.01"],
    ["0.036756", "0.036756"],
  ])("CN %s -> %s", (amount, expected) => {
    expect(applyMinimumCharge(d(amount), cn.minimumCharge.eci).toFixed()).toBe(d(expected).toFixed());
  });

  it("leaves books without a documented minimum alone", () => {
    expect(applyMinimumCharge(d("0.001"), intl.minimumCharge.eci).toFixed()).toBe("0.001");
  });

  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (micros) => {
        const once = applyMinimumCharge(d(micros).dividedBy(1e6), cn.minimumCharge.eci);
        expect(applyMinimumCharge(once, cn.minimumCharge.eci).equals(once)).toBe(true);
      }),
    );
  });
});

const jobPod = (
  overrides: { annotations?: Record<string, string>; status?: PodWithStatus["status"] } = {},
): PodWithStatus => ({
  metadata: { creationTimestamp: "2026-11-25T10:00:00Z", annotations: overrides.annotations },
  spec: {
    containers: [
      {
        name: "build",
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
      },
      {
        name: "helper",
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
      },
    ],
  },
  status: overrides.status,
});

describe("podBillingTimes", () => {
  it("starts at status.startTime and ends at the last container finish", () => {
    const times = podBillingTimes(
      jobPod({
        status: {
          phase: "Succeeded",
          startTime: "2026-11-25T10:00:05Z",
          containerStatuses: [
            { state: { terminated: { finishedAt: "2026-11-25T10:09:00Z" } } },
            { state: { terminated: { finishedAt: "2026-11-25T10:10:05Z" } } },
          ],
        },
      }),
    );
    expect(times).toEqual({
      start: new Date("2026-11-25T10:00:05Z"),
      end: new Date("2026-11-25T10:10:05Z"),
      finished: true,
    });
  });

  it("falls back to creationTimestamp for the start and keeps a running pod open", () => {
    expect(podBillingTimes(jobPod({ status: { phase: "Running" } }))).toEqual({
      start: new Date("2026-11-25T10:00:00Z"),
      end: null,
      finished: false,
    });
  });

  it("does not bill a pod ECI could not schedule", () => {
    const pod = jobPod({
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] },
    });
    expect(podBillingTimes(pod).start).toBeNull();
  });

  it("uses the last condition change when a finished pod has no container times", () => {
    const pod = jobPod({
      status: {
        phase: "Failed",
        conditions: [{ type: "Ready", status: "False", lastTransitionTime: "2026-11-25T10:03:00Z" }],
      },
    });
    expect(podBillingTimes(pod).end).toEqual(new Date("2026-11-25T10:03:00Z"));
  });
});

describe("costSoFar", () => {
  const now = new Date("2026-11-25T10:05:00Z");

  it("ticks for a Pending pod (image pull is billed)", () => {
    const result = costSoFar(jobPod({ status: { phase: "Pending", startTime: "2026-11-25T10:00:00Z" } }), now, cn);
    expect(result).toMatchObject({ spec: { vcpu: 1, memoryGiB: 2 }, specSource: "limits", seconds: 300, final: false });
    expect(result.cost.toFixed()).toBe("0.018378");
  });

  it("is final and rounded for a finished pod when asked", () => {
    const pod = jobPod({
      status: {
        phase: "Succeeded",
        startTime: "2026-11-25T10:00:00Z",
        containerStatuses: [{ state: { terminated: { finishedAt: "2026-11-25T10:00:30Z" } } }],
      },
    });
    const exact = costSoFar(pod, now, cn);
    expect(exact.final).toBe(true);
    expect(exact.seconds).toBe(30);
    expect(exact.cost.toFixed()).toBe("0.0018378");
    expect(costSoFar(pod, now, cn, { applyMinimumCharge: true }).cost.toFixed()).toBe("0");
  });

  it("ticks from a rate computed once, agreeing with costSoFar", () => {
    const pod = jobPod({ status: { phase: "Running", startTime: "2026-11-25T10:00:00Z" } });
    const rate = podCostRate(pod, cn);
    for (const seconds of [0, 1, 59, 3600]) {
      const at = new Date(Date.parse("2026-11-25T10:00:00Z") + seconds * 1000);
      expect(costAt(rate, at).cost.equals(costSoFar(pod, at, cn).cost)).toBe(true);
      expect(costAt(rate, at).seconds).toBe(seconds);
    }
  });

  it("prefers the spec ECI wrote on the pod", () => {
    const pod = jobPod({
      annotations: { "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi" },
      status: { phase: "Running" },
    });
    expect(costSoFar(pod, now, cn)).toMatchObject({ spec: { vcpu: 2, memoryGiB: 4 }, specSource: "eci-instance-spec" });
  });

  it("reads eci-instance-cpu/mem when the instance spec is an unknown ECS type", () => {
    const pod = jobPod({
      annotations: {
        "k8s.aliyun.com/eci-instance-spec": "ecs.t5-c1m2.large",
        "k8s.aliyun.com/eci-instance-cpu": "2.000",
        "k8s.aliyun.com/eci-instance-mem": "4.00",
      },
      status: { phase: "Running" },
    });
    expect(costSoFar(pod, now, cn).spec).toEqual({ vcpu: 2, memoryGiB: 4 });
  });

  it("applies economy and spot from annotations", () => {
    const economy = costSoFar(
      jobPod({ annotations: { "k8s.aliyun.com/eci-compute-category": "economy" }, status: { phase: "Running" } }),
      now,
      cn,
    );
    expect(economy.perSecond.toFixed()).toBe("0.00003926");
    const spot = costSoFar(
      jobPod({
        annotations: {
          "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit",
          "k8s.aliyun.com/eci-spot-price-limit": "0.036",
        },
        status: { phase: "Running" },
      }),
      now,
      cn,
    );
    expect(spot.perSecond.toFixed()).toBe("0.00001");
    const asPriceGo = costSoFar(
      jobPod({ annotations: { "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo" }, status: { phase: "Running" } }),
      now,
      cn,
      {
        spotDiscount: 0.5,
      },
    );
    // A spot instance is 2 vCPU and up: the 1/2 pod runs as 2/2, (2 × 0.000049 + 2 × 0.00000613) × 50%.
    expect(asPriceGo.spec).toEqual({ vcpu: 2, memoryGiB: 2 });
    expect(asPriceGo.perSecond.toFixed()).toBe("0.00005513");
    expect(asPriceGo.notes.join()).toMatch(/50% off/);
  });

  it("falls back to the general price for economy pods on a book without one, and says so", () => {
    const result = costSoFar(
      jobPod({ annotations: { "k8s.aliyun.com/eci-compute-category": "economy" }, status: { phase: "Running" } }),
      now,
      intl,
    );
    expect(result.perSecond.toFixed()).toBe("0.00000962");
    expect(result.notes.join()).toMatch(/no economy price/);
  });
});

describe("typed pods", () => {
  it("accepts @kubernetes/client-node V1Pod objects, whose timestamps are Dates", () => {
    const pod: V1Pod = {
      metadata: { name: "runner-abc-project-1-concurrent-0-x", creationTimestamp: new Date("2026-11-25T10:00:00Z") },
      spec: { containers: [{ name: "build", resources: { requests: { cpu: "1", memory: "2Gi" } } }] },
      status: { phase: "Running", startTime: new Date("2026-11-25T10:00:00Z") },
    };
    expect(costSoFar(pod, new Date("2026-11-25T10:01:40Z"), cn).cost.toFixed()).toBe("0.006126");
  });
});

describe("billedPodSpec and podPricingOptions on ECI", () => {
  const annotated = (annotations: Record<string, string>) => jobPod({ annotations });

  it("bills the instance ECI reports over what the manifest asks for (1 vCPU / 2 GiB here)", () => {
    expect(billedPodSpec(annotated({}))).toMatchObject({ spec: { vcpu: 1, memoryGiB: 2 } });
    expect(
      billedPodSpec(annotated({ [ECI_ANNOTATIONS.instanceCpu]: "2.000", [ECI_ANNOTATIONS.instanceMemory]: "4.00" })),
    ).toEqual({ spec: { vcpu: 2, memoryGiB: 4 }, source: "eci-instance-spec" });
    expect(billedPodSpec(annotated({ [ECI_ANNOTATIONS.instanceSpec]: "2.0-8.0Gi" }))).toEqual({
      spec: { vcpu: 2, memoryGiB: 8 },
      source: "eci-instance-spec",
    });
  });

  it.each([
    ["only the CPU", { [ECI_ANNOTATIONS.instanceCpu]: "2.000" }],
    ["only the memory", { [ECI_ANNOTATIONS.instanceMemory]: "4.00" }],
    ["a zero CPU", { [ECI_ANNOTATIONS.instanceCpu]: "0", [ECI_ANNOTATIONS.instanceMemory]: "4.00" }],
    ["a zero memory", { [ECI_ANNOTATIONS.instanceCpu]: "2", [ECI_ANNOTATIONS.instanceMemory]: "0" }],
    ["text", { [ECI_ANNOTATIONS.instanceCpu]: "two", [ECI_ANNOTATIONS.instanceMemory]: "four" }],
  ])("falls back to the manifest when ECI's annotations give %s", (_what, annotations) => {
    const billed = billedPodSpec(annotated(annotations));
    expect(billed.spec).toEqual({ vcpu: 1, memoryGiB: 2 });
    expect(billed.source).not.toBe("eci-instance-spec");
  });

  it("reads the first compute category, in any case and spacing, as the one asked for", () => {
    expect(podPricingOptions(annotated({ [ECI_ANNOTATIONS.computeCategory]: " Economy ,general" }))).toEqual({
      economy: true,
    });
    expect(podPricingOptions(annotated({ [ECI_ANNOTATIONS.computeCategory]: "general,economy" }))).toEqual({});
  });

  it("takes spot's discount, and a price limit only when it is a number", () => {
    const spot = (strategy: string, limit?: string, discount?: number) =>
      podPricingOptions(
        annotated({
          [ECI_ANNOTATIONS.spotStrategy]: strategy,
          ...(limit === undefined ? {} : { [ECI_ANNOTATIONS.spotPriceLimit]: limit }),
        }),
        discount,
      );
    expect(spot("SpotAsPriceGo")).toEqual({ spot: { discount: 0.3 } });
    expect(spot("SpotAsPriceGo", undefined, 0.5)).toEqual({ spot: { discount: 0.5 } });
    expect(spot("SpotWithPriceLimit", "0.12")).toEqual({ spot: { discount: 0.3, priceLimitPerHour: "0.12" } });
    expect(spot("SpotWithPriceLimit", "-1")).toEqual({ spot: { discount: 0.3 } });
    expect(spot("SpotWithPriceLimit", "cheap")).toEqual({ spot: { discount: 0.3 } });
    expect(spot("NoSpot")).toEqual({});
  });
});
