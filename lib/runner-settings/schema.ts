import { z } from "zod";
import { ACS_CLASS_LIMITS } from "@ask-ci/billing/acs/specs";
import { ACS_COMPUTE_CLASSES, ACS_QOS_CLASSES } from "@ask-ci/billing/acs/labels";
import { BACKENDS } from "@ask-ci/billing/placement";
import { parseCpuMillicores, parseMemoryBytes, parseQuantity } from "@ask-ci/billing/eci/quantity";
import type { Locale } from "@/lib/i18n/locales";
import {
  DEFAULT_JOB_IMAGE,
  DEFAULT_RUNNER_VERSION,
  IMAGE_REGISTRIES,
  RUNNER_FLAVOURS,
  RUNNER_VERSIONS,
  defaultJobImageFor,
  parseRunnerImage,
  supportedVersionFor,
} from "@/lib/manifests/runner-release";
import {
  englishValidation,
  validationFor,
  type Validation,
  type ValidationKey,
  type ValidationT,
} from "@/lib/i18n/validation";

/**
 * Runner settings: the one schema shared by the setup wizard (one sub-schema per step, for
 * zodResolver) and the server (manifest generation, apply). Messages are shown in the form,
 * so they say what to do, not only what is wrong; their text is in the "validation" catalog
 * (English by default, runnerSchemasFor(locale) for the user's language).
 *
 * Things that are allowed but worth a second look (http GitLab URL, `:latest`, short
 * poll_timeout…) are not errors here; `lintSettings` in lib/manifests/warnings.ts reports them.
 */

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
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/**
 * A pod_labels value that names CI/CD variables ($CI_PIPELINE_ID, ${CI_COMMIT_REF_SLUG}): the runner
 * expands it per job and then sanitizes it to a label value (executors/kubernetes: buildLabels →
 * sanitizeLabel(ExpandValue(v))), so only its literal parts are checked.
 */
const LABEL_VALUE_WITH_VARIABLES = /^(?=.*\$)([-A-Za-z0-9_.]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;
const MIRROR_PREFIX = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)+\/?$/;
// An image reference: [registry[:port]/]path[:tag][@digest]; no spaces, no scheme.
const IMAGE_REFERENCE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const ECI_SPEC = /^(\d+(\.\d+)?-\d+(\.\d+)?Gi|ecs\.[a-z0-9]+(\.[a-z0-9-]+)+)$/;
// OSS bucket names: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
const OSS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// Region ids as OSS endpoints use them: cn-hangzhou, ap-southeast-1, us-west-1 …
const OSS_REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;
// A key prefix: path segments of safe characters, no leading slash, no "..".
const OSS_PATH_PREFIX = /^$|^(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/;
// RAM AccessKey IDs are letters and digits (LTAI…); STS ids (STS.…) need a session token we do not take.
const ACCESS_KEY_ID = /^[A-Za-z0-9]{16,64}$/;
const HOST_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+(:\d{1,5})?$/i;
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

// packages/billing/src/eci/quantity holds the one Kubernetes quantity grammar; it throws on anything else.
function wellFormed(q: string): boolean {
  try {
    parseQuantity(q);
    return true;
  } catch {
    return false;
  }
}

const LARGEST_POD = ACS_CLASS_LIMITS["general-purpose"].largest;

/** Namespaces every cluster already has: never created, labelled or deleted by ask-ci. */
export const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

type Container = "build" | "helper" | "service";

/**
 * Every runner schema, with its messages from `t`. The exports below are the English build
 * (CLI, logs, server code); runnerSchemasFor(locale) gives the one a user reads.
 */
export function buildRunnerSchemas(t: ValidationT) {
  const dnsLabel = (field: ValidationKey) =>
    z
      .string()
      .min(1, t("runner.dnsLabelRequired", { field: t(field) }))
      .max(63, t("runner.dnsLabelTooLong", { field: t(field), max: 63 }))
      .regex(DNS_LABEL, t("runner.dnsLabelFormat", { field: t(field) }));

  const mountPath = z
    .string()
    .regex(/^\/[^\s:]*$/, t("runner.mountPathFormat"))
    .refine((p) => !p.split("/").includes(".."), t("runner.mountPathParent"));

  const imageReference = z
    .string()
    .trim()
    .min(1, t("runner.imageRequired"))
    .regex(IMAGE_REFERENCE, t("runner.imageFormat"));

  const quantity = (field: string, examples = "512Mi, 2Gi or 100Gi") =>
    z.string().trim().refine(wellFormed, t("runner.quantityFormat", { field, examples }));

  // Refinements run even after the grammar check failed; a malformed value is reported once, by it.

  const cpuQuantity = (field: string) =>
    quantity(field, "250m, 0.5 or 2").refine(
      (q) => !wellFormed(q) || parseCpuMillicores(q) > 0,
      t("runner.quantityPositive", { field }),
    );
  const memoryQuantity = (field: string) =>
    quantity(field)
      .refine((q) => !/^\d+(\.\d*)?$/.test(q) || Number(q) >= 1024 * 1024, t("runner.memoryWithoutUnit", { field }))
      .refine((q) => !wellFormed(q) || parseMemoryBytes(q) > 0, t("runner.quantityPositive", { field }));

  function containerResources(container: Container) {
    const named = { container: t(`containers.${container}`) };
    const field = {
      cpuRequest: t("fields.cpuRequest", named),
      cpuLimit: t("fields.cpuLimit", named),
      memoryRequest: t("fields.memoryRequest", named),
      memoryLimit: t("fields.memoryLimit", named),
    };
    return z
      .object({
        cpuRequest: cpuQuantity(field.cpuRequest),
        cpuLimit: cpuQuantity(field.cpuLimit),
        memoryRequest: memoryQuantity(field.memoryRequest),
        memoryLimit: memoryQuantity(field.memoryLimit),
      })
      .superRefine((r, ctx) => {
        if (
          wellFormed(r.cpuRequest) &&
          wellFormed(r.cpuLimit) &&
          parseCpuMillicores(r.cpuRequest) > parseCpuMillicores(r.cpuLimit)
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["cpuRequest"],
            message: t("runner.requestAboveLimit", { field: field.cpuRequest, limit: r.cpuLimit }),
          });
        }
        if (
          wellFormed(r.memoryRequest) &&
          wellFormed(r.memoryLimit) &&
          parseMemoryBytes(r.memoryRequest) > parseMemoryBytes(r.memoryLimit)
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["memoryRequest"],
            message: t("runner.requestAboveLimit", { field: field.memoryRequest, limit: r.memoryLimit }),
          });
        }
      });
  }

  const stringMap = z.record(z.string(), z.string());

  const labelsSchema = stringMap.superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      if (!QUALIFIED_NAME.test(key) || key.length > 316)
        ctx.addIssue({ code: "custom", path: [key], message: t("runner.labelKey", { key }) });
      if (!LABEL_VALUE.test(value) && !(LABEL_VALUE_WITH_VARIABLES.test(value) && value.length <= 253))
        ctx.addIssue({ code: "custom", path: [key], message: t("runner.labelValue", { key }) });
    }
  });

  const annotationsSchema = stringMap.superRefine((annotations, ctx) => {
    for (const key of Object.keys(annotations)) {
      if (!QUALIFIED_NAME.test(key) || key.length > 316)
        ctx.addIssue({ code: "custom", path: [key], message: t("runner.annotationKey", { key }) });
    }
  });

  const clusterSchema = z.object({
    namespace: dnsLabel("fields.namespace").refine((ns) => !ns.startsWith("kube-"), t("runner.kubeNamespace")),
    /** Prefix of every object name, so two runners can live in one namespace. */
    instanceName: dnsLabel("fields.instanceName").max(40, t("runner.instanceNameTooLong")).default("gitlab-runner"),
    createNamespace: z.boolean().default(true),
  });

  const howTo = t("runner.createRunnerHowTo");
  const runnerToken = z
    .string()
    .trim()
    .min(1, t("runner.tokenRequired"))
    .superRefine((token, ctx) => {
      if (token.startsWith("glrt-")) {
        // Routable tokens (GitLab 17+) add "t<n>_" partitions and ".<checksum>" parts, hence _ and .
        if (!/^glrt-[A-Za-z0-9._-]{16,}$/.test(token))
          ctx.addIssue({ code: "custom", message: t("runner.tokenTruncated") });
        return;
      }
      const legacy = token.startsWith("GR1348941") || /^[A-Za-z0-9_-]{20}$/.test(token);
      ctx.addIssue({ code: "custom", message: t(legacy ? "runner.tokenLegacy" : "runner.tokenNotRunner", { howTo }) });
    });

  const gitlabSchema = z.object({
    url: z
      .string()
      .trim()
      .url(t("runner.gitlabUrlInvalid"))
      .refine((u) => /^https?:\/\//.test(u), t("runner.gitlabUrlScheme"))
      .refine((u) => {
        try {
          const parsed = new URL(u);
          return !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
        } catch {
          return false;
        }
      }, t("runner.gitlabUrlExtras")),
    runnerToken,
    runnerName: z
      .string()
      .trim()
      .min(1, t("runner.runnerNameRequired"))
      .max(255, t("runner.runnerNameTooLong", { max: 255 })),
    concurrent: z
      .number()
      .int(t("runner.concurrentInteger"))
      .min(1, t("runner.concurrentMin", { min: 1 }))
      .max(500, t("runner.concurrentMax", { max: 500 }))
      .default(4),
    checkIntervalSeconds: z
      .number()
      .int(t("runner.checkIntervalInteger"))
      .min(0, t("runner.checkIntervalNegative"))
      .max(3600)
      .default(3),
    /** PEM bundle of the CA that signed a self-hosted GitLab's certificate. */
    caCertificate: z
      .string()
      .trim()
      .refine(
        (pem) =>
          pem.split(/(?=-----BEGIN CERTIFICATE-----)/).every((block) => PEM_CERTIFICATE.test(block.trim() + "\n")),
        t("runner.caCertificateFormat"),
      )
      .optional(),
    logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** Job log size cap (runner default 4096 KiB); long Maven builds exceed it. */
    outputLimitKiB: z.number().int().min(1).max(1_048_576).default(4096),
  });

  // No serverless pod is larger than ACS's 64 vCPU / 512 GiB (ECI's all-region table stops at 24 / 192):
  // a size beyond it can never run, so it is an error here; what one backend cannot run is a warning.
  // Where pods run: ECI (the virtual node's default on ACK Serverless) or ACS, written as the labels
  // ACS reads (alibabacloud.com/acs, compute-class, compute-qos). The runner pod always runs at the
  // default QoS: a best-effort runner evicted mid-job takes its running jobs with it.
  const podBackendSchema = z.enum(BACKENDS).default("eci");
  const computeClassSchema = z.enum(ACS_COMPUTE_CLASSES).default("general-purpose");

  const runnerPodSchema = z.object({
    backend: podBackendSchema,
    computeClass: computeClassSchema,
    /** A release from RUNNER_VERSIONS; the helper image always has the same version. */
    version: z
      .enum(RUNNER_VERSIONS, t("runner.runnerVersion", { versions: RUNNER_VERSIONS.join(", ") }))
      .default(DEFAULT_RUNNER_VERSION),
    flavour: z.enum(RUNNER_FLAVOURS).default("alpine"),
    cpu: cpuQuantity(t("fields.runnerCpu"))
      .refine((q) => !wellFormed(q) || parseCpuMillicores(q) <= LARGEST_POD.vcpu * 1000, {
        message: t("runner.quantityTooLarge", { field: t("fields.runnerCpu"), max: `${LARGEST_POD.vcpu}` }),
      })
      .default("250m"),
    memory: memoryQuantity(t("fields.runnerMemory"))
      .refine((q) => !wellFormed(q) || parseMemoryBytes(q) <= LARGEST_POD.memoryGiB * 2 ** 30, {
        message: t("runner.quantityTooLarge", { field: t("fields.runnerMemory"), max: `${LARGEST_POD.memoryGiB}Gi` }),
      })
      .default("512Mi"),
  });

  const imagesSchema = z
    .object({
      registry: z.enum(IMAGE_REGISTRIES).default("gitlab"),
      /** Registry and namespace holding copies of the images, e.g. registry.cn-hangzhou.aliyuncs.com/acme. */
      mirror: z
        .string()
        .trim()
        .regex(MIRROR_PREFIX, t("runner.mirrorFormat"))
        .transform((m) => m.replace(/\/+$/, ""))
        .optional(),
    })
    .superRefine((images, ctx) => {
      if (images.registry === "mirror" && !images.mirror)
        ctx.addIssue({ code: "custom", path: ["mirror"], message: t("runner.mirrorRequired") });
    });

  const spotSchema = z.discriminatedUnion("strategy", [
    z.object({ strategy: z.literal("none") }),
    z.object({ strategy: z.literal("SpotAsPriceGo") }),
    z.object({
      strategy: z.literal("SpotWithPriceLimit"),
      /** CNY per hour, at most 3 decimals (ECI's rule for k8s.aliyun.com/eci-spot-price-limit). */
      priceLimit: z
        .number({ error: t("runner.priceLimitRequired") })
        .positive(t("runner.priceLimitPositive"))
        .refine((p) => /^\d+(\.\d{1,3})?$/.test(String(p)), t("runner.priceLimitDecimals")),
    }),
  ]);

  const jobPodsSchema = z.object({
    backend: podBackendSchema,
    computeClass: computeClassSchema,
    qos: z.enum(ACS_QOS_CLASSES).default("default"),
    image: imageReference.default(DEFAULT_JOB_IMAGE),
    pullPolicy: z.enum(["if-not-present", "always", "never"]).default("if-not-present"),
    // Defaults add up to 1 vCPU / 2 GiB, an exact ECI spec (no paying for a round-up).
    build: containerResources("build").default({
      cpuRequest: "750m",
      cpuLimit: "750m",
      memoryRequest: "1536Mi",
      memoryLimit: "1536Mi",
    }),
    helper: containerResources("helper").default({
      cpuRequest: "250m",
      cpuLimit: "250m",
      memoryRequest: "512Mi",
      memoryLimit: "512Mi",
    }),
    services: containerResources("service").default({
      cpuRequest: "250m",
      cpuLimit: "250m",
      memoryRequest: "512Mi",
      memoryLimit: "512Mi",
    }),
    /** Ordered list for k8s.aliyun.com/eci-use-specs, e.g. ["2-4Gi", "ecs.c6.large"]. */
    eciUseSpecs: z.array(z.string().trim().regex(ECI_SPEC, t("runner.eciSpecFormat"))).default([]),
    spot: spotSchema.default({ strategy: "none" }),
    economyCompute: z.boolean().default(false),
    /** Lets ECI match an ImageCache automatically (k8s.aliyun.com/eci-image-cache). */
    useImageCache: z.boolean().default(true),
    pollTimeoutSeconds: z
      .number()
      .int()
      .min(30, t("runner.pollTimeoutMin", { min: 30 }))
      .max(3600)
      .default(DEFAULT_POLL_TIMEOUT_SECONDS),
    pollIntervalSeconds: z.number().int().min(1).max(60).default(3),
    podLabels: labelsSchema.default({}),
    podAnnotations: annotationsSchema.default({}),
  });

  const nasBackend = z.object({
    kind: z.literal("nas"),
    server: z
      .string()
      .trim()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i, t("runner.nasServerFormat")),
    path: z
      .string()
      .trim()
      .regex(/^\/[^\s]*$/, t("runner.nasPathFormat")),
  });
  const storageClassBackend = z.object({
    kind: z.literal("storageClass"),
    storageClassName: dnsLabel("fields.storageClassName").max(253),
  });

  const cacheVolumeSchema = z.object({
    /** Short name used in object names: <instance>-<name>-pvc. */
    name: dnsLabel("fields.volumeName").max(20, t("runner.volumeNameTooLong", { max: 20 })),
    mountPath,
    size: quantity(t("fields.size")).refine(
      (q) => !wellFormed(q) || parseMemoryBytes(q) >= 2 ** 30,
      t("runner.volumeSizeMin"),
    ),
    backend: z.discriminatedUnion("kind", [nasBackend, storageClassBackend]),
  });

  const storageSchema = z.object({
    volumes: z
      .array(cacheVolumeSchema)
      .max(8)
      .default([])
      .superRefine((volumes, ctx) => {
        const seenNames = new Set<string>();
        const seenPaths = new Set<string>();
        volumes.forEach((v, i) => {
          if (seenNames.has(v.name))
            ctx.addIssue({ code: "custom", path: [i, "name"], message: t("runner.volumeNameTwice", { name: v.name }) });
          if (seenPaths.has(v.mountPath))
            ctx.addIssue({
              code: "custom",
              path: [i, "mountPath"],
              message: t("runner.mountPathTwice", { path: v.mountPath }),
            });
          seenNames.add(v.name);
          seenPaths.add(v.mountPath);
        });
      }),
  });

  const registrySchema = z.object({
    server: z
      .string()
      .trim()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/i, t("runner.registryServerFormat")),
    username: z.string().min(1, t("runner.registryUsernameRequired")),
    password: z.string().min(1, t("runner.registryPasswordRequired")),
    secretName: dnsLabel("fields.secretName").default("registry-auth-secret"),
    /** Where job pods find config.json; /root/.docker is where docker and kaniko look for it. */
    mountPath: mountPath.default("/root/.docker"),
  });

  const imageCacheSchema = z.object({
    images: z.array(imageReference).min(1, t("runner.imagesRequired")),
    sizeGiB: z
      .number()
      .int(t("runner.imageCacheSizeInteger"))
      .min(20, t("runner.imageCacheSizeMin", { min: 20 }))
      .max(32768, t("runner.imageCacheSizeMax", { max: 32768 }))
      .default(20),
    retentionDays: z.number().int().min(1).max(65536).optional(),
  });

  // GitLab Runner's distributed cache ([runners.cache], Type "s3") on OSS's S3-compatible API.
  const distributedCacheObject = z.object({
    provider: z.literal("oss").default("oss"),
    region: z.string().trim().regex(OSS_REGION, t("runner.ossRegionFormat")),
    /** internal: the VPC endpoint (no traffic fee, same region only); public; or a custom domain (CNAME). */
    endpoint: z.enum(["internal", "public", "custom"]).default("internal"),
    customEndpoint: z.string().trim().optional(),
    bucket: z.string().trim().regex(OSS_BUCKET, t("runner.ossBucketFormat")),
    /** Object-key prefix the runner puts before every cache key (the runner's `Path`). */
    path: z.string().trim().regex(OSS_PATH_PREFIX, t("runner.ossPathFormat")).default(""),
    /** Share one cache between every runner that uses the bucket (the runner's `Shared`). */
    shared: z.boolean().default(false),
    accessKeyId: z.string().trim().regex(ACCESS_KEY_ID, t("runner.ossAccessKeyIdFormat")),
    accessKeySecret: z.string().min(1, t("runner.ossAccessKeySecretRequired")),
    secretName: dnsLabel("fields.secretName").default("oss-cache-secret"),
  });
  /** Checks across fields of a distributed cache (shared with the wizard's step, which relaxes the secret). */
  const refineDistributedCache = (cache: { endpoint: string; customEndpoint?: string }, ctx: z.RefinementCtx) => {
    if (cache.endpoint === "custom" && !HOST_NAME.test(cache.customEndpoint ?? ""))
      ctx.addIssue({ code: "custom", path: ["customEndpoint"], message: t("runner.ossCustomEndpointFormat") });
  };
  const distributedCacheSchema = distributedCacheObject.superRefine(refineDistributedCache);

  const settingsObjectSchema = z.object({
    cluster: clusterSchema,
    gitlab: gitlabSchema,
    runnerPod: runnerPodSchema.default(() => runnerPodSchema.parse({})),
    images: imagesSchema.default(() => imagesSchema.parse({})),
    jobPods: jobPodsSchema.default(() => jobPodsSchema.parse({})),
    storage: storageSchema.default(() => storageSchema.parse({})),
    registry: registrySchema.optional(),
    imageCache: imageCacheSchema.optional(),
    distributedCache: distributedCacheSchema.optional(),
  });
  const runnerSettingsSchema = z.preprocess(withImageDefaults, settingsObjectSchema).superRefine((s, ctx) => {
    if (s.registry) {
      const clash = s.storage.volumes.findIndex((v) => v.mountPath === s.registry!.mountPath);
      if (clash >= 0)
        ctx.addIssue({
          code: "custom",
          path: ["storage", "volumes", clash, "mountPath"],
          message: t("runner.registryMountClash", { path: s.registry.mountPath }),
        });
    }
    if (s.registry && s.distributedCache && s.registry.secretName === s.distributedCache.secretName)
      ctx.addIssue({
        code: "custom",
        path: ["distributedCache", "secretName"],
        message: t("runner.secretNameClash", { name: s.distributedCache.secretName }),
      });
  });

  return {
    clusterSchema,
    gitlabSchema,
    runnerPodSchema,
    imagesSchema,
    jobPodsSchema,
    storageSchema,
    registrySchema,
    imageCacheSchema,
    distributedCacheObject,
    refineDistributedCache,
    distributedCacheSchema,
    settingsObjectSchema,
    runnerSettingsSchema,
  };
}

type Input = Record<string, unknown>;
const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Before the input is checked: (1) settings from before the version picker named the runner image
 * (runnerPod.image, jobPods.helperImage); version, flavour and registry are read back from it so a
 * stored profile keeps its release line (an unlisted patch becomes the listed one of its minor);
 * (2) with a mirror and no job image, the default job image comes from the mirror too.
 */
function withImageDefaults(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const out: Input = { ...input };
  const runnerPod = isRecord(out.runnerPod) ? { ...out.runnerPod } : undefined;
  if (runnerPod && typeof runnerPod.image === "string" && runnerPod.version === undefined) {
    const legacy = parseRunnerImage(runnerPod.image);
    if (legacy) {
      runnerPod.version = supportedVersionFor(legacy.version);
      runnerPod.flavour ??= legacy.flavour;
      out.images ??= legacy.source;
    }
  }
  if (runnerPod) {
    delete runnerPod.image;
    out.runnerPod = runnerPod;
  }
  if (isRecord(out.jobPods) && "helperImage" in out.jobPods) {
    const jobPods = { ...out.jobPods };
    delete jobPods.helperImage;
    out.jobPods = jobPods;
  }
  const images = isRecord(out.images) ? out.images : undefined;
  if (images?.registry === "mirror" && typeof images.mirror === "string" && MIRROR_PREFIX.test(images.mirror.trim())) {
    const jobPods = isRecord(out.jobPods) ? out.jobPods : {};
    if (jobPods.image === undefined)
      out.jobPods = { ...jobPods, image: defaultJobImageFor({ registry: "mirror", mirror: images.mirror.trim() }) };
  }
  return out;
}

export type RunnerSchemas = ReturnType<typeof buildRunnerSchemas> & Validation;

const localized = new Map<Locale, RunnerSchemas>();

/** The runner schemas with messages in `locale`, plus the parse options for zod's own checks. */
export function runnerSchemasFor(locale: Locale): RunnerSchemas {
  let schemas = localized.get(locale);
  if (!schemas) {
    const validation = validationFor(locale);
    schemas = { ...buildRunnerSchemas(validation.t), ...validation };
    localized.set(locale, schemas);
  }
  return schemas;
}

export const {
  clusterSchema,
  gitlabSchema,
  runnerPodSchema,
  imagesSchema,
  jobPodsSchema,
  storageSchema,
  registrySchema,
  imageCacheSchema,
  runnerSettingsSchema,
} = runnerSchemasFor("en");

export const LEGACY_TOKEN_MESSAGE = englishValidation("runner.tokenLegacy", {
  howTo: englishValidation("runner.createRunnerHowTo"),
});
export const NOT_A_RUNNER_TOKEN_MESSAGE = englishValidation("runner.tokenNotRunner", {
  howTo: englishValidation("runner.createRunnerHowTo"),
});

export type ContainerResources = RunnerSettings["jobPods"]["build"];

/** Settings after defaults are applied (what generators receive). */
export type RunnerSettings = z.output<typeof runnerSettingsSchema>;
/** What a form or a settings file may contain (defaults still missing). */
export type RunnerSettingsInput = z.input<ReturnType<typeof buildRunnerSchemas>["settingsObjectSchema"]>;

/** Flat "field.path: message" lines, for the CLI and logs. */
export function formatSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(settings)"}: ${issue.message}`);
}
