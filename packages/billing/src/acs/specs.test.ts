import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ACS_DEFAULT_SPEC,
  ACS_VCPU_STEPS,
  AcsSpecOutOfRangeError,
  acsMemoryOptions,
  acsSpecLimitNotice,
  formatPodUseSpec,
  isAcsSpec,
  normalizeAcsSpec,
  parseAcsSpecNotation,
  resolveAcsPodSpec,
  type AcsSpec,
} from "@ask-ci/billing/acs/specs";
import type { ContainerLike, PodLike } from "@ask-ci/billing/eci/specs";

const spec = (vcpu: number, memoryGiB: number): AcsSpec => ({ vcpu, memoryGiB });

describe("the ACS spec grid", () => {
  it("has 0.25, then 0.5-vCPU steps to 16, then 24, 32, 48 and 64 vCPU", () => {
    expect(ACS_VCPU_STEPS.slice(0, 4)).toEqual([0.25, 0.5, 1, 1.5]);
    expect(ACS_VCPU_STEPS).toContain(15.5);
    expect(ACS_VCPU_STEPS.slice(-5)).toEqual([16, 24, 32, 48, 64]);
    expect(ACS_VCPU_STEPS).toHaveLength(1 + 32 + 4);
  });

  it.each([
    // the docs' table rows
    [0.25, [0.5, 1, 2]],
    [0.5, [1, 2, 3, 4]],
    [1, [1, 2, 3, 4, 5, 6, 7, 8]],
    [1.5, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    [24, [24, 48, 96, 192]],
    [64, [64, 128, 256, 512]],
    // not on the grid
    [0.75, []],
    [17, []],
  ])("%s vCPU takes %j GiB", (vcpu, memories) => {
    expect(acsMemoryOptions(vcpu)).toEqual(memories);
  });

  it("keeps memory between 1:1 and 1:8 from 0.5 vCPU up, in 1 GiB steps, up to 16 vCPU", () => {
    const options = acsMemoryOptions(16);
    expect(options[0]).toBe(16);
    expect(options.at(-1)).toBe(128);
    expect(options).toHaveLength(128 - 16 + 1);
    expect(acsMemoryOptions(2.5)).toEqual(Array.from({ length: 18 }, (_, i) => 3 + i)); // 3–20
  });
});

describe("normalizeAcsSpec", () => {
  it.each([
    // on the grid: unchanged
    [spec(0.25, 0.5), spec(0.25, 0.5)],
    [spec(1, 2), spec(1, 2)],
    [spec(2, 4), spec(2, 4)],
    [spec(64, 512), spec(64, 512)],
    // the docs' example: 2 vCPU / 3.5 GiB -> 2-4Gi
    [spec(2, 3.5), spec(2, 4)],
    // 1 GiB memory steps
    [spec(1, 2.1), spec(1, 3)],
    [spec(4, 4.5), spec(4, 5)],
    // 0.25 then 0.5-vCPU steps
    [spec(0.3, 1), spec(0.5, 1)],
    [spec(0.75, 2), spec(1, 2)],
    [spec(1.2, 2), spec(1.5, 2)],
    [spec(2.1, 4), spec(2.5, 4)],
    [spec(15.6, 16), spec(16, 16)],
    // at least 1:1 — memory raised to the vCPU count (ceil for half vCPUs)
    [spec(4, 1), spec(4, 4)],
    [spec(1.5, 1), spec(1.5, 2)],
    [spec(0.5, 0.25), spec(0.5, 1)],
    // 0.25 vCPU takes at least 0.5 GiB and at most 2 GiB
    [spec(0.25, 0.1), spec(0.25, 0.5)],
    [spec(0.25, 1.5), spec(0.25, 2)],
    [spec(0.25, 3), spec(0.5, 3)],
    // at most 1:8 — more memory needs more vCPU
    [spec(1, 9), spec(1.5, 9)],
    [spec(0.5, 5), spec(1, 5)],
    [spec(2, 17), spec(2.5, 17)],
    // above 16 vCPU: 24/32/48/64 with 1, 2, 4 or 8 GiB per vCPU
    [spec(16.5, 20), spec(24, 24)],
    [spec(24, 50), spec(24, 96)],
    [spec(16, 129), spec(24, 192)],
    [spec(40, 100), spec(48, 192)],
    // nothing at all -> the smallest
    [spec(0, 0), spec(0.25, 0.5)],
  ])("%j -> %j", (requested, billed) => {
    expect(normalizeAcsSpec(requested)).toEqual(billed);
  });

  it("refuses what is larger than 64 vCPU / 512 GiB (the 1000-vCPU pod)", () => {
    expect(() => normalizeAcsSpec(spec(1000, 2000))).toThrow(AcsSpecOutOfRangeError);
    expect(() => normalizeAcsSpec(spec(64.5, 64))).toThrow(/largest is 64 vCPU \/ 512 GiB/);
    expect(() => normalizeAcsSpec(spec(8, 513))).toThrow(AcsSpecOutOfRangeError);
  });

  it("rejects negative or NaN requests", () => {
    expect(() => normalizeAcsSpec(spec(-1, 1))).toThrow(RangeError);
    expect(() => normalizeAcsSpec(spec(1, Number.NaN))).toThrow(RangeError);
    expect(() => normalizeAcsSpec(spec(-1, 1))).toThrow(/needs non-negative vCPU and memory/);
  });

  it("always returns a grid spec that holds the request; up to 16 vCPU the cheapest at any prices", () => {
    const allSpecs = ACS_VCPU_STEPS.flatMap((vcpu) => acsMemoryOptions(vcpu).map((m) => spec(vcpu, m)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64_000 }), fc.integer({ min: 0, max: 512 * 1024 }), (milli, mib) => {
        const requested = spec(milli / 1000, mib / 1024);
        const billed = normalizeAcsSpec(requested);
        expect(isAcsSpec(billed)).toBe(true);
        expect(billed.vcpu).toBeGreaterThanOrEqual(requested.vcpu);
        expect(billed.memoryGiB).toBeGreaterThanOrEqual(requested.memoryGiB);
        if (billed.vcpu > 16) return;
        const fitting = allSpecs.filter((s) => s.vcpu >= requested.vcpu && s.memoryGiB >= requested.memoryGiB);
        for (const price of [
          [0.06, 0.03],
          [0.1764, 0.0221],
          [0.0001, 1],
        ]) {
          const cost = (s: AcsSpec) => s.vcpu * price[0] + s.memoryGiB * price[1];
          expect(Math.min(...fitting.map(cost))).toBeCloseTo(cost(billed), 9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const container = (
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
  extra: Partial<ContainerLike> = {},
): ContainerLike => ({
  name,
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...extra,
});
const pod = (containers: ContainerLike[], annotations?: Record<string, string>, initContainers?: ContainerLike[]) =>
  ({ metadata: { annotations }, spec: { containers, initContainers } }) as PodLike;

describe("resolveAcsPodSpec", () => {
  it.each<[string, PodLike, AcsSpec, string]>([
    ["nothing set: 2 vCPU / 4 GiB", pod([container("build"), container("helper")]), spec(2, 4), "default"],
    [
      "the seed's runner: build + helper at 0.5 vCPU / 1 GiB each -> 1-2Gi, no round-up",
      pod([
        container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "500m", memory: "1Gi" }),
        container("helper", { cpu: "500m", memory: "1Gi" }, { cpu: "500m", memory: "1Gi" }),
      ]),
      spec(1, 2),
      "requests",
    ],
    [
      "limits above requests: the limits' sum wins",
      pod([
        container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "2", memory: "4Gi" }),
        container("helper", { cpu: "250m", memory: "256Mi" }, { cpu: "250m", memory: "256Mi" }),
      ]),
      spec(2.5, 5),
      "limits",
    ],
    [
      "a container without limits: Σrequests beats a smaller Σlimits",
      pod([
        container("build", { cpu: "2", memory: "3Gi" }),
        container("helper", { cpu: "250m", memory: "512Mi" }, { cpu: "500m", memory: "1Gi" }),
      ]),
      spec(2.5, 4),
      "requests",
    ],
    [
      "only limits: requests default to them",
      pod([container("build", undefined, { cpu: "1", memory: "1536Mi" })]),
      spec(1, 2),
      "requests",
    ],
    [
      "max per resource: CPU from the limits, memory from the requests",
      pod([
        container("build", { cpu: "1", memory: "6Gi" }, { cpu: "3", memory: "6Gi" }),
        container("helper", { cpu: "1", memory: "2Gi" }),
      ]),
      spec(3, 8),
      "limits",
    ],
    [
      "three services push the sum over a step",
      pod([
        container("build", { cpu: "750m", memory: "1536Mi" }, { cpu: "750m", memory: "1536Mi" }),
        container("helper", { cpu: "250m", memory: "512Mi" }, { cpu: "250m", memory: "512Mi" }),
        container("svc-0", { cpu: "250m", memory: "512Mi" }, { cpu: "250m", memory: "512Mi" }),
      ]),
      spec(1.5, 3),
      "requests",
    ],
    [
      "an init container larger than the running ones sets the pod's size",
      pod([container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "500m", memory: "1Gi" })], undefined, [
        container("init-permissions", { cpu: "2", memory: "2Gi" }, { cpu: "2", memory: "2Gi" }),
      ]),
      spec(2, 2),
      "requests",
    ],
    [
      "pod-required-spec on a Burstable pod: taken even above Σlimits",
      pod([container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "1", memory: "2Gi" })], {
        "alibabacloud.com/pod-required-spec": "2-8Gi",
      }),
      spec(2, 8),
      "pod-required-spec",
    ],
    [
      "pod-required-spec between Σrequests and Σlimits",
      pod([container("build", { cpu: "500m", memory: "1Gi" }, { cpu: "4", memory: "8Gi" })], {
        "alibabacloud.com/pod-required-spec": "1-2Gi",
      }),
      spec(1, 2),
      "pod-required-spec",
    ],
    [
      "pod-required-spec is ignored on a Guaranteed pod (limits equal requests, however written)",
      pod([container("build", { cpu: "1", memory: "2Gi" }, { cpu: "1000m", memory: "2048Mi" })], {
        "alibabacloud.com/pod-required-spec": "4-8Gi",
      }),
      spec(1, 2),
      "requests",
    ],
    ["an empty pod object: the default", {}, spec(2, 4), "default"],
    [
      "a container without a resources object: the default",
      { spec: { containers: [{ name: "build" }] } },
      spec(2, 4),
      "default",
    ],
    [
      "a pod without metadata is sized by its containers",
      { spec: { containers: [container("build", { cpu: "1", memory: "2Gi" })] } },
      spec(1, 2),
      "requests",
    ],
    [
      "only the memory limit above its request: the limits win",
      pod([container("build", { cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "4Gi" })]),
      spec(1, 4),
      "limits",
    ],
    [
      "a sidecar init container (restartPolicy Always) adds to the app containers",
      pod([container("build", { cpu: "1", memory: "2Gi" }, { cpu: "1", memory: "2Gi" })], undefined, [
        container("proxy", { cpu: "500m", memory: "1Gi" }, { cpu: "500m", memory: "1Gi" }, { restartPolicy: "Always" }),
      ]),
      spec(1.5, 3),
      "requests",
    ],
    [
      "an init container after a sidecar needs room for both",
      pod([container("build", { cpu: "1", memory: "2Gi" }, { cpu: "1", memory: "2Gi" })], undefined, [
        container("proxy", { cpu: "500m", memory: "1Gi" }, { cpu: "500m", memory: "1Gi" }, { restartPolicy: "Always" }),
        container("init-permissions", { cpu: "2", memory: "2Gi" }, { cpu: "2", memory: "2Gi" }),
      ]),
      spec(2.5, 3),
      "requests",
    ],
    [
      "pod-required-spec equal to the requests is taken",
      pod([container("build", { cpu: "1", memory: "2Gi" }, { cpu: "2", memory: "4Gi" })], {
        "alibabacloud.com/pod-required-spec": "1-2Gi",
      }),
      spec(1, 2),
      "pod-required-spec",
    ],
    [
      "pod-required-spec counts when only one container is Burstable",
      pod(
        [
          container("build", { cpu: "1", memory: "2Gi" }, { cpu: "1", memory: "2Gi" }),
          container("helper", { cpu: "500m", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }),
        ],
        { "alibabacloud.com/pod-required-spec": "4-8Gi" },
      ),
      spec(4, 8),
      "pod-required-spec",
    ],
    [
      "pod-required-spec counts when only the memory limit differs from the request",
      pod([container("build", { cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "2Gi" })], {
        "alibabacloud.com/pod-required-spec": "2-4Gi",
      }),
      spec(2, 4),
      "pod-required-spec",
    ],
    [
      "CPU limits and requests are compared in millicores (1500m is not 2)",
      pod([container("build", { cpu: "1500m", memory: "2Gi" }, { cpu: "2", memory: "2Gi" })], {
        "alibabacloud.com/pod-required-spec": "2-8Gi",
      }),
      spec(2, 8),
      "pod-required-spec",
    ],
  ])("%s", (_name, input, billed, source) => {
    const resolved = resolveAcsPodSpec(input);
    expect(resolved.billed).toEqual(billed);
    expect(resolved.source).toBe(source);
    expect(resolved.unsupported).toBeUndefined();
  });

  it("refuses a malformed pod-required-spec, or one below the requests, as ACS fails the pod creation", () => {
    const burstable = [container("build", { cpu: "1", memory: "2Gi" }, { cpu: "2", memory: "4Gi" })];
    expect(resolveAcsPodSpec(pod(burstable, { "alibabacloud.com/pod-required-spec": "2c4g" }))).toEqual({
      requested: spec(1, 2),
      billed: spec(1, 2),
      source: "pod-required-spec",
      unsupported: 'alibabacloud.com/pod-required-spec "2c4g" is malformed',
    });
    expect(resolveAcsPodSpec(pod(burstable, { "alibabacloud.com/pod-required-spec": "0.5-1Gi" }))).toEqual({
      requested: spec(0.5, 1),
      billed: spec(0.5, 1),
      source: "pod-required-spec",
      unsupported: "alibabacloud.com/pod-required-spec 0.5 vCPU / 1 GiB is below the pod's requests (1 vCPU / 2 GiB)",
    });
    // below in one resource is enough
    for (const required of ["0.5-4Gi", "2-1Gi"]) {
      const resolved = resolveAcsPodSpec(pod(burstable, { "alibabacloud.com/pod-required-spec": required }));
      expect(resolved.unsupported).toMatch(/below the pod's requests/);
    }
  });

  it("refuses a pod larger than ACS offers and prices nothing silently", () => {
    const huge = resolveAcsPodSpec(pod([container("runner", { cpu: "1000", memory: "2000Gi" })]));
    expect(huge.unsupported).toMatch(/No ACS spec fits 1000 vCPU \/ 2000 GiB/);
    expect(huge.billed).toEqual(spec(1000, 2000));
  });

  it("flags a spec that needs a quota ticket (above 16 vCPU or 128 GiB)", () => {
    const big = resolveAcsPodSpec(pod([container("build", { cpu: "20", memory: "40Gi" })]));
    expect(big.billed).toEqual(spec(24, 48));
    expect(big.unsupported).toBeUndefined();
    expect(big.needsQuota).toMatch(/quota increase/);
    expect(resolveAcsPodSpec(pod([container("build", { cpu: "16", memory: "128Gi" })])).needsQuota).toBeUndefined();
  });
});

describe("acsSpecLimitNotice", () => {
  it.each([
    [spec(2, 4), null],
    [spec(16, 128), null],
    [spec(24, 24), "ticket"],
    [spec(8, 192), "ticket"],
    [spec(64, 512), "ticket"],
    [spec(96, 192), "refused"],
    [spec(64, 1024), "refused"],
  ])("%j -> %s", (billed, level) => {
    expect(acsSpecLimitNotice(billed)?.level ?? null).toBe(level);
    expect(acsSpecLimitNotice(billed, "performance")?.level ?? null).toBe(level);
  });

  it("says what the class offers and what cannot be created", () => {
    expect(acsSpecLimitNotice(spec(96, 192), "performance")?.message).toBe(
      "ACS performance pods are at most 64 vCPU / 512 GiB; 96 vCPU / 192 GiB cannot be created",
    );
  });
});

describe("pod-use-spec notation", () => {
  it.each([
    ["2-4Gi", spec(2, 4)],
    ["0.25-0.5Gi", spec(0.25, 0.5)],
    ["2.5-5Gi", spec(2.5, 5)],
    ["2.0-4.0Gi", spec(2, 4)],
    [" 1-2Gi ", spec(1, 2)],
    ["2-4", null],
    ["ecs.c6.large", null],
    ["0-4Gi", null],
    ["2-0Gi", null],
    ["", null],
    [undefined, null],
  ])("parses %j", (value, parsed) => {
    expect(parseAcsSpecNotation(value)).toEqual(parsed);
  });

  it("writes what ACS writes and reads back what it wrote", () => {
    expect(formatPodUseSpec(spec(2, 4))).toBe("2-4Gi");
    expect(formatPodUseSpec(spec(0.25, 0.5))).toBe("0.25-0.5Gi");
    expect(formatPodUseSpec(spec(2.5, 5))).toBe("2.5-5Gi");
    for (const vcpu of ACS_VCPU_STEPS) {
      for (const memoryGiB of acsMemoryOptions(vcpu)) {
        expect(parseAcsSpecNotation(formatPodUseSpec(spec(vcpu, memoryGiB)))).toEqual(spec(vcpu, memoryGiB));
      }
    }
    expect(ACS_DEFAULT_SPEC).toEqual(spec(2, 4));
  });
});
