import type { KubeObject } from "../../types";
import { type Job, projectName, projectNamespace, rootNamespace } from "./job-catalog";
import { expandVariables, jobPodName, projectUniqueName, sanitizeLabel } from "./names";
import type { KubernetesSettings, RunnerEntry } from "./runner-config";
import { goDuration } from "../time";

const DEFAULT_HELPER_IMAGE = "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.11.0";
const DEFAULT_BUILD_IMAGE = "alpine:3.20";
const RUNNER_LABEL_NAMESPACE = "runner.gitlab.com";

// The runner starts every container with this shell probe and then drives it over attach/exec.
const SHELL_PROBE =
  "if [ -x /usr/local/bin/bash ]; then\n\texec /usr/local/bin/bash \nelif [ -x /usr/bin/bash ]; then\n\texec /usr/bin/bash \n" +
  "elif [ -x /bin/bash ]; then\n\texec /bin/bash \nelif [ -x /usr/local/bin/sh ]; then\n\texec /usr/local/bin/sh \n" +
  "elif [ -x /usr/bin/sh ]; then\n\texec /usr/bin/sh \nelif [ -x /bin/sh ]; then\n\texec /bin/sh \nelif [ -x /busybox/sh ]; then\n\texec /busybox/sh \n" +
  "else\n\techo shell not found\n\texit 1\nfi\n\n";

export interface JobPodInput {
  runner: RunnerEntry;
  shortToken: string;
  namespace: string;
  job: Job;
  /** The job's concurrent-N slot among this runner's running jobs of the same project. */
  projectRunnerId: number;
  /** 8 random lowercase alphanumerics. */
  suffix: string;
}

function jobUrl(runner: RunnerEntry, job: Job): string {
  return `${runner.url.replace(/\/+$/, "")}/${job.project.path}/-/jobs/${job.id}`;
}

/** The CI/CD variables of a job, as the runner expands them into annotations, labels and env. */
export function jobVariables(input: JobPodInput): Record<string, string> {
  const { job, runner, shortToken } = input;
  const server = runner.url.replace(/\/+$/, "");
  return {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER_URL: server,
    CI_JOB_ID: String(job.id),
    CI_JOB_NAME: job.name,
    CI_JOB_STAGE: job.stage,
    CI_JOB_URL: jobUrl(runner, job),
    CI_PIPELINE_ID: String(job.pipelineId),
    CI_PROJECT_ID: String(job.project.id),
    CI_PROJECT_NAME: projectName(job.project),
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
    CI_REGISTRY_IMAGE: `registry.gitlab.com/${job.project.path}`,
    CI_RUNNER_SHORT_TOKEN: shortToken,
  };
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function resources(
  cpuRequest?: string,
  memoryRequest?: string,
  cpuLimit?: string,
  memoryLimit?: string,
): Resources | undefined {
  const requests = Object.fromEntries(
    Object.entries({ cpu: cpuRequest, memory: memoryRequest }).filter(([, v]) => v),
  ) as Record<string, string>;
  const limits = Object.fromEntries(
    Object.entries({ cpu: cpuLimit, memory: memoryLimit }).filter(([, v]) => v),
  ) as Record<string, string>;
  const out: Resources = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}

function pullPolicy(settings: KubernetesSettings): string | undefined {
  const first = Array.isArray(settings.pull_policy) ? settings.pull_policy[0] : settings.pull_policy;
  return { always: "Always", never: "Never", "if-not-present": "IfNotPresent" }[first ?? ""];
}

/** Volumes from [runners.kubernetes.volumes], in the order the executor adds them. */
function configVolumes(settings: KubernetesSettings) {
  const { volumes } = settings;
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
  for (const v of volumes.host_path) add(v, { hostPath: { path: v.host_path ?? v.mount_path } });
  for (const v of volumes.secret) add(v, { secret: { secretName: v.name, ...items(v.items) } });
  for (const v of volumes.pvc) add(v, { persistentVolumeClaim: { claimName: v.name } });
  for (const v of volumes.config_map) add(v, { configMap: { name: v.name, ...items(v.items) } });
  for (const v of volumes.empty_dir)
    add(v, {
      emptyDir: { ...(v.medium ? { medium: v.medium } : {}), ...(v.size_limit ? { sizeLimit: v.size_limit } : {}) },
    });
  return { mounts, podVolumes };
}

/** The job pod GitLab Runner's Kubernetes executor creates for a job: names, labels, annotations, containers. */
export function buildJobPod(input: JobPodInput): KubeObject {
  const { runner, job, shortToken } = input;
  const settings = runner.kubernetes;
  const variables = jobVariables(input);
  const uniqueName = projectUniqueName(shortToken, job.project.id, input.projectRunnerId);
  const ns = RUNNER_LABEL_NAMESPACE;

  const labels: Record<string, string> = {
    pod: sanitizeLabel(uniqueName),
    [`project.${ns}/id`]: String(job.project.id),
    [`project.${ns}/namespace-id`]: sanitizeLabel(variables.CI_PROJECT_NAMESPACE_ID),
    [`project.${ns}/name`]: sanitizeLabel(variables.CI_PROJECT_NAME),
    [`project.${ns}/namespace`]: sanitizeLabel(variables.CI_PROJECT_NAMESPACE),
    [`project.${ns}/root-namespace`]: sanitizeLabel(variables.CI_PROJECT_ROOT_NAMESPACE),
    [`project.${ns}/root-namespace-id`]: String(job.project.rootNamespaceId),
    [`job.${ns}/pod`]: sanitizeLabel(uniqueName),
    [`manager.${ns}/name`]: sanitizeLabel(runner.name),
    [`manager.${ns}/id-short`]: sanitizeLabel(shortToken),
  };
  // Keys under runner.gitlab.com are the runner's own and cannot be overwritten from config.
  const protectedKey = (key: string) => new RegExp(`(^|\\.)${ns.replace(/\./g, "\\.")}/`).test(key);
  for (const [key, value] of Object.entries(settings.pod_labels)) {
    if (!protectedKey(key)) labels[key] = sanitizeLabel(expandVariables(value, variables));
  }

  const annotations: Record<string, string> = {
    [`job.${ns}/id`]: String(job.id),
    [`job.${ns}/url`]: variables.CI_JOB_URL,
    [`job.${ns}/sha`]: job.sha,
    [`job.${ns}/before_sha`]: job.beforeSha,
    [`job.${ns}/ref`]: job.ref,
    [`job.${ns}/name`]: job.name,
    [`job.${ns}/timeout`]: goDuration(job.timeoutSeconds),
    [`project.${ns}/id`]: String(job.project.id),
  };
  for (const [key, value] of Object.entries(settings.pod_annotations))
    annotations[key] = expandVariables(value, variables);

  const { mounts, podVolumes } = configVolumes(settings);
  // The attach strategy's script and log directories, then config volumes, then the builds dir.
  const scriptsDir = `/scripts-${job.project.id}-${job.id}`;
  const logsDir = `/logs-${job.project.id}-${job.id}`;
  const volumeMounts = [
    { name: "scripts", mountPath: scriptsDir },
    { name: "logs", mountPath: logsDir },
    ...mounts,
    { name: "repo", mountPath: "/builds" },
  ];
  const env = Object.entries(variables).map(([name, value]) => ({ name, value }));
  const policy = pullPolicy(settings);
  const container = (name: string, image: string, res: Resources | undefined) => ({
    name,
    image,
    ...(policy ? { imagePullPolicy: policy } : {}),
    command: ["sh", "-c", SHELL_PROBE],
    env,
    ...(res ? { resources: res } : {}),
    volumeMounts,
    securityContext: { capabilities: { drop: ["NET_RAW"] } },
    stdin: true,
  });

  const helperImage = settings.helper_image || DEFAULT_HELPER_IMAGE;
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
    securityContext: { capabilities: { drop: ["NET_RAW"] } },
  };
  const containers = [
    container(
      "build",
      job.image || settings.image || DEFAULT_BUILD_IMAGE,
      resources(settings.cpu_request, settings.memory_request, settings.cpu_limit, settings.memory_limit),
    ),
    container("helper", helperImage, helperResources),
    ...job.services.map((image, i) =>
      container(
        `svc-${i}`,
        image,
        resources(
          settings.service_cpu_request,
          settings.service_memory_request,
          settings.service_cpu_limit,
          settings.service_memory_limit,
        ),
      ),
    ),
  ];

  const tolerations = Object.entries(settings.node_tolerations).map(([keyValue, effect]) => {
    const [key, value] = keyValue.split("=", 2);
    return value === undefined ? { key, operator: "Exists", effect } : { key, operator: "Equal", value, effect };
  });

  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: jobPodName(uniqueName, input.suffix), namespace: input.namespace, labels, annotations },
    spec: {
      volumes: [
        ...podVolumes,
        { name: "repo", emptyDir: {} },
        { name: "scripts", emptyDir: {} },
        { name: "logs", emptyDir: {} },
      ],
      restartPolicy: "Never",
      initContainers: [initPermissions],
      containers,
      ...(settings.service_account ? { serviceAccountName: settings.service_account } : {}),
      ...(Object.keys(settings.node_selector).length ? { nodeSelector: settings.node_selector } : {}),
      ...(tolerations.length ? { tolerations } : {}),
      ...(settings.image_pull_secrets.length
        ? { imagePullSecrets: settings.image_pull_secrets.map((name) => ({ name })) }
        : {}),
      ...(settings.pod_termination_grace_period_seconds !== undefined
        ? { terminationGracePeriodSeconds: settings.pod_termination_grace_period_seconds }
        : {}),
    },
  };
}
