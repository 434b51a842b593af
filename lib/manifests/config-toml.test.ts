import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { globalConfigToml, jobPodAnnotations, runnerTemplate, runnerTemplateToml } from "./config-toml";

const base: RunnerSettingsInput = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "r" },
};
const settings = (patch: Partial<RunnerSettingsInput> = {}) => runnerSettingsSchema.parse({ ...base, ...patch });
const kubernetesOf = (patch: Partial<RunnerSettingsInput> = {}) =>
  (runnerTemplate(settings(patch)).runners as { kubernetes: Record<string, unknown> }[])[0].kubernetes;

describe("jobPodAnnotations", () => {
  it("writes each ECI choice as its annotation, sorted, the wizard's choice over a free-form one", () => {
    const annotations = jobPodAnnotations(
      settings({
        jobPods: {
          eciUseSpecs: ["2-4Gi", "ecs.c6.large"],
          spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.5 },
          economyCompute: true,
          podAnnotations: { "z.example.com/team": "ci", "k8s.aliyun.com/eci-use-specs": "8-16Gi" },
        },
      }),
    );
    expect(Object.entries(annotations)).toEqual([
      ["k8s.aliyun.com/eci-compute-category", "economy"],
      ["k8s.aliyun.com/eci-image-cache", "true"],
      ["k8s.aliyun.com/eci-spot-price-limit", "0.500"],
      ["k8s.aliyun.com/eci-spot-strategy", "SpotWithPriceLimit"],
      ["k8s.aliyun.com/eci-use-specs", "2-4Gi,ecs.c6.large"],
      ["z.example.com/team", "ci"],
    ]);
  });

  it("writes nothing for choices left at their defaults or turned off", () => {
    expect(jobPodAnnotations(settings({ jobPods: { useImageCache: false } }))).toEqual({});
    expect(jobPodAnnotations(settings({ jobPods: { spot: { strategy: "SpotAsPriceGo" } } }))).toEqual({
      "k8s.aliyun.com/eci-image-cache": "true",
      "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
    });
  });

  it("gives an ACS pod only its free-form annotations, sorted (ECI's mean nothing there)", () => {
    const annotations = jobPodAnnotations(
      settings({
        jobPods: {
          backend: "acs",
          eciUseSpecs: ["2-4Gi"],
          economyCompute: true,
          podAnnotations: { "z.example.com/b": "2", "a.example.com/a": "1" },
        },
      }),
    );
    expect(Object.entries(annotations)).toEqual([
      ["a.example.com/a", "1"],
      ["z.example.com/b", "2"],
    ]);
  });
});

describe("runnerTemplate", () => {
  it("labels ACS job pods with their class and QoS, over same-named free-form labels, sorted", () => {
    expect(
      kubernetesOf({
        jobPods: {
          backend: "acs",
          computeClass: "performance",
          qos: "best-effort",
          podLabels: { team: "ci", "alibabacloud.com/compute-qos": "default" },
        },
      }).pod_labels,
    ).toEqual({
      "alibabacloud.com/acs": "true",
      "alibabacloud.com/compute-class": "performance",
      "alibabacloud.com/compute-qos": "best-effort",
      team: "ci",
    });
    expect(kubernetesOf().pod_labels).toBeUndefined();
  });

  it("mounts volumes only when there are some, and uses only a volume named cache as cache_dir", () => {
    expect(kubernetesOf()).not.toHaveProperty("volumes");
    const m2 = {
      name: "m2",
      mountPath: "/m2",
      size: "10Gi",
      backend: { kind: "storageClass", storageClassName: "nas" },
    };
    const onlyM2 = runnerTemplate(settings({ storage: { volumes: [m2] } as RunnerSettingsInput["storage"] }));
    const [runner] = onlyM2.runners as Record<string, unknown>[];
    expect(runner).not.toHaveProperty("cache_dir");
    expect((runner.kubernetes as Record<string, unknown>).volumes).toEqual({
      pvc: [{ name: "gitlab-runner-m2-pvc", mount_path: "/m2", read_only: false }],
    });
    const withCache = runnerTemplate(
      settings({
        storage: { volumes: [m2, { ...m2, name: "cache", mountPath: "/cache" }] } as RunnerSettingsInput["storage"],
      }),
    );
    expect((withCache.runners as Record<string, unknown>[])[0].cache_dir).toBe("/cache");
  });

  it("mounts the registry Secret alone when there is no volume", () => {
    const registry = { server: "registry.example.com", username: "u", password: "p", mountPath: "/root/.docker" };
    expect(kubernetesOf({ registry }).volumes).toEqual({
      secret: [
        {
          name: "registry-auth-secret",
          mount_path: "/root/.docker",
          read_only: true,
          items: { ".dockerconfigjson": "config.json" },
        },
      ],
    });
  });
});

describe("the TOML files", () => {
  it("end in exactly one newline and parse", () => {
    for (const toml of [globalConfigToml(settings()), runnerTemplateToml(settings())]) {
      expect(toml.endsWith("\n")).toBe(true);
      expect(toml.endsWith("\n\n")).toBe(false);
      expect(toml.startsWith("\n")).toBe(false);
      expect(() => parse(toml)).not.toThrow();
    }
  });
});
