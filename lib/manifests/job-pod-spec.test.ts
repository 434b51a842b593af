import { describe, expect, it } from "vitest";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { jobPodShape, jobPodSpec, roundUpNotice } from "./job-pod-spec";

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
