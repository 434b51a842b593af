import { z } from "zod";
import { parseCpuMillicores, parseMemoryBytes, parseQuantity } from "@/lib/eci/quantity";

/**
 * Runner settings: the one schema shared by the setup wizard (one sub-schema per step, for
 * zodResolver) and the server (manifest generation, apply). Messages are shown in the form,
 * so they say what to do, not only what is wrong.
 *
 * Things that are allowed but worth a second look (http GitLab URL, `:latest`, short
 * poll_timeout…) are not errors here; `lintSettings` in lib/manifests/warnings.ts reports them.
 */

export const DEFAULT_RUNNER_VERSION = "v17.11.0";
export const DEFAULT_RUNNER_IMAGE = `gitlab/gitlab-runner:${DEFAULT_RUNNER_VERSION}`;
export const DEFAULT_HELPER_IMAGE = `gitlab/gitlab-runner-helper:x86_64-${DEFAULT_RUNNER_VERSION}`;
/**
 * The runner's own default is 180 s. An ECI job pod first waits for an instance to be created
 * (typically 10–40 s), then pulls the build, helper and service images without a node-local
 * cache; a multi-GB build image without an image cache can take several minutes. 600 s keeps a
 * cold start from failing the job while still surfacing a pod that is really stuck.
 */
export const DEFAULT_POLL_TIMEOUT_SECONDS = 600;
export const MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS = 300;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Label/annotation keys: optional DNS-subdomain prefix, then a name segment of up to 63 chars.
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
// An image reference: [registry[:port]/]path[:tag][@digest]; no spaces, no scheme.
const IMAGE_REFERENCE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const ECI_SPEC = /^(\d+(\.\d+)?-\d+(\.\d+)?Gi|ecs\.[a-z0-9]+(\.[a-z0-9-]+)+)$/;
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

const CREATE_RUNNER_HOWTO =
  "Create the runner in GitLab: Admin area, group or project → CI/CD → Runners → New runner (instance, group or project runner), " +
  "then copy the runner authentication token it shows (it starts with glrt-) and paste it here.";

export const LEGACY_TOKEN_MESSAGE =
  `This looks like a legacy registration token, which GitLab deprecated in 15.6 and is removing. ${CREATE_RUNNER_HOWTO}`;
export const NOT_A_RUNNER_TOKEN_MESSAGE = `A runner authentication token starts with glrt-. ${CREATE_RUNNER_HOWTO}`;

export const dnsLabel = (what: string) =>
  z
    .string()
    .min(1, `${what} is required`)
    .max(63, `${what} must be at most 63 characters`)
    .regex(DNS_LABEL, `${what} may contain only lowercase letters, digits and '-', and must start and end with a letter or digit`);

const mountPath = z
  .string()
  .regex(/^\/[^\s:]*$/, "Mount path must be an absolute path such as /cache, without spaces or ':'")
  .refine((p) => !p.split("/").includes(".."), "Mount path must not contain '..'");

export const imageReference = z
  .string()
  .trim()
  .min(1, "Image is required")
  .regex(IMAGE_REFERENCE, "Not a valid image reference; expected e.g. registry.example.com/group/image:1.2.3");

// lib/eci/quantity holds the one Kubernetes quantity grammar; it throws on anything else.
function wellFormed(q: string): boolean {
  try {
    parseQuantity(q);
    return true;
  } catch {
    return false;
  }
}

export const quantity = (what: string, examples = "512Mi, 2Gi or 100Gi") =>
  z
    .string()
    .trim()
    .refine(wellFormed, `${what} must be a Kubernetes quantity such as ${examples}`);

// Refinements run even after the grammar check failed; a malformed value is reported once, by it.

const cpuQuantity = (what: string) =>
  quantity(what, "250m, 0.5 or 2").refine((q) => !wellFormed(q) || parseCpuMillicores(q) > 0, `${what} must be greater than 0`);
const memoryQuantity = (what: string) =>
  quantity(what)
    .refine((q) => !/^\d+(\.\d*)?$/.test(q) || Number(q) >= 1024 * 1024, `${what} without a unit means bytes; write e.g. 512Mi or 1Gi`)
    .refine((q) => !wellFormed(q) || parseMemoryBytes(q) > 0, `${what} must be greater than 0`);

function containerResources(container: string) {
  return z
    .object({
      cpuRequest: cpuQuantity(`${container} CPU request`),
      cpuLimit: cpuQuantity(`${container} CPU limit`),
      memoryRequest: memoryQuantity(`${container} memory request`),
      memoryLimit: memoryQuantity(`${container} memory limit`),
    })
    .superRefine((r, ctx) => {
      if (wellFormed(r.cpuRequest) && wellFormed(r.cpuLimit) && parseCpuMillicores(r.cpuRequest) > parseCpuMillicores(r.cpuLimit)) {
        ctx.addIssue({ code: "custom", path: ["cpuRequest"], message: `${container} CPU request must not exceed its limit (${r.cpuLimit})` });
      }
      if (wellFormed(r.memoryRequest) && wellFormed(r.memoryLimit) && parseMemoryBytes(r.memoryRequest) > parseMemoryBytes(r.memoryLimit)) {
        ctx.addIssue({ code: "custom", path: ["memoryRequest"], message: `${container} memory request must not exceed its limit (${r.memoryLimit})` });
      }
    });
}

export type ContainerResources = z.infer<ReturnType<typeof containerResources>>;

const stringMap = z.record(z.string(), z.string());

export const labelsSchema = stringMap.superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    if (!QUALIFIED_NAME.test(key) || key.length > 316) ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not a valid label key` });
    if (!LABEL_VALUE.test(value)) {
      ctx.addIssue({ code: "custom", path: [key], message: `Label value for "${key}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit` });
    }
  }
});

export const annotationsSchema = stringMap.superRefine((annotations, ctx) => {
  for (const key of Object.keys(annotations)) {
    if (!QUALIFIED_NAME.test(key) || key.length > 316) ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not a valid annotation key` });
  }
});

/** Namespaces every cluster already has: never created, labelled or deleted by ask-ci. */
export const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

export const clusterSchema = z.object({
  namespace: dnsLabel("Namespace").refine((ns) => !ns.startsWith("kube-"), "kube-* namespaces belong to Kubernetes itself; pick a namespace for CI such as gitlab-ci"),
  /** Prefix of every object name, so two runners can live in one namespace. */
  instanceName: dnsLabel("Instance name").max(40, "Instance name must be at most 40 characters (object names get suffixes)").default("gitlab-runner"),
  createNamespace: z.boolean().default(true),
});

const runnerToken = z
  .string()
  .trim()
  .min(1, "Runner authentication token is required")
  .superRefine((token, ctx) => {
    if (token.startsWith("glrt-")) {
      // Routable tokens (GitLab 17+) add "t<n>_" partitions and ".<checksum>" parts, hence _ and .
      if (!/^glrt-[A-Za-z0-9._-]{16,}$/.test(token)) {
        ctx.addIssue({ code: "custom", message: "The token looks truncated or mistyped: a runner authentication token is glrt- followed by at least 16 letters, digits, '-', '_' or '.'" });
      }
      return;
    }
    const legacy = token.startsWith("GR1348941") || /^[A-Za-z0-9_-]{20}$/.test(token);
    ctx.addIssue({ code: "custom", message: legacy ? LEGACY_TOKEN_MESSAGE : NOT_A_RUNNER_TOKEN_MESSAGE });
  });

export const gitlabSchema = z.object({
  url: z
    .string()
    .trim()
    .url("GitLab URL must be a full URL such as https://gitlab.example.com/")
    .refine((u) => /^https?:\/\//.test(u), "GitLab URL must start with https:// (or http:// for a lab instance)")
    .refine((u) => {
      try {
        const parsed = new URL(u);
        return !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
      } catch {
        return false;
      }
    }, "GitLab URL must not contain credentials, a query or a fragment"),
  runnerToken,
  runnerName: z.string().trim().min(1, "Runner name is required").max(255, "Runner name must be at most 255 characters"),
  concurrent: z.number().int("Concurrent must be a whole number").min(1, "Concurrent must be at least 1").max(500, "Concurrent must be at most 500").default(4),
  checkIntervalSeconds: z.number().int("Check interval must be whole seconds").min(0, "Check interval cannot be negative").max(3600).default(3),
  /** PEM bundle of the CA that signed a self-hosted GitLab's certificate. */
  caCertificate: z
    .string()
    .trim()
    .refine((pem) => pem.split(/(?=-----BEGIN CERTIFICATE-----)/).every((block) => PEM_CERTIFICATE.test(block.trim() + "\n")), "CA certificate must be one or more PEM blocks (-----BEGIN CERTIFICATE----- …)")
    .optional(),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Job log size cap (runner default 4096 KiB); long Maven builds exceed it. */
  outputLimitKiB: z.number().int().min(1).max(1_048_576).default(4096),
});

export const runnerPodSchema = z.object({
  image: imageReference.default(DEFAULT_RUNNER_IMAGE),
  cpu: cpuQuantity("Runner CPU").default("250m"),
  memory: memoryQuantity("Runner memory").default("512Mi"),
});

const spotSchema = z.discriminatedUnion("strategy", [
  z.object({ strategy: z.literal("none") }),
  z.object({ strategy: z.literal("SpotAsPriceGo") }),
  z.object({
    strategy: z.literal("SpotWithPriceLimit"),
    /** CNY per hour, at most 3 decimals (ECI's rule for k8s.aliyun.com/eci-spot-price-limit). */
    priceLimit: z
      .number({ error: "Enter the highest hourly price you accept" })
      .positive("Price limit must be greater than 0")
      .refine((p) => /^\d+(\.\d{1,3})?$/.test(String(p)), "Price limit has at most 3 decimals"),
  }),
]);

export const jobPodsSchema = z.object({
  image: imageReference.default("alpine:3.20"),
  helperImage: imageReference.default(DEFAULT_HELPER_IMAGE),
  pullPolicy: z.enum(["if-not-present", "always", "never"]).default("if-not-present"),
  // Defaults add up to 1 vCPU / 2 GiB, an exact ECI spec (no paying for a round-up).
  build: containerResources("Build").default({ cpuRequest: "750m", cpuLimit: "750m", memoryRequest: "1536Mi", memoryLimit: "1536Mi" }),
  helper: containerResources("Helper").default({ cpuRequest: "250m", cpuLimit: "250m", memoryRequest: "512Mi", memoryLimit: "512Mi" }),
  services: containerResources("Service").default({ cpuRequest: "250m", cpuLimit: "250m", memoryRequest: "512Mi", memoryLimit: "512Mi" }),
  /** Ordered list for k8s.aliyun.com/eci-use-specs, e.g. ["2-4Gi", "ecs.c6.large"]. */
  eciUseSpecs: z.array(z.string().trim().regex(ECI_SPEC, "Each ECI spec is vCPU-memory like 2-4Gi or an ECS type like ecs.c6.large")).default([]),
  spot: spotSchema.default({ strategy: "none" }),
  economyCompute: z.boolean().default(false),
  /** Lets ECI match an ImageCache automatically (k8s.aliyun.com/eci-image-cache). */
  useImageCache: z.boolean().default(true),
  pollTimeoutSeconds: z.number().int().min(30, "poll_timeout below 30 s fails almost every ECI cold start").max(3600).default(DEFAULT_POLL_TIMEOUT_SECONDS),
  pollIntervalSeconds: z.number().int().min(1).max(60).default(3),
  podLabels: labelsSchema.default({}),
  podAnnotations: annotationsSchema.default({}),
});

const nasBackend = z.object({
  kind: z.literal("nas"),
  server: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i, "NAS server is a mount-target host name such as 0123abcd-xyz12.cn-hangzhou.nas.aliyuncs.com"),
  path: z.string().trim().regex(/^\/[^\s]*$/, "NAS path must be absolute, e.g. /share or /share/cache"),
});
const storageClassBackend = z.object({
  kind: z.literal("storageClass"),
  storageClassName: dnsLabel("StorageClass name").max(253),
});

export const cacheVolumeSchema = z.object({
  /** Short name used in object names: <instance>-<name>-pvc. */
  name: dnsLabel("Volume name").max(20, "Volume name must be at most 20 characters"),
  mountPath,
  size: quantity("Size").refine((q) => !wellFormed(q) || parseMemoryBytes(q) >= 2 ** 30, "Size must be at least 1Gi"),
  backend: z.discriminatedUnion("kind", [nasBackend, storageClassBackend]),
});

export const storageSchema = z.object({
  volumes: z
    .array(cacheVolumeSchema)
    .max(8)
    .default([])
    .superRefine((volumes, ctx) => {
      const seenNames = new Set<string>();
      const seenPaths = new Set<string>();
      volumes.forEach((v, i) => {
        if (seenNames.has(v.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Volume name "${v.name}" is used twice` });
        if (seenPaths.has(v.mountPath)) ctx.addIssue({ code: "custom", path: [i, "mountPath"], message: `Mount path ${v.mountPath} is used twice` });
        seenNames.add(v.name);
        seenPaths.add(v.mountPath);
      });
    }),
});

export const registrySchema = z.object({
  server: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/i, "Registry server is a host name such as registry.cn-hangzhou.aliyuncs.com (no https://)"),
  username: z.string().min(1, "Registry username is required"),
  password: z.string().min(1, "Registry password is required"),
  secretName: dnsLabel("Secret name").default("registry-auth-secret"),
  /** Where job pods find config.json; /root/.docker is where docker and kaniko look for it. */
  mountPath: mountPath.default("/root/.docker"),
});

export const imageCacheSchema = z.object({
  images: z.array(imageReference).min(1, "List at least one image to cache"),
  sizeGiB: z.number().int("Size is whole GiB").min(20, "An image cache is at least 20 GiB").max(32768, "An image cache is at most 32768 GiB").default(20),
  retentionDays: z.number().int().min(1).max(65536).optional(),
});

export const runnerSettingsSchema = z
  .object({
    cluster: clusterSchema,
    gitlab: gitlabSchema,
    runnerPod: runnerPodSchema.default(() => runnerPodSchema.parse({})),
    jobPods: jobPodsSchema.default(() => jobPodsSchema.parse({})),
    storage: storageSchema.default(() => storageSchema.parse({})),
    registry: registrySchema.optional(),
    imageCache: imageCacheSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.registry) {
      const clash = s.storage.volumes.findIndex((v) => v.mountPath === s.registry!.mountPath);
      if (clash >= 0) ctx.addIssue({ code: "custom", path: ["storage", "volumes", clash, "mountPath"], message: `${s.registry.mountPath} is already where the registry credentials are mounted` });
    }
  });

/** Settings after defaults are applied (what generators receive). */
export type RunnerSettings = z.output<typeof runnerSettingsSchema>;
/** What a form or a settings file may contain (defaults still missing). */
export type RunnerSettingsInput = z.input<typeof runnerSettingsSchema>;

/** Per-step schemas for the wizard, in step order. */
export const runnerSettingsSteps = {
  cluster: clusterSchema,
  gitlab: gitlabSchema,
  runnerPod: runnerPodSchema,
  jobPods: jobPodsSchema.default(() => jobPodsSchema.parse({})),
  storage: storageSchema,
  registry: registrySchema,
  imageCache: imageCacheSchema,
} as const;

/** Flat "field.path: message" lines, for the CLI and logs. */
export function formatSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(settings)"}: ${issue.message}`);
}
