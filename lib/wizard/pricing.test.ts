import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { jobPodsSchema, runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { jobPodPrice, monthlyFixedCost } from "./pricing";

const cn = DEFAULT_PRICE_BOOKS.cn;
const resources = (cpu: string, memory: string) => ({
  cpuRequest: cpu,
  cpuLimit: cpu,
  memoryRequest: memory,
  memoryLimit: memory,
});

describe("jobPodPrice", () => {
  it.each([
    // 1 vCPU / 2 GiB: (0.000049 + 2 × 0.00000613) × 60 = 0.0036756 CNY/min
    ["the defaults (exactly 1 vCPU / 2 GiB)", {}, "1 vCPU / 2 GiB", "¥0.0037", false],
    // 1.25 vCPU / 2 GiB rounds up to 2 vCPU / 2 GiB: (2 × 0.000049 + 2 × 0.00000613) × 60 = 0.0066156
    ["a request that rounds up", { build: resources("1", "1536Mi") }, "2 vCPU / 2 GiB", "¥0.0066", true],
    // economy vCPU 0.000027: (0.000027 + 2 × 0.00000613) × 60 = 0.0023556
    ["economy compute", { economyCompute: true }, "1 vCPU / 2 GiB", "¥0.0024", false],
    ["eci-use-specs wins over limits", { eciUseSpecs: ["4-8Gi"] }, "4 vCPU / 8 GiB", "¥0.0147", false],
  ])("%s", (_name, jobPods, billed, perMinute, noticed) => {
    const price = jobPodPrice(jobPods, cn);
    expect(price?.billed).toBe(billed);
    expect(price?.perMinute).toBe(perMinute);
    expect(Boolean(price?.notice)).toBe(noticed);
  });

  it("is undefined while the values are invalid", () => {
    expect(jobPodPrice({ build: resources("lots", "1Gi") }, cn)).toBeUndefined();
  });

  it("marks spot prices as estimates and caps them at the price limit", () => {
    const price = jobPodPrice({ spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.06 } }, cn);
    expect(price?.estimate).toBe(true);
    expect(price?.perHour).toBe("¥0.060");
  });

  it("prices spot as the monitor does: the assumed spot discount, then the price limit", () => {
    // Spot instances are 2 vCPU and up, so the 1 vCPU / 2 GiB pod runs as 2 vCPU / 2 GiB:
    // 0.00011026 CNY/s = 0.396936/h on demand; 30% off = 0.2778552/h, capped at the 0.3 limit or not.
    const price = jobPodPrice({ spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.2 } }, cn);
    expect(price?.billed).toBe("2 vCPU / 2 GiB");
    expect(price?.perHour).toBe("¥0.200");
    expect(jobPodPrice({ spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.3 } }, cn)?.perHour).toBe("¥0.278");
    expect(jobPodPrice({ spot: { strategy: "SpotAsPriceGo" } }, cn)?.perHour).toBe("¥0.278");
  });

  it("follows the ECI annotations the job pods will carry, also when set as free-form annotations", () => {
    const price = jobPodPrice({ podAnnotations: { "k8s.aliyun.com/eci-compute-category": "economy" } }, cn);
    expect(price?.perMinute).toBe("¥0.0024");
    expect(price?.estimate).toBe(false);
  });

  it("adds service containers to the pod", () => {
    const oneService = jobPodPrice({}, cn, 1);
    expect(oneService?.billed).toBe("2 vCPU / 4 GiB");
    expect(jobPodsSchema.parse({}).services.cpuLimit).toBe("250m");
  });
});

describe("monthlyFixedCost", () => {
  it("prices the runner pod for 30 days and reports storage sizes", () => {
    const settings = runnerSettingsSchema.parse({
      cluster: { namespace: "ci" },
      gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghijklmnop1234", runnerName: "r" },
      imageCache: { images: ["alpine:3.20"], sizeGiB: 30 },
    });
    const pod = { spec: { containers: [{ resources: { limits: { cpu: "250m", memory: "512Mi" } } }] } };
    const cost = monthlyFixedCost(pod, settings, cn, 50);
    // 0.25 × 0.000049 + 0.5 × 0.00000613 = 0.000015315 CNY/s × 2,592,000 s = 39.70 CNY
    expect(cost).toMatchObject({
      runnerSpec: "0.25 vCPU / 0.5 GiB",
      runnerPerMonth: "¥39.70",
      storageGiB: 50,
      imageCacheGiB: 30,
    });
  });

  it("does not price a runner pod ECI cannot create, and says why (the 1000-vCPU pod)", () => {
    const settings = runnerSettingsSchema.parse({
      cluster: { namespace: "ci" },
      gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghijklmnop1234", runnerName: "r" },
    });
    const pod = { spec: { containers: [{ resources: { limits: { cpu: "1000", memory: "2000Gi" } } }] } };
    const cost = monthlyFixedCost(pod, settings, cn, 0);
    expect(cost.runnerPerMonth).toBeNull();
    expect(cost.runnerPerSecond).toBeNull();
    expect(cost.notice).toMatch(/No ECI spec offered in all regions fits 1000 vCPU \/ 2000 GiB/);
  });
});
