import { describe, expect, it } from "vitest";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { generateManifests } from "@/lib/manifests";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { isRunnerDeployment, runnerConfigOf, summarizeRunnerConfig } from "./runner-info";

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
