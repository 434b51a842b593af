import { describe, expect, it } from "vitest";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { isRunnerDeployment, summarizeRunnerConfig } from "./runner-info";

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
