import { describe, expect, it } from "vitest";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { generateManifests } from "./generate";
import { isFloatingImage } from "./images";
import { loadSeedObjects, loadSettings } from "./test-helpers";
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
