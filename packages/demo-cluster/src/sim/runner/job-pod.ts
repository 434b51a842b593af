import type { KubeObject } from "../../types";
import { goDuration } from "../time";
import { type Job, type ServiceDef, projectName, projectNamespace, rootNamespace } from "./job-catalog";
import { expandVariables, jobPodName, projectUniqueName, sanitizeLabel } from "./names";
import type { RunnerRelease } from "./release";
import type { KubernetesSettings, RunnerEntry } from "./runner-config";

/**
 * The job pod GitLab Runner's Kubernetes executor creates (executors/kubernetes/kubernetes.go
 * preparePodConfig and the functions it calls; the same in every release the simulation claims
 * unless `release` says otherwise). References are to v19.3.0.
 */

const RUNNER_LABEL_NAMESPACE = "runner.gitlab.com";
// runnerLabelNamespacePattern: case-insensitive, the namespace itself or any subdomain of it, with or without a path.
const PROTECTED_LABEL = /^(.*\.)?runner\.gitlab\.com(\/.*)?$/i;

// shells/bash.go BashDetectShellScript with "$@" replaced by "" (the executor's NormalShell).
export const SHELL_DETECT_SCRIPT =
  "if [ -x /usr/local/bin/bash ]; then\n\texec /usr/local/bin/bash \nelif [ -x /usr/bin/bash ]; then\n\texec /usr/bin/bash \n" +
  "elif [ -x /bin/bash ]; then\n\texec /bin/bash \nelif [ -x /usr/local/bin/sh ]; then\n\texec /usr/local/bin/sh \n" +
  "elif [ -x /usr/bin/sh ]; then\n\texec /usr/bin/sh \nelif [ -x /bin/sh ]; then\n\texec /bin/sh \nelif [ -x /busybox/sh ]; then\n\texec /busybox/sh \n" +
  "else\n\techo shell not found\n\texit 1\nfi\n\n";

export interface JobPodInput {
  release: RunnerRelease;
  runner: RunnerEntry;
  shortToken: string;
  namespace: string;
  job: Job;
  /** RunnerInfo.Timeout: the job's timeout as GitLab sent it, in seconds. */
  timeoutSeconds: number;
  /** The job's concurrent-N slot among this runner's running jobs of the same project. */
  projectRunnerId: number;
  /** 8 random lowercase alphanumerics. */
  suffix: string;
  /** The per-job kubernetes.io/dockercfg Secret holding the job's registry credentials, when there are any. */
  credentialsSecret?: string;
  /** The helper image the runner uses when config.toml names none (its own version, registry.gitlab.com). */
  defaultHelperImage: string;
}

export type JobPodResult =
  { ok: true; pod: KubeObject; services: Array<{ name: string; service: ServiceDef }> } | { ok: false; error: string };

function jobUrl(runner: RunnerEntry, job: Job): string {
  return `${(runner.url ?? "").replace(/\/+$/, "")}/${job.project.path}/-/jobs/${job.id}`;
}

/** The CI/CD variables of a job, as the runner expands them into annotations, labels and the build env. */
export function jobVariables(input: Pick<JobPodInput, "job" | "runner" | "shortToken" | "release" | "timeoutSeconds">) {
  const { job, runner, shortToken, release } = input;
  const server = (runner.url ?? "").replace(/\/+$/, "");
  return {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER_URL: server,
    CI_SERVER_HOST: server.replace(/^https?:\/\//, "").replace(/[:/].*$/, ""),
    CI_JOB_ID: String(job.id),
    CI_JOB_NAME: job.name,
    CI_JOB_STAGE: job.stage,
    CI_JOB_URL: jobUrl(runner, job),
    CI_JOB_TIMEOUT: String(input.timeoutSeconds),
    CI_PIPELINE_ID: String(job.pipelineId),
    CI_PROJECT_ID: String(job.project.id),
    CI_PROJECT_NAME: projectName(job.project),
    CI_PROJECT_TITLE: job.project.name,
    CI_PROJECT_PATH: job.project.path,
    CI_PROJECT_NAMESPACE: projectNamespace(job.project),
    CI_PROJECT_NAMESPACE_ID: String(job.project.namespaceId),
    CI_PROJECT_ROOT_NAMESPACE: rootNamespace(job.project),
    CI_PROJECT_URL: `${server}/${job.project.path}`,
    CI_PROJECT_DIR: `/builds/${job.project.path}`,
    CI_BUILDS_DIR: "/builds",
    CI_COMMIT_SHA: job.sha,
    CI_COMMIT_SHORT_SHA: job.sha.slice(0, 8),
    CI_COMMIT_BEFORE_SHA: job.beforeSha,
    CI_COMMIT_REF_NAME: job.ref,
    CI_REGISTRY: "registry.gitlab.com",
    CI_REGISTRY_IMAGE: `registry.gitlab.com/${job.project.path}`,
    CI_RUNNER_SHORT_TOKEN: shortToken,
    CI_RUNNER_VERSION: release.version,
  } as Record<string, string>;
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function resources(cpuRequest?: string, memoryRequest?: string, cpuLimit?: string, memoryLimit?: string) {
  const pick = (entries: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v)) as Record<string, string>;
  const requests = pick({ cpu: cpuRequest, memory: memoryRequest });
  const limits = pick({ cpu: cpuLimit, memory: memoryLimit });
  const out: Resources = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}

function pullPolicy(settings: KubernetesSettings): string | undefined {
  const first = Array.isArray(settings.pull_policy) ? settings.pull_policy[0] : settings.pull_policy;
  return { always: "Always", never: "Never", "if-not-present": "IfNotPresent" }[first ?? ""];
}

/** Volumes from [runners.kubernetes.volumes], in the order the executor adds them (getVolumes). */
function configVolumes(settings: KubernetesSettings) {
  const volumes = settings.volumes ?? {};
  const mounts: Array<Record<string, unknown>> = [];
  const podVolumes: Array<Record<string, unknown>> = [];
  const add = (
    v: { name: string; mount_path: string; sub_path?: string; read_only?: boolean },
    source: Record<string, unknown>,
  ) => {
    mounts.push({
      name: v.name,
      mountPath: v.mount_path,
      ...(v.sub_path ? { subPath: v.sub_path } : {}),
      ...(v.read_only ? { readOnly: true } : {}),
    });
    podVolumes.push({ name: v.name, ...source });
  };
  const items = (map?: Record<string, string>) =>
    map ? { items: Object.entries(map).map(([key, path]) => ({ key, path })) } : {};
  for (const v of volumes.host_path ?? []) add(v, { hostPath: { path: v.host_path ?? v.mount_path } });
  for (const v of volumes.secret ?? []) add(v, { secret: { secretName: v.name, ...items(v.items) } });
  for (const v of volumes.pvc ?? []) add(v, { persistentVolumeClaim: { claimName: v.name } });
  for (const v of volumes.config_map ?? []) add(v, { configMap: { name: v.name, ...items(v.items) } });
  for (const v of volumes.empty_dir ?? [])
    add(v, {
      emptyDir: { ...(v.medium ? { medium: v.medium } : {}), ...(v.size_limit ? { sizeLimit: v.size_limit } : {}) },
    });
  return { mounts, podVolumes };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The explicit aliases of a service (`alias:` may list several, separated by commas or spaces). */
function explicitAliases(service: ServiceDef): string[] {
  return (service.alias ?? "").split(/[\s,]+/).filter(Boolean);
}

/**
 * Container names of the services: the first unused explicit alias that is a DNS-1123 label,
 * else svc-<i> counting only the services without one (prepareOptions, getServiceName); the
 * containers are then sorted by that name (getSortedServiceNames).
 */
export function serviceContainers(services: ServiceDef[]): Array<{ name: string; service: ServiceDef }> {
  const used = new Set<string>();
  let index = 0;
  const named = services.map((service) => {
    let name = "";
    for (const alias of explicitAliases(service)) {
      if (used.has(alias)) continue;
      used.add(alias);
      if (DNS1123_LABEL.test(alias) && alias.length <= 63) {
        name = alias;
        break;
      }
    }
    if (!name) name = `svc-${index++}`;
    return { name, service };
  });
  return named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * hostAliases: 127.0.0.1 for every service's names (helpers/container/services SplitNameAndVersion:
 * the image path with "/" as "__" and as "-", the invalid ones skipped) and its explicit aliases
 * (host_aliases.go createServicesHostAlias). Services with ports are skipped; ours have none.
 */
export function serviceHostAliases(sorted: Array<{ service: ServiceDef }>): Array<{ ip: string; hostnames: string[] }> {
  const hostnames: string[] = [];
  for (const { service } of sorted) {
    const path = service.name.split("@")[0].replace(/:[^/:]+$/, "");
    const fromImage = [...new Set([path.replace(/\//g, "__"), path.replace(/\//g, "-")])];
    for (const alias of fromImage) if (DNS1123_SUBDOMAIN.test(alias)) hostnames.push(alias);
    hostnames.push(...explicitAliases(service));
  }
  return hostnames.length ? [{ ip: "127.0.0.1", hostnames }] : [];
}

/** The job pod, or the error that fails the job before any pod exists. */
export function buildJobPod(input: JobPodInput): JobPodResult {
  const { runner, job, shortToken } = input;
  const settings: KubernetesSettings = runner.kubernetes ?? {};
  const variables = jobVariables(input);
  // checkDefaults: the job's image, else kubernetes.image (expanded), else the job fails.
  const image = job.image || expandVariables(settings.image ?? "", variables);
  if (!image) return { ok: false, error: "no image specified and no default set in config" };
  const uniqueName = projectUniqueName(shortToken, job.project.id, input.projectRunnerId);
  const ns = RUNNER_LABEL_NAMESPACE;

  const labels: Record<string, string> = {
    pod: sanitizeLabel(uniqueName),
    [`project.${ns}/id`]: String(job.project.id),
    [`project.${ns}/namespace-id`]: sanitizeLabel(variables.CI_PROJECT_NAMESPACE_ID),
    [`project.${ns}/name`]: sanitizeLabel(job.project.name),
    [`project.${ns}/namespace`]: sanitizeLabel(variables.CI_PROJECT_NAMESPACE),
    [`project.${ns}/root-namespace`]: sanitizeLabel(variables.CI_PROJECT_ROOT_NAMESPACE),
    [`job.${ns}/pod`]: sanitizeLabel(uniqueName),
    [`manager.${ns}/name`]: sanitizeLabel(runner.name ?? ""),
    [`manager.${ns}/id-short`]: sanitizeLabel(shortToken),
  };
  for (const [key, value] of Object.entries(settings.pod_labels ?? {})) {
    if (!PROTECTED_LABEL.test(key)) labels[key] = sanitizeLabel(expandVariables(value, variables));
  }

  const annotations: Record<string, string> = {
    [`job.${ns}/id`]: String(job.id),
    [`job.${ns}/url`]: variables.CI_JOB_URL,
    [`job.${ns}/sha`]: job.sha,
    [`job.${ns}/before_sha`]: job.beforeSha,
    [`job.${ns}/ref`]: job.ref,
    [`job.${ns}/name`]: job.name,
    [`job.${ns}/timeout`]: goDuration(input.timeoutSeconds),
    [`project.${ns}/id`]: String(job.project.id),
  };
  for (const [key, value] of Object.entries(settings.pod_annotations ?? {}))
    annotations[key] = expandVariables(value, variables);

  const { mounts, podVolumes } = configVolumes(settings);
  const scriptsDir = `/scripts-${job.project.id}-${job.id}`;
  const logsDir = `/logs-${job.project.id}-${job.id}`;
  const hasBuildsMount = mounts.some((m) => m.mountPath === "/builds");
  const volumeMounts = [
    { name: "scripts", mountPath: scriptsDir },
    { name: "logs", mountPath: logsDir },
    ...mounts,
    ...(hasBuildsMount ? [] : [{ name: "repo", mountPath: "/builds" }]),
  ];
  const policy = pullPolicy(settings);
  const securityContext = { capabilities: { drop: ["NET_RAW"] } };
  const env = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));
  // buildContainer: the build container gets every public and internal variable, services theirs, the helper none.
  // Build and helper start the shell the runner attaches to; services run their image's entrypoint.
  const container = (
    name: string,
    containerImage: string,
    res: Resources | undefined,
    vars: Record<string, string> | undefined,
    command?: string[],
  ) => ({
    name,
    image: containerImage,
    ...(policy ? { imagePullPolicy: policy } : {}),
    ...(command ? { command } : {}),
    ...(vars ? { env: env(vars) } : {}),
    ...(res ? { resources: res } : {}),
    volumeMounts,
    securityContext,
    stdin: true,
  });

  const helperImage = expandVariables(settings.helper_image ?? "", variables) || input.defaultHelperImage;
  const helperResources = resources(
    settings.helper_cpu_request,
    settings.helper_memory_request,
    settings.helper_cpu_limit,
    settings.helper_memory_limit,
  );
  const initPermissions = {
    name: "init-permissions",
    image: helperImage,
    ...(policy ? { imagePullPolicy: policy } : {}),
    command: ["sh", "-c", `touch ${logsDir}/output.log && (chmod 777 ${logsDir}/output.log || exit 0)`],
    ...(helperResources ? { resources: helperResources } : {}),
    volumeMounts,
    securityContext,
  };
  const services = serviceContainers(job.services);
  const serviceResources = resources(
    settings.service_cpu_request,
    settings.service_memory_request,
    settings.service_cpu_limit,
    settings.service_memory_limit,
  );
  const shell = ["sh", "-c", SHELL_DETECT_SCRIPT];
  const containers = [
    container(
      "build",
      image,
      resources(settings.cpu_request, settings.memory_request, settings.cpu_limit, settings.memory_limit),
      variables,
      shell,
    ),
    container("helper", helperImage, helperResources, undefined, shell),
    ...services.map(({ name, service }) => container(name, service.name, serviceResources, variables)),
  ];

  const tolerations = Object.entries(settings.node_tolerations ?? {}).map(([keyValue, effect]) => {
    const [key, value] = keyValue.split("=", 2);
    return value === undefined ? { key, operator: "Exists", effect } : { key, operator: "Equal", value, effect };
  });
  const imagePullSecrets = [
    ...(settings.image_pull_secrets ?? []).map((name) => ({ name })),
    ...(input.credentialsSecret ? [{ name: input.credentialsSecret }] : []),
  ];
  const hostAliases = serviceHostAliases(services);

  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: jobPodName(uniqueName, input.suffix), namespace: input.namespace, labels, annotations },
    spec: {
      volumes: [
        ...podVolumes,
        ...(hasBuildsMount ? [] : [{ name: "repo", emptyDir: {} }]),
        { name: "scripts", emptyDir: {} },
        { name: "logs", emptyDir: {} },
      ],
      ...(settings.service_account ? { serviceAccountName: settings.service_account } : {}),
      restartPolicy: "Never",
      ...(Object.keys(settings.node_selector ?? {}).length ? { nodeSelector: settings.node_selector } : {}),
      ...(tolerations.length ? { tolerations } : {}),
      initContainers: [initPermissions],
      containers,
      ...(settings.pod_termination_grace_period_seconds !== undefined
        ? { terminationGracePeriodSeconds: settings.pod_termination_grace_period_seconds }
        : {}),
      // FF_USE_POD_ACTIVE_DEADLINE_SECONDS is on by default in every claimed release: timeout + 1.
      activeDeadlineSeconds: input.timeoutSeconds + 1,
      ...(imagePullSecrets.length ? { imagePullSecrets } : {}),
      ...(hostAliases.length ? { hostAliases } : {}),
    },
  };
  return { ok: true, pod, services };
}
