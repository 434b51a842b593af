import { describe, expect, it } from "vitest";
import { helperImage, runnerImage } from "@/lib/manifests/images";
import { DEFAULT_RUNNER_VERSION, RUNNER_VERSIONS } from "@/lib/manifests/runner-release";
import {
  DEFAULT_POLL_TIMEOUT_SECONDS,
  LEGACY_TOKEN_MESSAGE,
  NOT_A_RUNNER_TOKEN_MESSAGE,
  formatSettingsIssues,
  gitlabSchema,
  jobPodsSchema,
  runnerSettingsSchema,
  storageSchema,
  type RunnerSettingsInput,
} from "./schema";

const minimal: RunnerSettingsInput = {
  cluster: { namespace: "gitlab-ci" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "eci" },
};

function issuesFor(input: unknown): Record<string, string> {
  const result = runnerSettingsSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("runnerSettingsSchema defaults", () => {
  it("fills the newest supported runner (Alpine, registry.gitlab.com) with its own helper, and an ECI-friendly poll_timeout", () => {
    const s = runnerSettingsSchema.parse(minimal);
    expect(s.runnerPod).toMatchObject({ version: DEFAULT_RUNNER_VERSION, flavour: "alpine" });
    expect(DEFAULT_RUNNER_VERSION).toBe(RUNNER_VERSIONS[0]);
    expect(s.images).toEqual({ registry: "gitlab" });
    expect(runnerImage(s)).toBe("registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v19.3.0");
    expect(helperImage(s)).toBe("registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v19.3.0");
    expect(s.jobPods.image).toBe("alpine:3.20");
    expect(s.jobPods.pollTimeoutSeconds).toBe(DEFAULT_POLL_TIMEOUT_SECONDS);
    expect(s.jobPods.pollTimeoutSeconds).toBeGreaterThan(180);
    expect(s.cluster.instanceName).toBe("gitlab-runner");
    expect(s.registry).toBeUndefined();
  });
});

describe("runner pod size", () => {
  it.each([
    [{ cpu: "1000" }, "runnerPod.cpu", /at most 64/],
    [{ cpu: "64001m" }, "runnerPod.cpu", /at most 64/],
    [{ memory: "2000Gi" }, "runnerPod.memory", /at most 512Gi/],
  ])("refuses %j: no ECI or ACS pod is that large", (runnerPod, path, message) => {
    expect(issuesFor({ ...minimal, runnerPod })[path]).toMatch(message);
  });

  it("accepts the largest ACS size (ECI's limit is a warning, lintSettings)", () => {
    expect(issuesFor({ ...minimal, runnerPod: { cpu: "64", memory: "512Gi" } })).toEqual({});
  });
});

describe("runner token", () => {
  it.each(["GR1348941abcdefghijklmnop", "abcdefghij0123456789"])(
    "refuses the legacy registration token %s and explains how to get a glrt- token",
    (token) => {
      const issues = issuesFor({ ...minimal, gitlab: { ...minimal.gitlab, runnerToken: token } });
      expect(issues["gitlab.runnerToken"]).toBe(LEGACY_TOKEN_MESSAGE);
      expect(LEGACY_TOKEN_MESSAGE).toMatch(/New runner/);
      expect(LEGACY_TOKEN_MESSAGE).toMatch(/glrt-/);
    },
  );

  it("refuses other non-glrt tokens with the how-to", () => {
    expect(
      issuesFor({ ...minimal, gitlab: { ...minimal.gitlab, runnerToken: "glpat-xyz" } })["gitlab.runnerToken"],
    ).toBe(NOT_A_RUNNER_TOKEN_MESSAGE);
  });

  it("accepts routable glrt- tokens with partition and checksum parts", () => {
    expect(
      issuesFor({
        ...minimal,
        gitlab: { ...minimal.gitlab, runnerToken: "glrt-t1_AbCdEfGhIjKlMnOpQrSt.01.1a2b3c4d5" },
      }),
    ).toEqual({});
  });

  it("refuses a truncated glrt- token", () => {
    expect(
      issuesFor({ ...minimal, gitlab: { ...minimal.gitlab, runnerToken: "glrt-abc" } })["gitlab.runnerToken"],
    ).toMatch(/truncated/);
  });
});

describe("gitlab step", () => {
  const base = { url: "https://gitlab.example.com", runnerToken: "glrt-abcdefghij0123456789", runnerName: "r" };
  it("accepts https and http (http only warns, see lintSettings)", () => {
    expect(gitlabSchema.safeParse(base).success).toBe(true);
    expect(gitlabSchema.safeParse({ ...base, url: "http://gitlab.lab:8080/" }).success).toBe(true);
  });
  it.each([
    "gitlab.example.com",
    "ftp://gitlab.example.com",
    "https://user:pw@gitlab.example.com",
    "https://gitlab.example.com/?x=1",
  ])("refuses URL %s", (url) => {
    expect(gitlabSchema.safeParse({ ...base, url }).success).toBe(false);
  });
  it("accepts a PEM CA and refuses junk", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----\n";
    expect(gitlabSchema.safeParse({ ...base, caCertificate: pem }).success).toBe(true);
    expect(gitlabSchema.safeParse({ ...base, caCertificate: pem + pem }).success).toBe(true);
    expect(gitlabSchema.safeParse({ ...base, caCertificate: "not a cert" }).success).toBe(false);
  });
  it("refuses concurrent 0", () => {
    expect(gitlabSchema.safeParse({ ...base, concurrent: 0 }).success).toBe(false);
  });
});

describe("cluster step", () => {
  it.each(["Gitlab", "-ci", "ci-", "a_b", "x".repeat(64), "", "kube-system"])("refuses namespace %j", (namespace) => {
    expect(issuesFor({ ...minimal, cluster: { namespace } })["cluster.namespace"]).toBeDefined();
  });
});

describe("job pods step", () => {
  const resources = { cpuRequest: "500m", cpuLimit: "1", memoryRequest: "1Gi", memoryLimit: "2Gi" };
  it.each([
    ["cpuRequest", "half"],
    ["cpuLimit", "-1"],
    ["memoryLimit", "1GB"],
    ["memoryRequest", "1 Gi"],
    ["memoryLimit", "1024"],
    ["cpuLimit", "0"],
  ])("refuses %s = %j", (field, value) => {
    const result = jobPodsSchema.safeParse({ build: { ...resources, [field]: value } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.some((i) => i.path.join(".") === `build.${field}`)).toBe(true);
  });
  it("refuses a request above its limit", () => {
    const result = jobPodsSchema.safeParse({ helper: { ...resources, cpuRequest: "2" } });
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain("helper.cpuRequest");
  });
  it("requires a price limit with 3 decimals at most for SpotWithPriceLimit", () => {
    expect(jobPodsSchema.safeParse({ spot: { strategy: "SpotWithPriceLimit" } }).success).toBe(false);
    expect(jobPodsSchema.safeParse({ spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.1234 } }).success).toBe(
      false,
    );
    expect(jobPodsSchema.safeParse({ spot: { strategy: "SpotWithPriceLimit", priceLimit: 0.25 } }).success).toBe(true);
  });
  it("validates eci-use-specs entries", () => {
    expect(jobPodsSchema.safeParse({ eciUseSpecs: ["2-4Gi", "ecs.c6.large"] }).success).toBe(true);
    expect(jobPodsSchema.safeParse({ eciUseSpecs: ["2c4g"] }).success).toBe(false);
  });
  it("validates pod label keys and values", () => {
    expect(jobPodsSchema.safeParse({ podLabels: { "example.com/team": "ci" } }).success).toBe(true);
    expect(jobPodsSchema.safeParse({ podLabels: { "bad key": "x" } }).success).toBe(false);
    expect(jobPodsSchema.safeParse({ podLabels: { team: "has space" } }).success).toBe(false);
  });
  it("refuses an image reference with a scheme", () => {
    expect(jobPodsSchema.safeParse({ image: "https://docker.io/alpine" }).success).toBe(false);
  });
});

describe("storage step", () => {
  const nas = { kind: "nas", server: "abc-123.cn-hangzhou.nas.aliyuncs.com", path: "/share" };
  it("accepts NAS and StorageClass volumes", () => {
    const result = storageSchema.safeParse({
      volumes: [
        { name: "cache", mountPath: "/cache", size: "100Gi", backend: nas },
        {
          name: "maven",
          mountPath: "/root/.m2",
          size: "50Gi",
          backend: { kind: "storageClass", storageClassName: "alibabacloud-cnfs-nas" },
        },
      ],
    });
    expect(result.success).toBe(true);
  });
  it("refuses duplicate names/paths, relative paths and tiny sizes", () => {
    const result = storageSchema.safeParse({
      volumes: [
        { name: "cache", mountPath: "/cache", size: "100Gi", backend: nas },
        { name: "cache", mountPath: "/cache", size: "100Mi", backend: { ...nas, path: "share" } },
      ],
    });
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["volumes.1.name", "volumes.1.mountPath", "volumes.1.size", "volumes.1.backend.path"]),
    );
  });
});

describe("image cache and registry", () => {
  it("enforces the ImageCache size range 20–32768 GiB", () => {
    for (const [sizeGiB, ok] of [
      [19, false],
      [20, true],
      [32768, true],
      [32769, false],
    ] as const) {
      expect(
        runnerSettingsSchema.safeParse({ ...minimal, imageCache: { images: ["alpine:3.20"], sizeGiB } }).success,
      ).toBe(ok);
    }
  });
  it("refuses an empty image list", () => {
    expect(issuesFor({ ...minimal, imageCache: { images: [] } })["imageCache.images"]).toMatch(/at least one/);
  });
  it("refuses a cache volume on the registry credentials' mount path", () => {
    const issues = issuesFor({
      ...minimal,
      registry: { server: "registry.cn-hangzhou.aliyuncs.com", username: "u", password: "p" },
      storage: {
        volumes: [
          {
            name: "docker",
            mountPath: "/root/.docker",
            size: "1Gi",
            backend: { kind: "storageClass", storageClassName: "nas" },
          },
        ],
      },
    });
    expect(issues["storage.volumes.0.mountPath"]).toMatch(/registry credentials/);
  });
  it("refuses a registry server given as a URL", () => {
    expect(
      issuesFor({ ...minimal, registry: { server: "https://registry.example.com", username: "u", password: "p" } })[
        "registry.server"
      ],
    ).toBeDefined();
  });
});

describe("formatSettingsIssues", () => {
  it("prints field path: message", () => {
    const result = runnerSettingsSchema.safeParse({ ...minimal, cluster: { namespace: "Bad" } });
    expect(formatSettingsIssues(result.error!)).toEqual([
      expect.stringMatching(/^cluster\.namespace: Namespace may contain/),
    ]);
  });
});

describe("runner version and image registry", () => {
  it("refuses a version that is not listed", () => {
    expect(issuesFor({ ...minimal, runnerPod: { version: "v17.11.0" } })["runnerPod.version"]).toMatch(
      /supported runner version: v19\.3\.0, /,
    );
  });

  it("needs a mirror prefix for the mirror registry, and takes the default job image from it", () => {
    expect(issuesFor({ ...minimal, images: { registry: "mirror" } })["images.mirror"]).toMatch(
      /registry and namespace/,
    );
    expect(issuesFor({ ...minimal, images: { registry: "mirror", mirror: "https://acr.example/ns" } })).toHaveProperty(
      "images.mirror",
    );
    const s = runnerSettingsSchema.parse({
      ...minimal,
      runnerPod: { version: "v18.11.4", flavour: "ubuntu" },
      images: { registry: "mirror", mirror: "registry.cn-hangzhou.aliyuncs.com/acme/" },
    });
    expect(s.images.mirror).toBe("registry.cn-hangzhou.aliyuncs.com/acme");
    expect(runnerImage(s)).toBe("registry.cn-hangzhou.aliyuncs.com/acme/gitlab-runner:ubuntu-v18.11.4");
    expect(helperImage(s)).toBe("registry.cn-hangzhou.aliyuncs.com/acme/gitlab-runner-helper:x86_64-v18.11.4");
    expect(s.jobPods.image).toBe("registry.cn-hangzhou.aliyuncs.com/acme/alpine:3.20");
    // A job image the user chose stays.
    expect(
      runnerSettingsSchema.parse({
        ...minimal,
        images: { registry: "mirror", mirror: "registry.cn-hangzhou.aliyuncs.com/acme" },
        jobPods: { image: "maven:3.9" },
      }).jobPods.image,
    ).toBe("maven:3.9");
  });

  it("reads version, flavour and registry back from a profile saved with a runner image", () => {
    const legacy = (image: string) =>
      runnerSettingsSchema.parse({
        ...minimal,
        runnerPod: { image },
        jobPods: { helperImage: "gitlab/gitlab-runner-helper:x86_64-v17.11.0" },
      });
    const old = legacy("gitlab/gitlab-runner:v17.11.0");
    expect(old.runnerPod).toMatchObject({ version: "v17.11.4", flavour: "ubuntu" });
    expect(old.images).toEqual({ registry: "dockerhub" });
    expect(runnerImage(old)).toBe("gitlab/gitlab-runner:ubuntu-v17.11.4");
    expect(helperImage(old)).toBe("gitlab/gitlab-runner-helper:x86_64-v17.11.4");
    expect(legacy("registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v19.2.0").runnerPod.version).toBe("v19.2.2");
    expect(legacy("registry.example.com/mirror/gitlab-runner:alpine-v16.0.0")).toMatchObject({
      runnerPod: { version: DEFAULT_RUNNER_VERSION, flavour: "alpine" },
      images: { registry: "mirror", mirror: "registry.example.com/mirror" },
    });
    // Not a runner release image: the defaults.
    expect(legacy("my/own-runner:1").runnerPod.version).toBe(DEFAULT_RUNNER_VERSION);
  });
});

describe("pod labels", () => {
  it.each([
    ["$CI_PIPELINE_ID", true],
    ["pipeline-${CI_PIPELINE_ID}", true],
    ["$CI_COMMIT_REF_SLUG.$CI_JOB_ID", true],
    ["team", true],
    ["my team", false],
    ["$CI_PIPELINE_ID and more", false],
    ["${CI_PIPELINE_ID", false],
    ["-leading", false],
  ])("value %s accepted: %s", (value, ok) => {
    const issues = issuesFor({ ...minimal, jobPods: { podLabels: { pipeline: value } } });
    expect(issues["jobPods.podLabels.pipeline"] === undefined).toBe(ok);
  });
});
