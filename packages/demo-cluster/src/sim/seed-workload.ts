import type { ClusterStore, KubeObject } from "../types";
import { ECI_ANNOTATIONS } from "@ask-ci/billing/eci/annotations";
import { isConflictOrExists } from "./store-writes";

export const DEMO_NAMESPACE = "gitlab-runner";
export const DEMO_RUNNER_TOKEN = "glrt-t1_Demo7xK2pQ9mZr4vLw8sNc";
export const DEMO_RUNNER_IMAGE = "gitlab/gitlab-runner:v17.11.0";
const HELPER_IMAGE = "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.11.0";
const MANAGED = { "app.kubernetes.io/managed-by": "ask-ci-demo" };

/**
 * The seed article's setup, corrected: concurrent 4, build and helper at 0.5 vCPU / 1 GiB each
 * (a 1 vCPU / 2 GiB ECI spec per job; services push it to 2 vCPU / 4 GiB), image cache on.
 * No token here: the runner reads it from the Secret through RUNNER_TOKEN, as the Helm chart does.
 */
export const DEMO_CONFIG_TOML = `concurrent = 4
check_interval = 3
log_level = "info"
shutdown_timeout = 0

[session_server]
  session_timeout = 1800

[[runners]]
  name = "ask-ci-demo"
  url = "https://gitlab.com/"
  executor = "kubernetes"
  [runners.kubernetes]
    namespace = "${DEMO_NAMESPACE}"
    image = "alpine:3.20"
    helper_image = "${HELPER_IMAGE}"
    pull_policy = "if-not-present"
    poll_timeout = 600
    cpu_request = "0.5"
    cpu_limit = "0.5"
    memory_request = "1Gi"
    memory_limit = "1Gi"
    helper_cpu_request = "0.5"
    helper_cpu_limit = "0.5"
    helper_memory_request = "1Gi"
    helper_memory_limit = "1Gi"
    service_cpu_request = "0.5"
    service_cpu_limit = "0.5"
    service_memory_request = "1Gi"
    service_memory_limit = "1Gi"
    [runners.kubernetes.pod_annotations]
      "k8s.aliyun.com/eci-image-cache" = "true"
      "ci.ask-ci.dev/pipeline-id" = "$CI_PIPELINE_ID"
`;

function meta(name: string, namespace?: string): KubeObject["metadata"] {
  return { name, ...(namespace ? { namespace } : {}), labels: { ...MANAGED } };
}

export function demoWorkloadObjects(): KubeObject[] {
  const ns = DEMO_NAMESPACE;
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: meta(ns) },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("gitlab-runner", ns) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta("gitlab-runner", ns),
      rules: [
        {
          apiGroups: [""],
          resources: ["pods", "pods/exec", "pods/attach", "pods/log", "secrets", "configmaps", "services"],
          verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
        },
        { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta("gitlab-runner", ns),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "gitlab-runner" },
      subjects: [{ kind: "ServiceAccount", name: "gitlab-runner", namespace: ns }],
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("gitlab-runner-secret", ns),
      type: "Opaque",
      data: { "runner-token": Buffer.from(DEMO_RUNNER_TOKEN).toString("base64"), "runner-registration-token": "" },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("gitlab-runner-config", ns),
      data: { "config.toml": DEMO_CONFIG_TOML },
    },
    {
      apiVersion: "eci.alibabacloud.com/v1",
      kind: "ImageCache",
      metadata: meta("ask-ci-demo-runner-images"),
      spec: { images: [DEMO_RUNNER_IMAGE, HELPER_IMAGE, "alpine:3.20"], imageCacheSize: 20 },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { ...meta("gitlab-runner", ns), labels: { app: "gitlab-runner", ...MANAGED } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "gitlab-runner" } },
        template: {
          metadata: { labels: { app: "gitlab-runner" }, annotations: { [ECI_ANNOTATIONS.imageCache]: "true" } },
          spec: {
            serviceAccountName: "gitlab-runner",
            containers: [
              {
                name: "gitlab-runner",
                image: DEMO_RUNNER_IMAGE,
                imagePullPolicy: "IfNotPresent",
                args: ["run", "--config", "/etc/gitlab-runner/config.toml"],
                env: [
                  {
                    name: "RUNNER_TOKEN",
                    valueFrom: { secretKeyRef: { name: "gitlab-runner-secret", key: "runner-token" } },
                  },
                ],
                resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" } },
                volumeMounts: [{ name: "config", mountPath: "/etc/gitlab-runner" }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: "gitlab-runner-config" } }],
          },
        },
      },
    },
  ];
}

/** Deploys the demo GitLab Runner (idempotent: objects that already exist are left as they are). */
export function seedDemoWorkload(store: ClusterStore): KubeObject[] {
  const created: KubeObject[] = [];
  for (const object of demoWorkloadObjects()) {
    try {
      created.push(store.create(object));
    } catch (error) {
      if (!isConflictOrExists(error)) throw error;
    }
  }
  return created;
}
