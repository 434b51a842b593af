import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_SPEC,
  formatEciInstanceSpec,
  formatSpec,
  formatSpecCompact,
  isSupportedSpec,
  parseEciUseSpecs,
  parseUseSpecEntry,
  podRequests,
  resolvePodSpec,
  roundUpToSpotSpec,
  roundUpToSupportedSpec,
  SpecOutOfRangeError,
  SUPPORTED_SPECS,
  type ContainerLike,
  type EciSpec,
} from "@ask-ci/billing/eci/specs";

const spec = (vcpu: number, memoryGiB: number): EciSpec => ({ vcpu, memoryGiB });

describe("SUPPORTED_SPECS", () => {
  it("holds the all-regions table of the domain doc, ordered by vCPU then memory", () => {
    expect(SUPPORTED_SPECS).toHaveLength(2 + 2 + 3 + 5 + 5 + 5 + 4 + 4 + 4);
    const sorted = [...SUPPORTED_SPECS].sort((a, b) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB);
    expect(SUPPORTED_SPECS).toEqual(sorted);
    expect(isSupportedSpec(DEFAULT_SPEC)).toBe(true);
  });

  it.each([spec(2, 3), spec(3, 4), spec(0.25, 2), spec(24, 24.5)])("does not offer %j", (value) => {
    expect(isSupportedSpec(value)).toBe(false);
  });
});

describe("roundUpToSupportedSpec", () => {
  it.each([
    // exact table entries stay put
    [spec(0.25, 0.5), spec(0.25, 0.5)],
    [spec(1, 2), spec(1, 2)],
    [spec(24, 192), spec(24, 192)],
    // just above each vCPU boundary
    [spec(0.251, 0.5), spec(0.5, 1)],
    [spec(0.501, 1), spec(1, 2)],
    [spec(1.001, 1), spec(2, 1)],
    [spec(2.001, 1), spec(4, 2)],
    [spec(4.001, 1), spec(8, 4)],
    [spec(8.001, 1), spec(12, 12)],
    [spec(12.001, 1), spec(16, 16)],
    [spec(16.001, 1), spec(24, 24)],
    // just above each memory boundary inside a vCPU row
    [spec(0.25, 0.51), spec(0.25, 1)],
    [spec(0.25, 1.01), spec(0.5, 2)],
    [spec(0.5, 2.01), spec(1, 4)],
    [spec(1, 4.5), spec(1, 8)],
    [spec(1, 8.01), spec(2, 16)],
    [spec(2, 16.01), spec(4, 32)],
    [spec(4, 32.01), spec(8, 64)],
    [spec(8, 64.01), spec(12, 96)],
    [spec(12, 96.01), spec(16, 128)],
    [spec(16, 128.01), spec(24, 192)],
    // the docs' cn-hangzhou example says 7 vCPU / 13 GiB -> 8 vCPU / 14 GiB, but 8/14 is not in
    // the all-regions table: with it, the next spec up is 8 vCPU / 16 GiB.
    [spec(7, 13), spec(8, 16)],
    // tiny and zero requests get the smallest spec
    [spec(0, 0), spec(0.25, 0.5)],
    [spec(0.1, 0.1), spec(0.25, 0.5)],
    // a 2 vCPU request with little memory may go below the default 4 GiB
    [spec(2, 1), spec(2, 1)],
    [spec(1.5, 3), spec(2, 4)],
  ])("%j -> %j", (requested, billed) => {
    expect(roundUpToSupportedSpec(requested)).toEqual(billed);
  });

  it.each([spec(25, 1), spec(1, 193), spec(32, 64)])("throws a clear error for %j", (requested) => {
    expect(() => roundUpToSupportedSpec(requested)).toThrow(SpecOutOfRangeError);
    expect(() => roundUpToSupportedSpec(requested)).toThrow(/largest is 24 vCPU \/ 192 GiB/);
  });

  it.each([spec(-1, 1), spec(1, -1), spec(NaN, 1), spec(1, NaN)])("rejects the invalid request %j", (requested) => {
    expect(() => roundUpToSupportedSpec(requested)).toThrow(RangeError);
    expect(() => roundUpToSupportedSpec(requested)).toThrow(/needs non-negative vCPU and memory/);
  });

  it("does not let float drift push a request over a boundary", () => {
    expect(roundUpToSupportedSpec(spec(0.1 + 0.2 + 0.2, 1))).toEqual(spec(0.5, 1));
  });

  const requestArb = fc.record({
    vcpu: fc.double({ min: 0, max: 24, noNaN: true }),
    memoryGiB: fc.double({ min: 0, max: 96, noNaN: true }),
  });

  it("bills at least what was requested, and a billed spec rounds to itself (property)", () => {
    fc.assert(
      fc.property(requestArb, (requested) => {
        const billed = roundUpToSupportedSpec(requested);
        expect(billed.vcpu).toBeGreaterThanOrEqual(requested.vcpu);
        expect(billed.memoryGiB).toBeGreaterThanOrEqual(requested.memoryGiB);
        expect(isSupportedSpec(billed)).toBe(true);
        expect(roundUpToSupportedSpec(billed)).toEqual(billed);
      }),
    );
  });

  it("picks the cheapest fitting spec under any price where a vCPU costs at least 8 GiB", () => {
    const pricePerVcpuInGiB = 49 / 6.13; // China site; the international site is 7.7 / 0.96
    fc.assert(
      fc.property(requestArb, (requested) => {
        const cost = (s: EciSpec) => s.vcpu * pricePerVcpuInGiB + s.memoryGiB;
        const billed = roundUpToSupportedSpec(requested);
        const cheapest = Math.min(
          ...SUPPORTED_SPECS.filter((s) => s.vcpu >= requested.vcpu && s.memoryGiB >= requested.memoryGiB).map(cost),
        );
        expect(cost(billed)).toBe(cheapest);
      }),
    );
  });
});

describe("parseEciUseSpecs", () => {
  it.each([
    ["2-4Gi,4-8Gi,ecs.c6.xlarge", [spec(2, 4), spec(4, 8), spec(4, 8)]],
    ["0.5-1Gi", [spec(0.5, 1)]],
    [" 2-4Gi , 1-2gi ", [spec(2, 4), spec(1, 2)]],
    ["2.0-4.0Gi", [spec(2, 4)]],
    ["ecs.g6.large,ecs.r7.2xlarge,ecs.c7.4xlarge", [spec(2, 8), spec(8, 64), spec(16, 32)]],
    ["ecs.gn6i-c4g1.xlarge,2-4Gi", [spec(2, 4)]],
    ["ecs.t5-lc1m1.small", []],
    ["2-4", []],
    ["0-4Gi", []],
    ["2-0Gi", []],
    ["", []],
  ] as const)("%j -> %j", (annotation, expected) => {
    expect(parseEciUseSpecs(annotation)).toEqual(expected);
  });

  it("classifies each entry, as pod-cost reads ECI's eci-instance-spec", () => {
    expect(parseUseSpecEntry(" 2.0-4.0Gi ")).toEqual({ kind: "vcpu-memory", raw: "2.0-4.0Gi", spec: spec(2, 4) });
    expect(parseUseSpecEntry("ecs.c6.large")).toEqual({
      kind: "ecs-instance-type",
      raw: "ecs.c6.large",
      spec: spec(2, 4),
    });
    expect(parseUseSpecEntry("2-0Gi")).toEqual({ kind: "unknown", raw: "2-0Gi" });
    expect(parseUseSpecEntry("ecs.gn6i-c4g1.xlarge")).toEqual({ kind: "unknown", raw: "ecs.gn6i-c4g1.xlarge" });
  });
});

describe("ECS instance types in eci-use-specs", () => {
  it.each([
    ["ecs.c6.xlarge", [spec(4, 8)]],
    ["ecs.r7.2xlarge", [spec(8, 64)]],
    // only generations known to follow the c/g/r shape rule
    ["ecs.c4.large", []],
    ["ecs.g6.0xlarge", []],
  ] as const)("%j -> %j", (annotation, expected) => {
    expect(parseEciUseSpecs(annotation)).toEqual(expected);
  });
});

const container = (
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
  restartPolicy?: string,
): ContainerLike => ({ name, restartPolicy, resources: { requests, limits } });

const podWith = (
  containers: ContainerLike[],
  initContainers?: ContainerLike[],
  annotations?: Record<string, string>,
) => ({
  metadata: { annotations },
  spec: { containers, initContainers },
});

describe("resolvePodSpec", () => {
  it.each([
    {
      name: "nothing set -> default 2 vCPU / 4 GiB",
      pod: podWith([container("build")]),
      requested: null,
      billed: spec(2, 4),
      source: "default",
    },
    {
      name: "an empty pod object -> default",
      pod: {},
      requested: null,
      billed: spec(2, 4),
      source: "default",
    },
    {
      name: "only requests -> sum of requests (the seed runner: build + helper at 0.5/1Gi)",
      pod: podWith([
        container("build", { cpu: "500m", memory: "1Gi" }),
        container("helper", { cpu: "0.5", memory: "1Gi" }),
      ]),
      requested: spec(1, 2),
      billed: spec(1, 2),
      source: "requests",
    },
    {
      name: "only limits -> sum of limits",
      pod: podWith([
        container("build", undefined, { cpu: "1", memory: "2Gi" }),
        container("helper", undefined, { cpu: "1", memory: "2Gi" }),
      ]),
      requested: spec(2, 4),
      billed: spec(2, 4),
      source: "limits",
    },
    {
      name: "requests and limits on every container -> limits, requests ignored",
      pod: podWith([
        container("build", { cpu: "250m", memory: "512Mi" }, { cpu: "2", memory: "4Gi" }),
        container("helper", { cpu: "100m", memory: "128Mi" }, { cpu: "500m", memory: "1Gi" }),
      ]),
      requested: spec(2.5, 5),
      billed: spec(4, 8),
      source: "limits",
    },
    {
      name: "mixed containers: limit where set, else request",
      pod: podWith([
        container("build", { cpu: "1", memory: "1Gi" }, { cpu: "2", memory: "2Gi" }),
        container("helper", { cpu: "500m", memory: "1Gi" }),
      ]),
      requested: spec(2.5, 3),
      billed: spec(4, 4),
      source: "limits",
    },
    {
      name: "per resource: cpu from limits, memory from requests",
      pod: podWith([container("build", { cpu: "250m", memory: "3Gi" }, { cpu: "1" })]),
      requested: spec(1, 3),
      billed: spec(1, 4),
      source: "limits",
    },
    {
      name: "services are summed with build and helper",
      pod: podWith([
        container("build", { cpu: "1", memory: "2Gi" }),
        container("helper", { cpu: "500m", memory: "512Mi" }),
        container("svc-0", { cpu: "500m", memory: "1536Mi" }),
      ]),
      requested: spec(2, 4),
      billed: spec(2, 4),
      source: "requests",
    },
    {
      name: "only cpu set: memory counts as 0 and rounds to the smallest for that vCPU",
      pod: podWith([container("build", { cpu: "1" })]),
      requested: spec(1, 0),
      billed: spec(1, 2),
      source: "requests",
    },
    {
      name: "a big init container raises the pod above the sum of app containers",
      pod: podWith(
        [container("build", { cpu: "500m", memory: "1Gi" })],
        [container("init-permissions", { cpu: "2", memory: "1Gi" })],
      ),
      requested: spec(2, 1),
      billed: spec(2, 1),
      source: "requests",
    },
    {
      name: "a small init container changes nothing",
      pod: podWith(
        [container("build", { cpu: "1", memory: "2Gi" })],
        [container("init-permissions", { cpu: "100m", memory: "64Mi" })],
      ),
      requested: spec(1, 2),
      billed: spec(1, 2),
      source: "requests",
    },
    {
      name: "a sidecar init container (restartPolicy Always) adds to the app containers",
      pod: podWith(
        [container("build", { cpu: "1", memory: "2Gi" })],
        [container("proxy", { cpu: "500m", memory: "1Gi" }, undefined, "Always")],
      ),
      requested: spec(1.5, 3),
      billed: spec(2, 4),
      source: "requests",
    },
    {
      name: "a container with __ECI_RESOURCE_IGNORE__=TRUE is left out of the sum (ECI docs example, all-regions table)",
      pod: podWith([
        container("app-1", undefined, { cpu: "2", memory: "4Gi" }),
        container("app-2", undefined, { cpu: "2", memory: "4Gi" }),
        {
          ...container("sidecar", undefined, { cpu: "250m", memory: "512Mi" }),
          env: [{ name: "__ECI_RESOURCE_IGNORE__", value: "TRUE" }],
        },
      ]),
      requested: spec(4, 8),
      billed: spec(4, 8),
      source: "limits",
    },
    {
      name: "without the variable the same sidecar pushes the pod to the next spec",
      pod: podWith([
        container("app-1", undefined, { cpu: "2", memory: "4Gi" }),
        container("app-2", undefined, { cpu: "2", memory: "4Gi" }),
        {
          ...container("sidecar", undefined, { cpu: "250m", memory: "512Mi" }),
          env: [{ name: "__ECI_RESOURCE_IGNORE__", value: "FALSE" }],
        },
      ]),
      requested: spec(4.25, 8.5),
      billed: spec(8, 16),
      source: "limits",
    },
    {
      name: "eci-use-specs wins over resources: first entry",
      pod: podWith([container("build", { cpu: "1", memory: "2Gi" })], undefined, {
        "k8s.aliyun.com/eci-use-specs": "4-8Gi,2-4Gi",
      }),
      requested: spec(4, 8),
      billed: spec(4, 8),
      source: "eci-use-specs",
    },
    {
      name: "eci-use-specs entry off the table is rounded up",
      pod: podWith([], undefined, { "k8s.aliyun.com/eci-use-specs": "3-5Gi" }),
      requested: spec(3, 5),
      billed: spec(4, 8),
      source: "eci-use-specs",
    },
    {
      name: "eci-use-specs with an ECS type is billed at the type's shape",
      pod: podWith([], undefined, { "k8s.aliyun.com/eci-use-specs": "ecs.c6.large,4-8Gi" }),
      requested: spec(2, 4),
      billed: spec(2, 4),
      source: "eci-use-specs",
    },
    {
      name: "unreadable first eci-use-specs entry -> first readable one",
      pod: podWith([], undefined, { "k8s.aliyun.com/eci-use-specs": "ecs.gn6i-c4g1.xlarge,1-2Gi" }),
      requested: spec(1, 2),
      billed: spec(1, 2),
      source: "eci-use-specs",
    },
    {
      name: "nothing readable in eci-use-specs -> resources",
      pod: podWith([container("build", { cpu: "500m", memory: "1Gi" })], undefined, {
        "k8s.aliyun.com/eci-use-specs": "ecs.gn6i-c4g1.xlarge",
      }),
      requested: spec(0.5, 1),
      billed: spec(0.5, 1),
      source: "requests",
    },
    {
      name: "eci-use-specs with an ECS type outside the all-regions table is billed at its shape, not refused",
      pod: podWith([], undefined, { "k8s.aliyun.com/eci-use-specs": "ecs.c6.8xlarge" }),
      requested: spec(32, 64),
      billed: spec(32, 64),
      source: "eci-use-specs",
    },
    {
      name: "a container without a resources object counts as nothing set",
      pod: { spec: { containers: [{ name: "build" }] } },
      requested: null,
      billed: spec(2, 4),
      source: "default",
    },
    {
      name: "__ECI_RESOURCE_IGNORE__ among other variables still leaves the container out",
      pod: podWith([
        container("build", { cpu: "2", memory: "4Gi" }),
        {
          ...container("sidecar", { cpu: "1", memory: "2Gi" }),
          env: [
            { name: "HTTP_PROXY", value: "http://proxy" },
            { name: "__ECI_RESOURCE_IGNORE__", value: "true" },
          ],
        },
      ]),
      requested: spec(2, 4),
      billed: spec(2, 4),
      source: "requests",
    },
    {
      name: "another variable set to TRUE, or the ignore variable without a value, does not leave it out",
      pod: podWith([
        container("build", { cpu: "2", memory: "4Gi" }),
        { ...container("sidecar", { cpu: "1", memory: "2Gi" }), env: [{ name: "DEBUG", value: "TRUE" }] },
        { ...container("other", { cpu: "1", memory: "2Gi" }), env: [{ name: "__ECI_RESOURCE_IGNORE__" }] },
      ]),
      requested: spec(4, 8),
      billed: spec(4, 8),
      source: "requests",
    },
    {
      name: "an init container after a sidecar needs room for both",
      pod: podWith(
        [container("build", { cpu: "500m", memory: "1Gi" })],
        [
          container("proxy", { cpu: "1", memory: "1Gi" }, undefined, "Always"),
          container("init-permissions", { cpu: "2", memory: "1Gi" }),
        ],
      ),
      requested: spec(3, 2),
      billed: spec(4, 2),
      source: "requests",
    },
    {
      name: "decimal memory units are converted to GiB before rounding",
      pod: podWith([container("build", { cpu: "1", memory: "2G" })]),
      requested: spec(1, 2e9 / 2 ** 30),
      billed: spec(1, 2),
      source: "requests",
    },
  ])("$name", ({ pod, requested, billed, source }) => {
    const resolved = resolvePodSpec(pod);
    expect(resolved).toEqual({ requested, billed, source });
  });

  it("keeps the unrounded request and explains when no all-regions spec fits", () => {
    const resolved = resolvePodSpec(podWith([container("build", { cpu: "32", memory: "64Gi" })]));
    expect(resolved.billed).toEqual(spec(32, 64));
    expect(resolved.unsupported).toMatch(/No ECI spec/);
  });

  it("throws on a junk quantity so a broken manifest is not silently billed at 0", () => {
    expect(() => resolvePodSpec(podWith([container("build", { cpu: "lots" })]))).toThrow(/Invalid resource quantity/);
  });

  it("sums many small millicore requests without drift (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }), (millis) => {
        const pod = podWith(millis.map((m, i) => container(`c${i}`, { cpu: `${m}m`, memory: "1Mi" })));
        const total = millis.reduce((a, b) => a + b, 0);
        const resolved = resolvePodSpec(pod);
        expect(resolved.requested?.vcpu).toBe(total / 1000);
        if (total <= 24_000) expect(resolved.billed.vcpu * 1000).toBeGreaterThanOrEqual(total);
      }),
    );
  });
});

describe("podRequests", () => {
  it.each([
    [
      "requests only, limits ignored",
      podWith([container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "2", memory: "4Gi" })]),
      spec(0.5, 1),
    ],
    [
      "summed over containers",
      podWith([container("build", { cpu: "1", memory: "2Gi" }), container("helper", { cpu: "250m", memory: "256Mi" })]),
      spec(1.25, 2.25),
    ],
    ["limits only -> nothing requested", podWith([container("build", undefined, { cpu: "2", memory: "4Gi" })]), null],
    ["no resources", podWith([container("build")]), null],
    ["an empty pod object", {}, null],
    ["only cpu requested: memory counts as 0", podWith([container("build", { cpu: "1" })]), spec(1, 0)],
  ] as const)("%s", (_name, pod, expected) => {
    expect(podRequests(pod)).toEqual(expected);
  });
});

describe("formatSpec", () => {
  it.each([
    [spec(1, 2), "1 vCPU / 2 GiB", "1-2Gi"],
    [spec(0.25, 0.5), "0.25 vCPU / 0.5 GiB", "0.25-0.5Gi"],
    [spec(1, 2e9 / 2 ** 30), "1 vCPU / 1.863 GiB", "1-1.863Gi"],
  ])("%j -> %s / %s", (value, long, compact) => {
    expect(formatSpec(value)).toBe(long);
    expect(formatSpecCompact(value)).toBe(compact);
  });
});

describe("formatEciInstanceSpec", () => {
  it.each([
    [spec(2, 4), "2.0-4.0Gi"],
    [spec(0.25, 0.5), "0.25-0.5Gi"],
    [spec(12, 96), "12.0-96.0Gi"],
  ])("%j -> %s, which parses back to the same spec", (value, text) => {
    expect(formatEciInstanceSpec(value)).toBe(text);
    expect(parseEciUseSpecs(text)).toEqual([value]);
  });
});

describe("spot specs", () => {
  it.each([
    // ECI creates spot instances of 2 vCPU and up only: smaller requests round up
    [spec(0.25, 0.5), spec(2, 2)],
    [spec(1, 2), spec(2, 2)],
    [spec(1, 4), spec(2, 4)],
    [spec(2, 3), spec(2, 4)],
    [spec(2, 17), spec(4, 32)],
    [spec(3, 4), spec(4, 4)],
    [spec(8, 9), spec(8, 16)],
    [spec(24, 192), spec(24, 192)],
  ])("%j -> %j", (requested, billed) => {
    expect(roundUpToSpotSpec(requested)).toEqual(billed);
  });

  it("refuses what no spot spec holds", () => {
    expect(() => roundUpToSpotSpec(spec(25, 1))).toThrow(SpecOutOfRangeError);
  });

  it("resolvePodSpec rounds a spot pod to the spot table, an on-demand one to the general table", () => {
    const containers: ContainerLike[] = [
      { name: "build", resources: { limits: { cpu: "500m", memory: "1Gi" } } },
      { name: "helper", resources: { limits: { cpu: "500m", memory: "1Gi" } } },
    ];
    const onDemand = resolvePodSpec({ spec: { containers } });
    const spot = resolvePodSpec({
      metadata: { annotations: { "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo" } },
      spec: { containers },
    });
    expect(onDemand.billed).toEqual(spec(1, 2));
    expect(spot.billed).toEqual(spec(2, 2));
    expect(spot.requested).toEqual(spec(1, 2));
    const withPriceLimit = resolvePodSpec({
      metadata: { annotations: { "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit" } },
      spec: { containers },
    });
    expect(withPriceLimit.billed).toEqual(spec(2, 2));
  });
});
