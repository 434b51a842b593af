import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { redactedHeader } from "@/lib/wizard/download.server";
import { generateManifests } from "./generate";
import { toHelmValues } from "./helm-values";
import { ossS3Endpoint } from "./oss-cache";
import { CONFIG_KEYS } from "./paths";
import { toYaml } from "./yaml";

const base: RunnerSettingsInput = {
  cluster: { namespace: "ci", instanceName: "runner" },
  gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-abcdefghij0123456789", runnerName: "eci runner" },
};
const oss = {
  region: "cn-hangzhou",
  bucket: "acme-ci-cache",
  path: "gitlab-runner/",
  shared: true,
  accessKeyId: "LTAI5tExampleKeyId0001",
  accessKeySecret: "s3cr3t-value-0001",
};

function objectsFor(patch: Partial<RunnerSettingsInput>) {
  const objects = generateManifests(runnerSettingsSchema.parse({ ...base, ...patch }));
  const configMap = objects.find((o) => o.kind === "ConfigMap") as IConfigMap;
  const deployment = objects.find((o) => o.kind === "Deployment") as IDeployment;
  return { objects, configMap, deployment, template: parse(configMap.data![CONFIG_KEYS.runnerTemplate]) };
}

describe("OSS endpoint", () => {
  it.each([
    ["internal", undefined, "s3.oss-cn-hangzhou-internal.aliyuncs.com"],
    ["public", undefined, "s3.oss-cn-hangzhou.aliyuncs.com"],
    ["custom", "cache.example.com", "cache.example.com"],
  ] as const)("%s → %s", (endpoint, customEndpoint, expected) => {
    expect(ossS3Endpoint({ region: "cn-hangzhou", endpoint, customEndpoint })).toBe(expected);
  });

  it("ignores a custom endpoint left over after choosing the internal one", () => {
    expect(ossS3Endpoint({ region: "cn-hangzhou", endpoint: "internal", customEndpoint: "cache.example.com" })).toBe(
      "s3.oss-cn-hangzhou-internal.aliyuncs.com",
    );
  });
});

describe("distributed cache on OSS", () => {
  it("writes [runners.cache] with the S3 settings OSS needs and no credentials", () => {
    const { template, configMap } = objectsFor({ distributedCache: oss });
    const [runner] = template.runners as Array<Record<string, unknown>>;
    expect(runner.cache).toEqual({
      Type: "s3",
      Path: "gitlab-runner",
      Shared: true,
      s3: {
        ServerAddress: "s3.oss-cn-hangzhou-internal.aliyuncs.com",
        BucketName: "acme-ci-cache",
        BucketLocation: "cn-hangzhou",
        AuthenticationType: "access-key",
        PathStyle: false,
      },
    });
    expect(JSON.stringify(configMap)).not.toContain(oss.accessKeySecret);
    expect(JSON.stringify(configMap)).not.toContain(oss.accessKeyId);
  });

  it("puts the AccessKey pair in its own Secret, read by register through CACHE_S3_* env", () => {
    const { objects, deployment } = objectsFor({ distributedCache: oss });
    const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === "oss-cache-secret") as ISecret;
    expect(secret.type).toBe("Opaque");
    expect(Buffer.from(secret.data!.accesskey, "base64").toString()).toBe(oss.accessKeyId);
    expect(Buffer.from(secret.data!.secretkey, "base64").toString()).toBe(oss.accessKeySecret);
    const env = deployment.spec!.template.spec!.containers[0].env!;
    expect(env.filter((e) => e.name.startsWith("CACHE_S3_"))).toEqual([
      { name: "CACHE_S3_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "oss-cache-secret", key: "accesskey" } } },
      { name: "CACHE_S3_SECRET_KEY", valueFrom: { secretKeyRef: { name: "oss-cache-secret", key: "secretkey" } } },
    ]);
    // The Secret comes before the Deployment that reads it.
    const order = objects.map((o) => o.kind);
    expect(order.indexOf("Secret")).toBeLessThan(order.indexOf("Deployment"));
  });

  it("drops only the trailing slash of a nested path prefix", () => {
    const { template } = objectsFor({ distributedCache: { ...oss, path: "acme/gitlab-runner/" } });
    expect((template.runners as { cache: { Path: string } }[])[0].cache.Path).toBe("acme/gitlab-runner");
  });

  it("rolls the runner pod when the AccessKey changes", () => {
    const checksum = (secret: string) =>
      objectsFor({ distributedCache: { ...oss, accessKeySecret: secret } }).deployment.spec!.template.metadata!
        .annotations!["ask-ci.io/config-checksum"];
    expect(checksum("first")).not.toBe(checksum("second"));
  });

  it("writes nothing about a cache without one", () => {
    const { objects, template, deployment } = objectsFor({});
    expect((template.runners as Array<Record<string, unknown>>)[0].cache).toBeUndefined();
    expect(objects.some((o) => o.metadata.name === "oss-cache-secret")).toBe(false);
    expect(deployment.spec!.template.spec!.containers[0].env!.some((e) => e.name.startsWith("CACHE_"))).toBe(false);
  });

  it("redacts the AccessKey secret in a download without secrets and says how to create the Secret", () => {
    const { objects } = objectsFor({ distributedCache: oss });
    const yaml = toYaml(objects, { redactSecrets: true });
    expect(yaml).not.toContain(Buffer.from(oss.accessKeySecret).toString("base64"));
    expect(redactedHeader("ci", "runner-token", undefined, "oss-cache-secret")).toContain(
      "create secret generic oss-cache-secret --from-literal=accesskey=",
    );
  });

  it("names the cache Secret in Helm values (the chart's runners.cache.secretName)", () => {
    const values = toHelmValues(runnerSettingsSchema.parse({ ...base, distributedCache: oss }));
    expect(values).toContain("secretName: oss-cache-secret");
    expect(values).not.toContain(oss.accessKeySecret);
    expect(values).toContain('Type = "s3"');
  });
});

describe("distributed cache settings", () => {
  const parseCache = (cache: Record<string, unknown>) =>
    runnerSettingsSchema.safeParse({ ...base, distributedCache: { ...oss, ...cache } });
  const messages = (cache: Record<string, unknown>) => {
    const result = parseCache(cache);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it.each([
    [{ bucket: "Acme_Cache" }, "distributedCache.bucket: Bucket names are 3-63"],
    [{ bucket: "ab" }, "distributedCache.bucket: Bucket names are 3-63"],
    [{ region: "Hangzhou" }, "distributedCache.region: Region is an Alibaba Cloud region id"],
    [{ path: "/abs" }, "distributedCache.path: Path prefix is a relative key prefix"],
    [{ path: "a/../b" }, "distributedCache.path: Path prefix is a relative key prefix"],
    [{ accessKeyId: "short" }, "distributedCache.accessKeyId: AccessKey ID is the RAM user's AccessKey ID"],
    [{ accessKeySecret: "" }, "distributedCache.accessKeySecret: AccessKey secret is required"],
    [{ endpoint: "custom" }, "distributedCache.customEndpoint: Custom endpoint is the host name"],
    [
      { endpoint: "custom", customEndpoint: "https://x.example.com" },
      "distributedCache.customEndpoint: Custom endpoint",
    ],
  ])("refuses %j with a message that says what to do", (cache, expected) => {
    expect(messages(cache).join("\n")).toContain(expected);
  });

  it("accepts a custom domain and an empty prefix", () => {
    expect(messages({ endpoint: "custom", customEndpoint: "cache.example.com", path: "" })).toEqual([]);
  });

  it("refuses the registry's Secret name for the cache Secret", () => {
    const result = runnerSettingsSchema.safeParse({
      ...base,
      registry: { server: "registry.example.com", username: "u", password: "p", secretName: "shared" },
      distributedCache: { ...oss, secretName: "shared" },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["distributedCache", "secretName"]);
  });
});
