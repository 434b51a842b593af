import { describe, expect, it } from "vitest";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { acsJobPodSpec, acsNormalisationNotice, jobPodShape, jobPodSpec, roundUpNotice } from "./job-pod-spec";

const base: RunnerSettingsInput = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "r" },
};
const settings = (jobPods: RunnerSettingsInput["jobPods"]) => runnerSettingsSchema.parse({ ...base, jobPods });
const size = (cpu: string, memory: string) => ({
  cpuRequest: cpu,
  cpuLimit: cpu,
  memoryRequest: memory,
  memoryLimit: memory,
});

describe("jobPodSpec", () => {
  it.each([
    // build + helper limits, summed then rounded up to a supported ECI spec
    [size("500m", "1Gi"), size("500m", "1Gi"), 0, { vcpu: 1, memoryGiB: 2 }, false],
    [size("1", "2Gi"), size("250m", "512Mi"), 0, { vcpu: 2, memoryGiB: 4 }, true],
    [size("500m", "1Gi"), size("250m", "512Mi"), 1, { vcpu: 1, memoryGiB: 2 }, false],
    [size("500m", "1Gi"), size("250m", "512Mi"), 2, { vcpu: 2, memoryGiB: 4 }, true],
    // the vCPU fits, the memory does not
    [size("750m", "2Gi"), size("250m", "1Gi"), 0, { vcpu: 1, memoryGiB: 4 }, true],
  ])("build %j helper %j with %i services → %j", (build, helper, services, billed, roundsUp) => {
    const s = settings({ build, helper, services: size("250m", "512Mi") });
    const resolved = jobPodSpec(s, services);
    expect(resolved.billed).toEqual(billed);
    expect(roundUpNotice(resolved) !== undefined).toBe(roundsUp);
  });

  it("lets eci-use-specs decide, as ECI does", () => {
    const resolved = jobPodSpec(settings({ eciUseSpecs: ["4-8Gi"] }));
    expect(resolved.source).toBe("eci-use-specs");
    expect(resolved.billed).toEqual({ vcpu: 4, memoryGiB: 8 });
  });

  it("names containers as the runner does (build, helper, svc-N)", () => {
    expect(jobPodShape(settings({}), 2).spec?.containers?.map((c) => c.name)).toEqual([
      "build",
      "helper",
      "svc-0",
      "svc-1",
    ]);
  });
});

describe("roundUpNotice", () => {
  it("says what is asked, what is billed and what to do", () => {
    expect(roundUpNotice(jobPodSpec(settings({ build: size("1", "2Gi"), helper: size("250m", "512Mi") })))).toBe(
      "Job pods ask for 1.25 vCPU / 2.5 GiB (limits) but ECI bills the next supported spec, 2 vCPU / 4 GiB: raise the limits to use it at no extra cost, or lower them to fit a smaller one.",
    );
  });

  it("passes on why no ECI spec fits", () => {
    const resolved = jobPodSpec(settings({ build: size("32", "64Gi") }));
    expect(roundUpNotice(resolved)).toBe(resolved.unsupported);
    expect(resolved.unsupported).toMatch(/^No ECI spec offered in all regions fits/);
  });
});

describe("jobPodShape", () => {
  it("keeps each container's requests and limits apart", () => {
    const shape = jobPodShape(
      settings({ build: { cpuRequest: "500m", cpuLimit: "1", memoryRequest: "1Gi", memoryLimit: "2Gi" } }),
    );
    expect(shape.spec?.containers?.[0].resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "1", memory: "2Gi" },
    });
  });
});

describe("ACS job pods", () => {
  const acs = (jobPods: RunnerSettingsInput["jobPods"]) => settings({ backend: "acs", ...jobPods });
  const notice = (jobPods: RunnerSettingsInput["jobPods"]) => {
    const s = acs(jobPods);
    return acsNormalisationNotice(acsJobPodSpec(s), s.jobPods.computeClass);
  };

  it("is quiet when the pod is already on ACS's grid", () => {
    expect(acsJobPodSpec(acs({})).billed).toEqual({ vcpu: 1, memoryGiB: 2 });
    expect(notice({})).toBeUndefined();
  });

  it("says how ACS normalises a pod off its grid", () => {
    expect(notice({ build: size("1", "3Gi"), helper: size("250m", "512Mi") })).toBe(
      "Job pods ask for 1.25 vCPU / 3.5 GiB (the larger of requests and limits) but ACS creates and bills 1.5 vCPU / 4 GiB (0.25, then 0.5-vCPU steps, whole GiB, memory 1 to 8 × vCPU): raise the limits to use it at no extra cost, or lower them to fit a smaller one.",
    );
    // only the vCPU is off the grid
    expect(notice({ build: size("1", "1536Mi"), helper: size("250m", "512Mi") })).toMatch(/bills 1.5 vCPU \/ 2 GiB/);
    // only the memory is off the grid
    expect(notice({ build: size("750m", "1536Mi"), helper: size("250m", "1Gi") })).toMatch(/bills 1 vCPU \/ 3 GiB/);
  });

  it("passes on a quota ticket or a refusal", () => {
    expect(notice({ build: size("20", "40Gi") })).toMatch(/need a quota increase/);
    const huge = acs({ build: size("64", "512Gi") });
    const resolved = acsJobPodSpec(huge);
    expect(resolved.unsupported).toMatch(/No ACS spec fits/);
    expect(acsNormalisationNotice(resolved, "general-purpose")).toBe(resolved.unsupported);
  });
});
