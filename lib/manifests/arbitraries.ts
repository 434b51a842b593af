import fc from "fast-check";
import { RUNNER_FLAVOURS, RUNNER_VERSIONS } from "./runner-release";
import type { RunnerSettingsInput } from "@/lib/runner-settings/schema";

/** Random settings that the schema must accept; used by the property tests. */
const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const cpu = fc.constantFrom("100m", "250m", "500m", "0.5", "1", "1.5", "2", "4");
const memory = fc.constantFrom("256Mi", "512Mi", "1Gi", "1536Mi", "2Gi", "4Gi", "8Gi");
const image = fc.constantFrom(
  "alpine:3.20",
  "maven:3.9.9-eclipse-temurin-21",
  "registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0",
  "node:22-bookworm",
);
// Requests drawn from the same list as limits, then ordered, so request <= limit holds.
const resources = fc.tuple(cpu, cpu, memory, memory).map(([a, b, c, d]) => {
  const milli = (q: string) => (q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000);
  const mib = (q: string) => (q.endsWith("Gi") ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2)));
  const [cpuRequest, cpuLimit] = milli(a) <= milli(b) ? [a, b] : [b, a];
  const [memoryRequest, memoryLimit] = mib(c) <= mib(d) ? [c, d] : [d, c];
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
});
const labelValue = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,20}[A-Za-z0-9])?$/);
const volume = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
  mountPath: fc.stringMatching(/^\/[a-z][a-z0-9._-]{0,12}$/),
  size: fc.constantFrom("1Gi", "20Gi", "100Gi", "1Ti"),
  backend: fc.oneof(
    fc.record({
      kind: fc.constant("nas" as const),
      server: fc.constantFrom("0024d203-lbsy.cn-hangzhou.extreme.nas.aliyuncs.com", "abc.nas.aliyuncs.com"),
      path: fc.constantFrom("/", "/share", "/ci/cache"),
    }),
    fc.record({
      kind: fc.constant("storageClass" as const),
      storageClassName: fc.constantFrom("alibabacloud-cnfs-nas", "alicloud-nas-subpath"),
    }),
  ),
});

export const settingsInput: fc.Arbitrary<RunnerSettingsInput> = fc.record({
  cluster: fc.record({
    namespace: dnsLabel.filter((ns) => !ns.startsWith("kube-")),
    instanceName: dnsLabel,
    createNamespace: fc.boolean(),
  }),
  gitlab: fc.record({
    url: fc.constantFrom("https://gitlab.com/", "https://gitlab.example.com", "http://gitlab.lab:8080/"),
    runnerToken: fc.stringMatching(/^glrt-[A-Za-z0-9_-]{20,30}$/),
    runnerName: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0 && s.trim() === s),
    concurrent: fc.integer({ min: 1, max: 100 }),
    checkIntervalSeconds: fc.integer({ min: 0, max: 60 }),
  }),
  runnerPod: fc.record({
    version: fc.constantFrom(...RUNNER_VERSIONS),
    flavour: fc.constantFrom(...RUNNER_FLAVOURS),
  }),
  images: fc.oneof(
    fc.constant({ registry: "gitlab" as const }),
    fc.constant({ registry: "dockerhub" as const }),
    fc.constantFrom("registry.cn-hangzhou.aliyuncs.com/acme", "harbor.example.com:5000/ci/mirror").map((mirror) => ({
      registry: "mirror" as const,
      mirror,
    })),
  ),
  jobPods: fc.record({
    image,
    build: resources,
    helper: resources,
    services: resources,
    eciUseSpecs: fc.array(fc.constantFrom("1-2Gi", "2-4Gi", "ecs.c6.large"), { maxLength: 2 }),
    spot: fc.oneof(
      fc.constant({ strategy: "none" as const }),
      fc.constant({ strategy: "SpotAsPriceGo" as const }),
      fc.integer({ min: 1, max: 5000 }).map((p) => ({ strategy: "SpotWithPriceLimit" as const, priceLimit: p / 1000 })),
    ),
    economyCompute: fc.boolean(),
    useImageCache: fc.boolean(),
    pollTimeoutSeconds: fc.integer({ min: 30, max: 3600 }),
    podLabels: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
      fc.oneof(labelValue, fc.constantFrom("$CI_PIPELINE_ID", "ref-${CI_COMMIT_REF_SLUG}")),
      { maxKeys: 3 },
    ),
    podAnnotations: fc.dictionary(fc.stringMatching(/^example\.com\/[a-z]{1,10}$/), fc.string({ maxLength: 30 }), {
      maxKeys: 3,
    }),
  }),
  storage: fc.record({
    volumes: fc
      .uniqueArray(volume, { maxLength: 3, selector: (v) => v.name })
      .filter(
        (vs) =>
          new Set(vs.map((v) => v.mountPath)).size === vs.length && vs.every((v) => v.mountPath !== "/root/.docker"),
      ),
  }),
  registry: fc.option(
    fc.record({
      server: fc.constantFrom("registry.cn-hangzhou.aliyuncs.com", "harbor.example.com:5000"),
      username: fc.string({ minLength: 1, maxLength: 20 }),
      password: fc.string({ minLength: 1, maxLength: 40 }),
    }),
    { nil: undefined },
  ),
  imageCache: fc.option(
    fc.record({
      images: fc.array(image, { minLength: 1, maxLength: 4 }),
      sizeGiB: fc.integer({ min: 20, max: 32768 }),
      retentionDays: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  distributedCache: fc.option(
    fc.record({
      region: fc.constantFrom("cn-hangzhou", "cn-beijing", "ap-southeast-1"),
      endpoint: fc.constantFrom("internal" as const, "public" as const),
      bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/),
      path: fc.constantFrom("", "gitlab-runner", "ci/cache/"),
      shared: fc.boolean(),
      accessKeyId: fc.stringMatching(/^LTAI[A-Za-z0-9]{16,20}$/),
      accessKeySecret: fc.string({ minLength: 1, maxLength: 40 }),
    }),
    { nil: undefined },
  ),
});
