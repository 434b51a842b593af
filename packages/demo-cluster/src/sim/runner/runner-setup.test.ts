import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../types";
import { ManualClock } from "../clock";
import { newClusterStore } from "../testing/harness";
import { isRunnerPod, loadRunnerSetup, tokenFromPod } from "./runner-setup";

function runnerPod(spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "runner", namespace: "default", labels }, spec };
}

describe("runner pod setup", () => {
  it.each([
    [{ containers: [{ name: "r", image: "gitlab/gitlab-runner:v17.11.0" }] }, {}, true],
    [{ containers: [{ name: "r", image: "busybox" }] }, { app: "gitlab-runner" }, true],
    [{ containers: [{ name: "r", image: "busybox" }] }, { "app.kubernetes.io/name": "gitlab-runner" }, true],
    [{ containers: [{ name: "helper", image: "gitlab/gitlab-runner-helper:x86_64-latest" }] }, {}, false],
    [
      { containers: [{ name: "r", image: "gitlab/gitlab-runner:latest" }] },
      { "job.runner.gitlab.com/pod": "runner-x" },
      false,
    ],
  ])("recognises runner pods (%#)", (spec, labels, expected) => {
    expect(isRunnerPod(runnerPod(spec, labels))).toBe(expected);
  });

  it("finds config.toml through a projected volume and the token in a mounted Secret", () => {
    const store = newClusterStore(new ManualClock());
    store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { "config.toml": "concurrent = 3\n" },
    });
    store.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "tok", namespace: "default" },
      stringData: { "runner-token": "glrt-fromsecret123" },
    });
    const pod = runnerPod({
      containers: [{ name: "r", image: "gitlab/gitlab-runner:latest" }],
      volumes: [
        {
          name: "config",
          projected: {
            sources: [
              { secret: { name: "tok" } },
              { configMap: { name: "cfg", items: [{ key: "config.toml", path: "config.toml" }] } },
            ],
          },
        },
      ],
    });
    const setup = loadRunnerSetup(store, pod);
    expect(setup).toMatchObject({ configMap: "default/cfg", problems: [] });
    expect(setup.config.concurrent).toBe(3);
    expect(tokenFromPod(store, pod)).toBe("glrt-fromsecret123");
  });

  it("prefers a literal RUNNER_TOKEN env and reports a missing ConfigMap", () => {
    const store = newClusterStore(new ManualClock());
    const pod = runnerPod({
      containers: [
        { name: "r", image: "gitlab/gitlab-runner:latest", env: [{ name: "RUNNER_TOKEN", value: "glrt-literal" }] },
      ],
    });
    expect(tokenFromPod(store, pod)).toBe("glrt-literal");
    const setup = loadRunnerSetup(store, pod);
    expect(setup.problems[0]).toContain("no ConfigMap");
    expect(setup.config.concurrent).toBe(1);
  });
});
