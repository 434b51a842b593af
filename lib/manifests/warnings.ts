import { parse } from "smol-toml";
import { MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS, type RunnerSettings } from "@/lib/runner-settings/schema";
import { resolvePodSpec } from "@ask-ci/billing/eci/specs";
import { acsSpecLimitNotice, resolveAcsPodSpec } from "@ask-ci/billing/acs/specs";
import { isFloatingImage } from "./images";
import { DEFAULT_RUNNER_VERSION } from "./runner-release";
import { acsJobPodSpec, acsNormalisationNotice, jobPodSpec, roundUpNotice } from "./job-pod-spec";
import { CONFIG_KEYS } from "./paths";
import type { KubeObject } from "./types";

export interface ManifestWarning {
  /** Settings field path ("jobPods.image") or object ("Deployment/gitlab-runner"). */
  path: string;
  message: string;
}

const floating = (what: string, image: string) =>
  `${what} ${image} is not pinned: :latest (or no tag) changes under you and defeats the ECI image cache. Use a version tag.`;

/** Allowed but risky choices, shown on the review step next to the YAML. */
export function lintSettings(settings: RunnerSettings): ManifestWarning[] {
  const out: ManifestWarning[] = [];
  const { gitlab, jobPods, runnerPod } = settings;
  if (gitlab.url.startsWith("http://")) {
    out.push({
      path: "gitlab.url",
      message:
        "GitLab is reached over plain http: the runner token and job logs travel unencrypted. Use https unless this is a lab.",
    });
  }
  const images: [string, string][] = [
    ["jobPods.image", jobPods.image],
    ...(settings.imageCache?.images ?? []).map((image, i): [string, string] => [`imageCache.images.${i}`, image]),
  ];
  for (const [path, image] of images) if (isFloatingImage(image)) out.push({ path, message: floating("Image", image) });
  if (settings.images.registry === "mirror" && !jobPods.image.startsWith(`${settings.images.mirror}/`)) {
    out.push({
      path: "jobPods.image",
      message: `The default job image ${jobPods.image} is not in your mirror ${settings.images.mirror}; where Docker Hub cannot be reached, jobs without an image of their own fail to pull it.`,
    });
  }
  if (runnerPod.version !== DEFAULT_RUNNER_VERSION) {
    out.push({
      path: "runnerPod.version",
      message: `Runner ${runnerPod.version} is older than ${DEFAULT_RUNNER_VERSION}; keep it only while your GitLab server is on the same major.minor.`,
    });
  }
  if (jobPods.pollTimeoutSeconds < MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS) {
    out.push({
      path: "jobPods.pollTimeoutSeconds",
      message: `poll_timeout ${jobPods.pollTimeoutSeconds} s is short for ECI: creating the instance and pulling uncached images often takes minutes. ${MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS} s or more is safer.`,
    });
  }
  const onAcs = jobPods.backend === "acs";
  const roundUp = onAcs
    ? acsNormalisationNotice(acsJobPodSpec(settings), jobPods.computeClass)
    : roundUpNotice(jobPodSpec(settings));
  if (roundUp) out.push({ path: "jobPods", message: roundUp });
  const runnerShape = {
    spec: { containers: [{ resources: { requests: { cpu: runnerPod.cpu, memory: runnerPod.memory } } }] },
  };
  if (runnerPod.backend === "acs") {
    const runnerSpec = resolveAcsPodSpec(runnerShape, runnerPod.computeClass);
    const limit = runnerSpec.unsupported ?? acsSpecLimitNotice(runnerSpec.billed, runnerPod.computeClass)?.message;
    if (limit) out.push({ path: "runnerPod", message: `The runner pod on ACS: ${limit}.` });
  } else {
    const runnerSpec = resolvePodSpec(runnerShape);
    if (runnerSpec.unsupported) {
      out.push({ path: "runnerPod", message: `The runner pod cannot run on ECI: ${runnerSpec.unsupported}.` });
    }
  }
  if (onAcs && jobPods.qos === "best-effort") {
    out.push({
      path: "jobPods.qos",
      message:
        "Best-effort ACS pods cost about a fifth of the default QoS, but ACS may evict them, with an event 5 minutes before. Let evicted jobs run again: add retry: { max: 2, when: [runner_system_failure, stuck_or_timeout_failure] } to the jobs in .gitlab-ci.yml, and keep long jobs at the default QoS.",
    });
  }
  const eciOnly = [
    jobPods.eciUseSpecs.length > 0 && "eci-use-specs",
    jobPods.spot.strategy !== "none" && "spot",
    jobPods.economyCompute && "economy",
  ].filter((name): name is string => typeof name === "string");
  if (onAcs && eciOnly.length > 0) {
    out.push({
      path: "jobPods.backend",
      message: `Job pods run on ACS, so the ECI-only settings (${eciOnly.join(", ")}) are not written: ACS bills its normalised spec at its class and QoS price.`,
    });
  }
  if (!onAcs && jobPods.eciUseSpecs.length > 0) {
    out.push({
      path: "jobPods.eciUseSpecs",
      message: "With eci-use-specs set, ECI bills the listed spec, not the CPU/memory limits below.",
    });
  }
  if (!onAcs && jobPods.spot.strategy !== "none") {
    out.push({
      path: "jobPods.spot",
      message:
        "Spot job pods can be reclaimed after the 1-hour protection period; keep jobs short or use retry: in .gitlab-ci.yml.",
    });
  }
  if (!onAcs && jobPods.useImageCache && !settings.imageCache) {
    out.push({
      path: "imageCache",
      message:
        "Job pods ask for an image cache but none is defined; ECI will match only caches created elsewhere (or automatically).",
    });
  }
  if (settings.storage.volumes.length === 0 && !settings.distributedCache) {
    out.push({
      path: "storage.volumes",
      message:
        "No shared cache volume and no distributed cache: every job pod starts empty and downloads its dependencies again.",
    });
  }
  if (settings.distributedCache?.endpoint === "public") {
    out.push({
      path: "distributedCache.endpoint",
      message:
        "The cache goes through OSS's public endpoint: every cache download is billed as outbound internet traffic. Use the internal endpoint when the cluster is in the bucket's region.",
    });
  }
  return out;
}

interface PodSpecLike {
  containers?: { name: string; image?: string; resources?: { limits?: Record<string, unknown> } }[];
}

/**
 * The pod spec an object runs, whatever its kind: a Pod's own, a workload's template (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job), a CronJob's job template. A hand-edited bundle may add
 * any of them next to the runner's Deployment, and each pod runs on ECI the same way.
 */
function podSpecOf(object: KubeObject): PodSpecLike | undefined {
  const spec = object.spec as
    | (PodSpecLike & {
        template?: { spec?: PodSpecLike };
        jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } };
      })
    | undefined;
  switch (object.kind) {
    case "Pod":
      return spec;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return spec?.template?.spec;
    case "CronJob":
      return spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** Warnings found in generated (or hand-edited) objects. */
export function warnings(objects: KubeObject[]): ManifestWarning[] {
  const out: ManifestWarning[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata.name}`;
    for (const c of podSpecOf(object)?.containers ?? []) {
      if (c.image && isFloatingImage(c.image))
        out.push({ path: where, message: floating(`Container ${c.name} image`, c.image) });
      if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
        out.push({
          path: where,
          message: `Container ${c.name} has no CPU/memory limits: ECI then sizes the pod from requests or its 2 vCPU / 4 GiB default.`,
        });
      }
    }
    if (object.kind === "ConfigMap") {
      const template = (object.data as Record<string, string> | undefined)?.[CONFIG_KEYS.runnerTemplate];
      if (template) out.push(...templateWarnings(where, template));
    }
    if (object.kind === "ImageCache") {
      for (const image of (object.spec as { images?: string[] }).images ?? []) {
        if (isFloatingImage(image)) out.push({ path: where, message: floating("Cached image", image) });
      }
    }
  }
  return out;
}

function templateWarnings(where: string, toml: string): ManifestWarning[] {
  const out: ManifestWarning[] = [];
  const runners = (parse(toml).runners ?? []) as { kubernetes?: Record<string, unknown> }[];
  for (const runner of runners) {
    const k = runner.kubernetes ?? {};
    for (const prefix of ["", "helper_", "service_"]) {
      if (!k[`${prefix}cpu_limit`] || !k[`${prefix}memory_limit`]) {
        out.push({
          path: where,
          message: `config.toml has no ${prefix || "build "}CPU/memory limit: job pods then size from requests or ECI's 2 vCPU / 4 GiB default.`,
        });
      }
    }
    for (const key of ["image", "helper_image"]) {
      const image = k[key];
      if (typeof image === "string" && isFloatingImage(image))
        out.push({ path: where, message: floating(`config.toml ${key}`, image) });
    }
    if (typeof k.poll_timeout !== "number" || k.poll_timeout < MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS) {
      out.push({
        path: where,
        message: `config.toml poll_timeout is ${k.poll_timeout ?? "the default 180"} s; ECI cold starts need ${MIN_RECOMMENDED_POLL_TIMEOUT_SECONDS} s or more.`,
      });
    }
  }
  return out;
}
