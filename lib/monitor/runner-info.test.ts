import { describe, expect, it } from "vitest";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { generateManifests } from "@/lib/manifests";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import type { Pod } from "@/lib/kube/pod";
import {
  isRunnerDeployment,
  mountedConfigMaps,
  runnerConfigOf,
  summarizeRunnerConfig,
  toRunnerInfo,
} from "./runner-info";

describe("summarizeRunnerConfig", () => {
  it("keeps concurrency, names and job resources, never the token", () => {
    const summary = summarizeRunnerConfig(`
concurrent = 10
[[runners]]
  name = "eci-runner"
  url = "https://gitlab.example.com/"
  token = "glrt-secret-token"
  executor = "kubernetes"
  [runners.kubernetes]
    cpu_request = "1"
    cpu_limit = "2"
    memory_request = "2Gi"
`);
    expect(summary).toEqual({
      concurrent: 10,
      runners: [{ name: "eci-runner", cpuRequest: "1", cpuLimit: "2", memoryRequest: "2Gi", memoryLimit: null }],
    });
    expect(JSON.stringify(summary)).not.toContain("glrt");
  });

  it("returns null for text that is not TOML", () => {
    expect(summarizeRunnerConfig("concurrent = = 3")).toBeNull();
  });
});

describe("isRunnerDeployment", () => {
  const deployment = (image: string): IDeployment => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    spec: { selector: {}, template: { spec: { containers: [{ name: "c", image }] } } },
  });
  it.each([
    ["gitlab/gitlab-runner:v17.11.0", true],
    ["registry.cn-hangzhou.aliyuncs.com/x/gitlab-runner:alpine", true],
    ["gitlab/gitlab-runner-helper:x86_64-v17.11.0", false],
    ["nginx", false],
  ])("%s -> %s", (image, expected) => {
    expect(isRunnerDeployment(deployment(image))).toBe(expected);
  });
});

describe("runnerConfigOf", () => {
  it("reads concurrency from config.toml and the runner from config.template.toml, as the wizard writes them", () => {
    const settings = runnerSettingsSchema.parse({
      cluster: { namespace: "ci" },
      gitlab: {
        url: "https://gitlab.example.com/",
        runnerToken: "glrt-abcdefghij0123456789",
        runnerName: "eci",
        concurrent: 7,
      },
    });
    const configMaps = generateManifests(settings).filter((o) => o.kind === "ConfigMap") as unknown as IConfigMap[];
    expect(runnerConfigOf(configMaps)).toMatchObject({ concurrent: 7, runners: [{ name: "eci" }] });
  });

  it("reads one config.toml with everything in it (a hand-written Deployment)", () => {
    const configMap: IConfigMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { "config.toml": 'concurrent = 4\n[[runners]]\nname = "hand"\n', entrypoint: "#!/bin/sh" },
    };
    expect(runnerConfigOf([configMap])).toEqual({
      concurrent: 4,
      runners: [expect.objectContaining({ name: "hand" })],
    });
  });

  it("is null when no TOML in the ConfigMaps says anything about runners", () => {
    expect(runnerConfigOf([{ apiVersion: "v1", kind: "ConfigMap", data: { "other.toml": "x = 1" } }])).toBeNull();
    expect(runnerConfigOf([])).toBeNull();
  });
});

describe("mountedConfigMaps", () => {
  it("names ConfigMaps mounted directly and through projected volumes, in order", () => {
    const deployment = {
      spec: {
        template: {
          spec: {
            containers: [],
            volumes: [
              { name: "a", configMap: { name: "runner-config" } },
              { name: "b", emptyDir: {} },
              { name: "c", projected: { sources: [{ secret: { name: "s" } }, { configMap: { name: "scripts" } }] } },
              { name: "d", configMap: {} },
            ],
          },
        },
      },
    } as unknown as IDeployment;
    expect(mountedConfigMaps(deployment)).toEqual(["runner-config", "scripts"]);
    expect(mountedConfigMaps({} as IDeployment)).toEqual([]);
    expect(mountedConfigMaps({ spec: { template: {} } } as IDeployment)).toEqual([]);
  });
});

describe("toRunnerInfo", () => {
  it("reads replicas, each pod's phase, restarts and readiness, and the config", () => {
    const deployment = {
      metadata: { name: "gitlab-runner", namespace: "ci" },
      spec: { replicas: 2, template: { spec: { containers: [] } } },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    } as unknown as IDeployment;
    const pod = (name: string, ready: string, type = "Ready") =>
      ({
        metadata: { name },
        status: {
          phase: "Running",
          conditions: [
            { type: "PodScheduled", status: "True" },
            { type, status: ready },
          ],
          containerStatuses: [{ name: "gitlab-runner", restartCount: 3 }],
        },
      }) as Pod;
    // notes.txt first: only .toml files are read, whatever comes first
    const configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { "notes.txt": "concurrent = 9\n", "config.toml": "concurrent = 4\n" },
    } as IConfigMap;
    expect(
      toRunnerInfo(deployment, [pod("p1", "True"), pod("p2", "False"), pod("p3", "True", "Initialized")], [configMap]),
    ).toEqual({
      name: "gitlab-runner",
      namespace: "ci",
      desired: 2,
      ready: 1,
      updated: 2,
      available: 1,
      pods: [
        { name: "p1", phase: "Running", restarts: 3, ready: true },
        { name: "p2", phase: "Running", restarts: 3, ready: false },
        { name: "p3", phase: "Running", restarts: 3, ready: false },
      ],
      config: { concurrent: 4, runners: [] },
    });
  });

  it("reads a bare Deployment and pod with Kubernetes' defaults", () => {
    expect(toRunnerInfo({} as IDeployment, [{} as Pod], [])).toEqual({
      name: "",
      namespace: "",
      desired: 1,
      ready: 0,
      updated: 0,
      available: 0,
      pods: [{ name: "", phase: "Unknown", restarts: 0, ready: false }],
      config: null,
    });
  });
});

describe("runner config details", () => {
  it("reads numeric quantities as text and skips a TOML file that does not parse", () => {
    const configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      data: {
        "broken.toml": "concurrent = = 1",
        "config.toml": "[[runners]]\nname = 'r'\n[runners.kubernetes]\ncpu_limit = 2\nmemory_limit = true\n",
      },
    } as IConfigMap;
    expect(runnerConfigOf([configMap])).toEqual({
      concurrent: null,
      runners: [{ name: "r", cpuRequest: null, cpuLimit: "2", memoryRequest: null, memoryLimit: null }],
    });
  });

  it("does not take a Deployment without a pod template for a runner", () => {
    expect(isRunnerDeployment({} as IDeployment)).toBe(false);
    expect(isRunnerDeployment({ spec: { template: {} } } as IDeployment)).toBe(false);
  });
});
