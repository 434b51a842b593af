import { describe, expect, it } from "vitest";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { generateManifests } from "./generate";
import { CONFIG_FILE, CONFIG_KEYS } from "./paths";
import { RUNNER_VERSIONS } from "./runner-release";

const base: RunnerSettingsInput = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "eci runner" },
};

function generated(patch: Partial<RunnerSettingsInput> = {}) {
  const objects = generateManifests(runnerSettingsSchema.parse({ ...base, ...patch }));
  const deployment = objects.find((o) => o.kind === "Deployment") as IDeployment;
  const configMap = objects.find((o) => o.kind === "ConfigMap") as IConfigMap;
  const pod = deployment.spec!.template.spec!;
  return { pod, container: pod.containers[0], data: configMap.data! };
}

describe("runner Deployment", () => {
  it.each(RUNNER_VERSIONS)("runs %s's runner image with the matching helper in config.toml", (version) => {
    const { container, data } = generated({ runnerPod: { version } });
    expect(container.image).toBe(`registry.gitlab.com/gitlab-org/gitlab-runner:alpine-${version}`);
    expect(data[CONFIG_KEYS.runnerTemplate]).toContain(
      `helper_image = "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-${version}"`,
    );
  });

  it("runs as the image flavour's gitlab-runner user (GitLab's chart: Alpine 100/65533; docs: Ubuntu 999/999)", () => {
    expect(generated({ runnerPod: { flavour: "alpine" } }).pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 100,
      fsGroup: 65533,
    });
    const ubuntu = generated({ runnerPod: { flavour: "ubuntu" } });
    expect(ubuntu.pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(ubuntu.container.image).toMatch(/:ubuntu-v\d/);
  });

  it("readiness verifies the runner by its name, which RUNNER_NAME carries, on every version", () => {
    const { container, data } = generated();
    expect(container.readinessProbe?.exec?.command).toEqual(["/bin/bash", `/configmaps/${CONFIG_KEYS.checkReady}`]);
    const script = data[CONFIG_KEYS.checkReady];
    expect(script).toContain(`gitlab-runner verify --config ${CONFIG_FILE} --name "$RUNNER_NAME"`);
    // `--url=` selected nothing before v19.3.0 (verify took --token from CI_SERVER_TOKEN).
    expect(script).not.toContain("--url=");
    expect(container.env).toContainEqual({ name: "RUNNER_NAME", value: "eci runner" });
    expect(data[CONFIG_KEYS.runnerTemplate]).toContain('name = "eci runner"');
  });

  it("serves the metrics port the liveness and startup probes read", () => {
    const { container, data } = generated();
    expect(data[CONFIG_KEYS.globalConfig]).toContain('listen_address = ":9252"');
    expect(container.ports).toEqual([{ name: "metrics", containerPort: 9252, protocol: "TCP" }]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/metrics", port: "metrics" });
    expect(container.startupProbe?.httpGet).toEqual({ path: "/metrics", port: "metrics" });
  });

  it("pulls from the chosen registry, a mirror included", () => {
    const mirror = { registry: "mirror" as const, mirror: "registry.cn-shanghai.aliyuncs.com/ci" };
    const { container, data } = generated({ images: mirror });
    expect(container.image).toBe("registry.cn-shanghai.aliyuncs.com/ci/gitlab-runner:alpine-v19.3.0");
    expect(data[CONFIG_KEYS.runnerTemplate]).toContain('image = "registry.cn-shanghai.aliyuncs.com/ci/alpine:3.20"');
    expect(generated({ images: { registry: "dockerhub" } }).container.image).toBe(
      "gitlab/gitlab-runner:alpine-v19.3.0",
    );
  });

  it("writes pod_labels with CI/CD variables as they are, for the runner to expand", () => {
    const { data } = generated({ jobPods: { podLabels: { pipeline: "$CI_PIPELINE_ID" } } });
    expect(data[CONFIG_KEYS.runnerTemplate]).toContain('pipeline = "$CI_PIPELINE_ID"');
  });
});
