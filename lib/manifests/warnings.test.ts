import { describe, expect, it } from "vitest";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { generateManifests } from "./generate";
import { isFloatingImage } from "./images";
import { loadSeedObjects, loadSettings } from "./test-helpers";
import { CONFIG_KEYS } from "./paths";
import type { KubeObject } from "./types";
import { lintSettings, warnings } from "./warnings";

const base: RunnerSettingsInput = {
  cluster: { namespace: "ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "r" },
  storage: {
    volumes: [
      { name: "cache", mountPath: "/cache", size: "10Gi", backend: { kind: "storageClass", storageClassName: "nas" } },
    ],
  },
  imageCache: { images: ["alpine:3.20"] },
};
const lint = (patch: Partial<RunnerSettingsInput>) =>
  lintSettings(runnerSettingsSchema.parse({ ...base, ...patch })).map((w) => w.path);

describe("isFloatingImage", () => {
  it.each([
    ["alpine", true],
    ["alpine:latest", true],
    ["gitlab/gitlab-runner-helper:x86_64-latest", true],
    ["registry.example.com:5000/group/app", true],
    ["registry.example.com:5000/group/app:1.2", false],
    ["alpine@sha256:" + "a".repeat(64), false],
  ])("%s → %s", (image, expected) => expect(isFloatingImage(image)).toBe(expected));
});

describe("lintSettings", () => {
  it("is quiet for pinned, sized, cached settings", () => {
    expect(lint({})).toEqual([]);
  });
  it("warns about http, :latest, short poll_timeout, an older runner, a job image outside the mirror, spot, round-up, missing cache", () => {
    expect(lint({ gitlab: { ...base.gitlab, url: "http://gitlab.lab/" } })).toEqual(["gitlab.url"]);
    expect(lint({ jobPods: { image: "alpine:latest" } })).toEqual(["jobPods.image"]);
    expect(lint({ jobPods: { pollTimeoutSeconds: 180 } })).toEqual(["jobPods.pollTimeoutSeconds"]);
    expect(lint({ runnerPod: { version: "v17.11.4" } })).toEqual(["runnerPod.version"]);
    expect(lint({ images: { registry: "mirror", mirror: "registry.example.com/ci" } })).toEqual([]);
    expect(
      lint({ images: { registry: "mirror", mirror: "registry.example.com/ci" }, jobPods: { image: "maven:3.9" } }),
    ).toEqual(["jobPods.image"]);
    // Spot instances are 2 vCPU and up: the default 1 vCPU / 2 GiB job pod is rounded up too.
    expect(lint({ jobPods: { spot: { strategy: "SpotAsPriceGo" } } })).toEqual(["jobPods", "jobPods.spot"]);
    expect(
      lint({ jobPods: { build: { cpuRequest: "1", cpuLimit: "1", memoryRequest: "2Gi", memoryLimit: "2Gi" } } }),
    ).toEqual(["jobPods"]);
    expect(lint({ imageCache: undefined, storage: { volumes: [] } })).toEqual(["imageCache", "storage.volumes"]);
  });
  it("counts a distributed cache as a shared cache, and warns about OSS's public endpoint (traffic fee)", () => {
    const cache = {
      region: "cn-hangzhou",
      bucket: "ci-cache",
      accessKeyId: "LTAI5tExampleKeyId0001",
      accessKeySecret: "s",
    };
    expect(lint({ storage: { volumes: [] }, distributedCache: cache })).toEqual([]);
    expect(lint({ distributedCache: { ...cache, endpoint: "public" } })).toEqual(["distributedCache.endpoint"]);
    const [publicEndpoint] = lintSettings(
      runnerSettingsSchema.parse({ ...base, distributedCache: { ...cache, endpoint: "public" } }),
    );
    expect(publicEndpoint.message).toMatch(
      /^The cache goes through OSS's public endpoint: every cache download is billed/,
    );
  });
  it("warns when the runner pod is larger than ECI creates (the schema refuses what no backend runs)", () => {
    expect(lint({ runnerPod: { cpu: "32", memory: "64Gi" } })).toEqual(["runnerPod"]);
    expect(lint({ runnerPod: { cpu: "24", memory: "48Gi" } })).toEqual([]);
  });
});

describe("warnings(objects)", () => {
  it("finds nothing in our objects for the seed settings", () => {
    expect(warnings(generateManifests(loadSettings("seed-settings.yaml")))).toEqual([]);
  });

  it("finds the seed's :latest images, missing limits and default poll_timeout in the seed objects", () => {
    const seedDeployment = loadSeedObjects("gitlab-runner-deployment.yaml");
    const seedCache = loadSeedObjects("imagecache.yaml");
    const messages = warnings([...seedDeployment, ...seedCache]).map((w) => `${w.path}: ${w.message}`);
    expect(messages.filter((m) => m.includes("gitlab/gitlab-runner:latest"))).toHaveLength(2);
    expect(messages.some((m) => m.startsWith("Deployment/gitlab-runner") && m.includes("no CPU/memory limits"))).toBe(
      true,
    );
    expect(messages.some((m) => m.includes("x86_64-latest"))).toBe(true);
  });
});

describe("lintSettings on ACS", () => {
  it("warns that best-effort pods may be evicted, only on ACS", () => {
    expect(lint({ jobPods: { backend: "acs", qos: "best-effort" } })).toEqual(["jobPods.qos"]);
    const [bestEffort] = lintSettings(
      runnerSettingsSchema.parse({ ...base, jobPods: { backend: "acs", qos: "best-effort" } }),
    );
    expect(bestEffort.message).toMatch(
      /^Best-effort ACS pods cost about a fifth of the default QoS, but ACS may evict them/,
    );
    expect(lint({ jobPods: { backend: "acs" } })).toEqual([]);
  });

  it("names the ECI-only settings ACS job pods ignore, and stays quiet about ECI's own notes there", () => {
    const settings = runnerSettingsSchema.parse({
      ...base,
      jobPods: {
        backend: "acs",
        eciUseSpecs: ["2-4Gi"],
        spot: { strategy: "SpotAsPriceGo" },
        economyCompute: true,
        useImageCache: true,
      },
      imageCache: undefined,
    });
    expect(lintSettings(settings)).toEqual([
      {
        path: "jobPods.backend",
        message:
          "Job pods run on ACS, so the ECI-only settings (eci-use-specs, spot, economy) are not written: ACS bills its normalised spec at its class and QoS price.",
      },
    ]);
    expect(
      lintSettings(runnerSettingsSchema.parse({ ...base, jobPods: { backend: "acs", economyCompute: true } })),
    ).toMatchObject([{ path: "jobPods.backend", message: expect.stringContaining("settings (economy) are") }]);
  });

  it("warns about a runner pod ACS needs a quota ticket for (the schema refuses what ACS cannot create)", () => {
    expect(
      lintSettings(runnerSettingsSchema.parse({ ...base, runnerPod: { backend: "acs", cpu: "24", memory: "48Gi" } })),
    ).toEqual([
      {
        path: "runnerPod",
        message:
          "The runner pod on ACS: ACS pods above 16 vCPU / 128 GiB need a quota increase (a ticket) before 24 vCPU / 48 GiB can be created.",
      },
    ]);
    expect(lint({ runnerPod: { backend: "acs", cpu: "64", memory: "512Gi" } })).toEqual(["runnerPod"]);
    expect(lint({ runnerPod: { backend: "acs", cpu: "2", memory: "4Gi" } })).toEqual([]);
  });
});

describe("lintSettings messages", () => {
  it("says what each risk costs", () => {
    const messages = (patch: Partial<RunnerSettingsInput>) =>
      lintSettings(runnerSettingsSchema.parse({ ...base, ...patch })).map((w) => `${w.path}: ${w.message}`);
    expect(messages({ gitlab: { ...base.gitlab, url: "http://gitlab.lab/" } })).toEqual([
      "gitlab.url: GitLab is reached over plain http: the runner token and job logs travel unencrypted. Use https unless this is a lab.",
    ]);
    expect(messages({ imageCache: { images: ["alpine:3.20", "maven"] } })).toEqual([
      "imageCache.images.1: Image maven is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.",
    ]);
    expect(
      messages({ images: { registry: "mirror", mirror: "registry.example.com/ci" }, jobPods: { image: "maven:3.9" } }),
    ).toEqual([
      "jobPods.image: The default job image maven:3.9 is not in your mirror registry.example.com/ci; where Docker Hub cannot be reached, jobs without an image of their own fail to pull it.",
    ]);
    expect(messages({ runnerPod: { version: "v17.11.4" } })[0]).toMatch(
      /^runnerPod.version: Runner v17.11.4 is older than v\d+\.\d+\.\d+; keep it only while/,
    );
    expect(messages({ jobPods: { pollTimeoutSeconds: 299 } })).toEqual([
      "jobPods.pollTimeoutSeconds: poll_timeout 299 s is short for ECI: creating the instance and pulling uncached images often takes minutes. 300 s or more is safer.",
    ]);
    expect(messages({ jobPods: { pollTimeoutSeconds: 300 } })).toEqual([]);
    expect(messages({ runnerPod: { cpu: "32", memory: "64Gi" } })[0]).toMatch(
      /^runnerPod: The runner pod cannot run on ECI: No ECI spec offered in all regions fits 32 vCPU \/ 64 GiB/,
    );
    expect(messages({ jobPods: { eciUseSpecs: ["1-2Gi"] } })).toEqual([
      "jobPods.eciUseSpecs: With eci-use-specs set, ECI bills the listed spec, not the CPU/memory limits below.",
    ]);
    expect(messages({ jobPods: { spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.5 } } })).toContain(
      "jobPods.spot: Spot job pods can be reclaimed after the 1-hour protection period; keep jobs short or use retry: in .gitlab-ci.yml.",
    );
    expect(messages({ imageCache: undefined })).toEqual([
      "imageCache: Job pods ask for an image cache but none is defined; ECI will match only caches created elsewhere (or automatically).",
    ]);
    expect(messages({ imageCache: undefined, jobPods: { useImageCache: false } })).toEqual([]);
    expect(messages({ storage: { volumes: [] } })).toEqual([
      "storage.volumes: No shared cache volume and no distributed cache: every job pod starts empty and downloads its dependencies again.",
    ]);
  });
});

describe("warnings(objects), object by object", () => {
  const configMap = (toml: string): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "runner" },
    data: { [CONFIG_KEYS.runnerTemplate]: toml },
  });
  const deployment = (containers: unknown[]): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "runner" },
    spec: { template: { spec: { containers } } },
  });

  it("reads each container and sidecar limit, pinned images and poll_timeout in a hand-edited config.toml", () => {
    const toml = [
      "[[runners]]",
      "[runners.kubernetes]",
      'cpu_limit = "1"',
      'memory_limit = "2Gi"',
      'helper_cpu_limit = "250m"',
      'service_cpu_limit = "250m"',
      'service_memory_limit = "512Mi"',
      'image = "alpine:3.20"',
      'helper_image = "gitlab/gitlab-runner-helper:x86_64-latest"',
    ].join("\n");
    expect(warnings([configMap(toml)])).toEqual([
      {
        path: "ConfigMap/runner",
        message:
          "config.toml has no helper_CPU/memory limit: job pods then size from requests or ECI's 2 vCPU / 4 GiB default.",
      },
      {
        path: "ConfigMap/runner",
        message:
          "config.toml helper_image gitlab/gitlab-runner-helper:x86_64-latest is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.",
      },
      {
        path: "ConfigMap/runner",
        message: "config.toml poll_timeout is the default 180 s; ECI cold starts need 300 s or more.",
      },
    ]);
  });

  it("names the build container's limits 'build', and a short poll_timeout by its value", () => {
    const toml = [
      "[[runners]]",
      "[runners.kubernetes]",
      'memory_limit = "2Gi"',
      'helper_cpu_limit = "1"',
      'helper_memory_limit = "1Gi"',
      'service_cpu_limit = "1"',
      'service_memory_limit = "1Gi"',
      "poll_timeout = 299",
    ].join("\n");
    expect(warnings([configMap(toml)]).map((w) => w.message)).toEqual([
      "config.toml has no build CPU/memory limit: job pods then size from requests or ECI's 2 vCPU / 4 GiB default.",
      "config.toml poll_timeout is 299 s; ECI cold starts need 300 s or more.",
    ]);
    expect(warnings([configMap(toml.replace("poll_timeout = 299", "poll_timeout = 300"))])).toHaveLength(1);
    expect(warnings([configMap("concurrent = 1")])).toEqual([]);
    expect(
      warnings([configMap(toml.replace("[runners.kubernetes]", '[runners.kubernetes]\nimage = "maven"'))]),
    ).toContainEqual({
      path: "ConfigMap/runner",
      message:
        "config.toml image maven is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.",
    });
    expect(warnings([{ ...configMap(""), data: undefined }])).toEqual([]);
  });

  it("warns about a container missing either limit, and reads a Deployment without a pod template", () => {
    const limits = (l: Record<string, string> | undefined) => ({
      name: "runner",
      image: "a:1",
      resources: { limits: l },
    });
    const paths = (c: unknown) => warnings([deployment([c])]).map((w) => w.message);
    expect(paths(limits({ cpu: "1" }))).toEqual([
      "Container runner has no CPU/memory limits: ECI then sizes the pod from requests or its 2 vCPU / 4 GiB default.",
    ]);
    expect(paths(limits({ memory: "1Gi" }))).toHaveLength(1);
    expect(paths(limits(undefined))).toHaveLength(1);
    expect(paths({ name: "runner", image: "a:1" })).toHaveLength(1);
    expect(paths(limits({ cpu: "1", memory: "1Gi" }))).toEqual([]);
    expect(paths({ name: "runner", image: "a", resources: { limits: { cpu: "1", memory: "1Gi" } } })).toEqual([
      "Container runner image a is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.",
    ]);
    const bare: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "runner" } };
    expect(warnings([bare, { ...bare, spec: { template: {} } }])).toEqual([]);
  });

  it("reads the pod spec of every workload kind a hand-edited bundle may add, and of nothing else", () => {
    const unpinned = [{ name: "tool", image: "busybox", resources: { limits: { cpu: "1", memory: "1Gi" } } }];
    const template = { template: { spec: { containers: unpinned } } };
    const objects: KubeObject[] = [
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: unpinned } },
      { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s" }, spec: template },
      { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "d" }, spec: template },
      { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r" }, spec: template },
      { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, spec: template },
      { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { jobTemplate: { spec: template } } },
      // Not a workload: a Service never runs a pod, whatever its spec says.
      { apiVersion: "v1", kind: "Service", metadata: { name: "svc" }, spec: { containers: unpinned, ...template } },
    ];
    expect(warnings(objects).map((w) => w.path)).toEqual([
      "Pod/p",
      "StatefulSet/s",
      "DaemonSet/d",
      "ReplicaSet/r",
      "Job/j",
      "CronJob/c",
    ]);
    expect(warnings([{ ...objects[0], spec: { containers: [{ name: "tool", image: "busybox:1.36" }] } }])).toEqual([
      {
        path: "Pod/p",
        message:
          "Container tool has no CPU/memory limits: ECI then sizes the pod from requests or its 2 vCPU / 4 GiB default.",
      },
    ]);
    expect(
      warnings([
        { ...objects[5], spec: { jobTemplate: {} } },
        { ...objects[0], spec: undefined },
      ]),
    ).toEqual([]);
  });

  it("checks only ConfigMaps' config.toml (a Secret with the same key is not read)", () => {
    const toml = "[[runners]]\n[runners.kubernetes]\n";
    expect(warnings([{ ...configMap(toml), kind: "Secret" }])).toEqual([]);
    expect(warnings([configMap(toml)])).toHaveLength(4);
  });

  it("names the cached image that is not pinned", () => {
    const cache: KubeObject = {
      apiVersion: "eci.alibabacloud.com/v1",
      kind: "ImageCache",
      metadata: { name: "c" },
      spec: { images: ["alpine:3.20", "maven"] },
    };
    expect(warnings([{ ...cache, spec: {} }])).toEqual([]);
    expect(warnings([cache]).map((w) => w.message)).toEqual([
      "Cached image maven is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.",
    ]);
  });
});
