import { beforeEach, describe, expect, it } from "vitest";
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { parse } from "yaml";
import { runnerTemplate } from "./config-toml";
import { splitImage, toHelmValues } from "./helm-values";
import { RUNNER_RULES } from "./rbac";
import { loadSettings } from "./test-helpers";

const settings = loadSettings("example-settings.yaml");

describe("toHelmValues", () => {
  // Built before each test, not while collecting them, so a mutation run counts it as the tests' code.
  let values: ReturnType<typeof parse>;
  beforeEach(() => {
    values = parse(toHelmValues(settings));
  });

  it("sets the chart's top-level values from the settings", () => {
    expect(values.gitlabUrl).toBe(settings.gitlab.url);
    expect(values.concurrent).toBe(settings.gitlab.concurrent);
    expect(values.checkInterval).toBe(settings.gitlab.checkIntervalSeconds);
    expect(values.image).toEqual({
      registry: "registry.gitlab.com",
      image: "gitlab-org/gitlab-runner",
      tag: "alpine-v19.3.0",
    });
    // The chart's own default user is the Alpine image's.
    expect(values.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 100, fsGroup: 65533 });
    expect(values.rbac).toEqual({ create: true, rules: RUNNER_RULES });
    expect(values.imagePullPolicy).toBe("IfNotPresent");
    expect(values.podAnnotations).toEqual({ "k8s.aliyun.com/eci-image-cache": "true" });
    const { cpu, memory } = settings.runnerPod;
    expect(values.resources).toEqual({ requests: { cpu, memory }, limits: { cpu, memory } });
  });

  it("leaves out our ConfigMap's CA path (the chart mounts its own ConfigMap) and ends runners.config in one newline", () => {
    const ca = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    const withCa = parse(toHelmValues({ ...settings, gitlab: { ...settings.gitlab, caCertificate: ca } }));
    expect(withCa.runners.config).not.toContain("tls-ca-file");
    expect(values.runners.config).toMatch(/[^\n]\n$/);
    expect(values.runners.config.startsWith("[[runners]]")).toBe(true);
  });

  it("writes long lines unfolded, so runners.config stays one literal block", () => {
    const url = `https://gitlab.example.com/${"very-long-group/".repeat(8)}`;
    const text = toHelmValues({ ...settings, gitlab: { ...settings.gitlab, url } });
    expect(text).toContain(`gitlabUrl: ${url}\n`);
  });

  it("never contains the token; points at the token Secret instead", () => {
    expect(JSON.stringify(values)).not.toContain(settings.gitlab.runnerToken);
    expect(values.runnerToken).toBeUndefined();
    expect(values.runners.secret).toBe("gitlab-runner-token");
  });

  it("puts the same [[runners]] template in runners.config as the plain manifests use", () => {
    expect(parseToml(values.runners.config)).toEqual(parseToml(stringifyToml(runnerTemplate(settings))));
  });
});

describe("splitImage", () => {
  it.each([
    ["gitlab/gitlab-runner:v17.11.0", { registry: "docker.io", image: "gitlab/gitlab-runner", tag: "v17.11.0" }],
    [
      "registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v17.11.0",
      { registry: "registry.gitlab.com", image: "gitlab-org/gitlab-runner", tag: "alpine-v17.11.0" },
    ],
    ["localhost:5000/runner:1", { registry: "localhost:5000", image: "runner", tag: "1" }],
    ["localhost/runner:1", { registry: "localhost", image: "runner", tag: "1" }],
    // no tag: the chart's default, latest
    ["gitlab/gitlab-runner", { registry: "docker.io", image: "gitlab/gitlab-runner", tag: "latest" }],
    ["alpine", { registry: "docker.io", image: "alpine", tag: "latest" }],
    ["localhost:5000/runner", { registry: "localhost:5000", image: "runner", tag: "latest" }],
  ])("%s", (image, expected) => expect(splitImage(image)).toEqual(expected));
});
