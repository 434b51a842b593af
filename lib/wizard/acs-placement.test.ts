import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { runnerTemplate } from "@/lib/manifests/config-toml";
import { generateManifests } from "@/lib/manifests/generate";
import { lintSettings } from "@/lib/manifests/warnings";
import { jobPodPrice, monthlyFixedCost } from "./pricing";

const cn = DEFAULT_PRICE_BOOKS.cn;
const BASE = {
  cluster: { namespace: "gitlab-runner", instanceName: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghijklmnop1234", runnerName: "r" },
};
const settingsWith = (jobPods: Record<string, unknown> = {}, runnerPod: Record<string, unknown> = {}) =>
  runnerSettingsSchema.parse({ ...BASE, jobPods, runnerPod });
const kubernetesOf = (settings: ReturnType<typeof settingsWith>) =>
  (runnerTemplate(settings).runners as Array<{ kubernetes: Record<string, unknown> }>)[0].kubernetes;

describe("job pods on ACS through the runner's pod_labels", () => {
  it("writes ACS's three labels and no ECI annotation; the user's own labels and annotations stay", () => {
    const settings = settingsWith({
      backend: "acs",
      computeClass: "performance",
      qos: "best-effort",
      spot: { strategy: "SpotAsPriceGo" },
      economyCompute: true,
      podLabels: { team: "web", "alibabacloud.com/compute-qos": "default" },
      podAnnotations: { "example.com/owner": "web" },
    });
    const kubernetes = kubernetesOf(settings);
    expect(kubernetes.pod_labels).toEqual({
      "alibabacloud.com/acs": "true",
      "alibabacloud.com/compute-class": "performance",
      "alibabacloud.com/compute-qos": "best-effort",
      team: "web",
    });
    expect(kubernetes.pod_annotations).toEqual({ "example.com/owner": "web" });
  });

  it("ECI job pods keep ECI's annotations and get no ACS label (the default)", () => {
    const kubernetes = kubernetesOf(settingsWith({ economyCompute: true }));
    expect(kubernetes.pod_labels).toBeUndefined();
    expect(kubernetes.pod_annotations).toMatchObject({ "k8s.aliyun.com/eci-compute-category": "economy" });
  });

  it("the runner pod on ACS carries the labels in its template, at the default QoS, without ECI's image-cache annotation", () => {
    const objects = generateManifests(settingsWith({}, { backend: "acs", computeClass: "general-purpose" }));
    const deployment = objects.find((o) => o.kind === "Deployment")! as unknown as {
      spec: { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } };
    };
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      "alibabacloud.com/acs": "true",
      "alibabacloud.com/compute-class": "general-purpose",
      "alibabacloud.com/compute-qos": "default",
    });
    expect(deployment.spec.template.metadata.annotations["k8s.aliyun.com/eci-image-cache"]).toBeUndefined();
  });
});

describe("prices and warnings by ACS's rules", () => {
  it.each([
    // 1 vCPU / 2 GiB (defaults): (0.0000167 + 2 × 0.00000833) × 60 = 0.0020016 CNY/min
    ["defaults at general-purpose default", {}, "1 vCPU / 2 GiB", "¥0.0020", false],
    // best-effort: (0.0000033 + 2 × 0.00000167) × 60 = 0.0003984
    ["best-effort", { qos: "best-effort" }, "1 vCPU / 2 GiB", "¥0.0004", false],
    // performance default: (0.0000217 + 2 × 0.00001083) × 60 = 0.0025992
    ["performance", { computeClass: "performance" }, "1 vCPU / 2 GiB", "¥0.0026", false],
    // build 1.25 vCPU + helper 0.25 = 1.5 vCPU is an ACS size (ECI would round up to 2)
    [
      "1.5 vCPU fits ACS's 0.5 steps",
      { build: { cpuRequest: "1250m", cpuLimit: "1250m", memoryRequest: "1536Mi", memoryLimit: "1536Mi" } },
      "1.5 vCPU / 2 GiB",
      "¥0.0025",
      false,
    ],
    // 1.1 vCPU → 1.5 vCPU on ACS's grid: a notice that ACS bills more than asked
    [
      "a request normalised up",
      { build: { cpuRequest: "850m", cpuLimit: "850m", memoryRequest: "1536Mi", memoryLimit: "1536Mi" } },
      "1.5 vCPU / 2 GiB",
      "¥0.0025",
      true,
    ],
  ])("%s", (_name, jobPods, billed, perMinute, noticed) => {
    const price = jobPodPrice({ backend: "acs", ...jobPods }, cn);
    expect(price?.billed).toBe(billed);
    expect(price?.perMinute).toBe(perMinute);
    expect(Boolean(price?.notice)).toBe(noticed);
    expect(price?.estimate).toBe(false);
  });

  it("the runner pod on ACS is priced at ACS general-purpose default, all month", () => {
    const settings = settingsWith({}, { backend: "acs" });
    const pod = { spec: { containers: [{ resources: { limits: { cpu: "250m", memory: "512Mi" } } }] } };
    // 0.25 × 0.0000167 + 0.5 × 0.00000833 = 0.00000834 CNY/s × 2,592,000 s = 21.62 CNY
    expect(monthlyFixedCost(pod, settings, cn, 0)).toMatchObject({
      runnerSpec: "0.25 vCPU / 0.5 GiB",
      runnerPerMonth: "¥21.62",
    });
  });

  it("warns about best-effort eviction, ECI-only settings on ACS, and sizes past ACS's limits", () => {
    const paths = (settings: ReturnType<typeof settingsWith>) => lintSettings(settings).map((w) => w.path);
    expect(paths(settingsWith({ backend: "acs", qos: "best-effort" }))).toContain("jobPods.qos");
    expect(paths(settingsWith({ backend: "acs", qos: "default" }))).not.toContain("jobPods.qos");
    const eciOnly = lintSettings(settingsWith({ backend: "acs", economyCompute: true, eciUseSpecs: ["2-4Gi"] }));
    expect(eciOnly.find((w) => w.path === "jobPods.backend")?.message).toContain("eci-use-specs, economy");
    // 48 vCPU runs on ACS (refused on ECI) but needs a quota ticket above 16 vCPU.
    const big = lintSettings(settingsWith({}, { backend: "acs", cpu: "48", memory: "96Gi" }));
    expect(big.find((w) => w.path === "runnerPod")?.message).toMatch(/quota increase/);
    const bigOnEci = lintSettings(settingsWith({}, { cpu: "48", memory: "96Gi" }));
    expect(bigOnEci.find((w) => w.path === "runnerPod")?.message).toMatch(/cannot run on ECI/);
  });
});
