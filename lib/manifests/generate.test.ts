import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { runnerSettingsSchema, type RunnerSettingsInput } from "@/lib/runner-settings/schema";
import { fromBase64 } from "./base64";
import { generateManifests } from "./generate";
import { CONFIG_KEYS } from "./paths";
import { RUNNER_RULES } from "./rbac";
import type { KubeObject } from "./types";

// What the cluster receives, field by field, for one runner with every optional object: a NAS volume
// (static PV + claim), a StorageClass volume (claim only), a registry, an image cache, a CA certificate.
const CA = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
const base: RunnerSettingsInput = {
  cluster: { namespace: "ci", instanceName: "runner-a" },
  gitlab: {
    url: "https://gitlab.example.com/",
    runnerToken: "glrt-abcdefghij0123456789",
    runnerName: "eci runner",
    caCertificate: `  ${CA}  `,
  },
  storage: {
    volumes: [
      {
        name: "cache",
        mountPath: "/cache",
        size: "10Gi",
        backend: { kind: "nas", server: "abc.cn-hangzhou.nas.aliyuncs.com", path: "/cache" },
      },
      {
        name: "m2",
        mountPath: "/m2",
        size: "20Gi",
        backend: { kind: "storageClass", storageClassName: "alicloud-nas" },
      },
    ],
  },
  registry: { server: "registry.example.com", username: "robot", password: "s3cret", mountPath: "/root/.docker" },
  imageCache: { images: ["alpine:3.20"], retentionDays: 7 },
};
const generate = (patch: Partial<RunnerSettingsInput> = {}) =>
  generateManifests(runnerSettingsSchema.parse({ ...base, ...patch }));
const find = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind)!;
const labels = {
  "app.kubernetes.io/name": "gitlab-runner",
  "app.kubernetes.io/instance": "runner-a",
  "app.kubernetes.io/part-of": "ask-ci",
  "app.kubernetes.io/managed-by": "ask-ci",
};
const meta = (name: string) => ({ name, namespace: "ci", labels });

describe("generateManifests, object by object", () => {
  it("emits every object in apply order, named after the instance", () => {
    expect(generate().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/ci",
      "ServiceAccount/runner-a",
      "Role/runner-a",
      "RoleBinding/runner-a",
      "Secret/runner-a-token",
      "Secret/registry-auth-secret",
      "ConfigMap/runner-a-config",
      "PersistentVolume/runner-a-cache-pv",
      "PersistentVolumeClaim/runner-a-cache-pvc",
      "PersistentVolumeClaim/runner-a-m2-pvc",
      "ImageCache/runner-a",
      "Deployment/runner-a",
    ]);
    const withoutNamespace = generate({
      cluster: { namespace: "ci", instanceName: "runner-a", createNamespace: false },
    });
    expect(withoutNamespace.some((o) => o.kind === "Namespace")).toBe(false);
  });

  it("labels cluster-scoped objects without a namespace", () => {
    const objects = generate();
    expect(find(objects, "Namespace")).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "ci", labels },
    });
    expect(find(objects, "PersistentVolume").metadata).toEqual({ name: "runner-a-cache-pv", labels });
    expect(find(objects, "ImageCache").metadata).toEqual({ name: "runner-a", labels });
    expect(find(objects, "ServiceAccount")).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: meta("runner-a"),
    });
  });

  it("gives the runner's ServiceAccount the Role GitLab documents, and only that", () => {
    const objects = generate();
    const role = find(objects, "Role");
    expect(role).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta("runner-a"),
      rules: RUNNER_RULES,
    });
    // copies: editing one generated Role leaves the next one alone
    (role.rules as { verbs: string[] }[])[0].verbs.push("delete");
    expect(find(generate(), "Role").rules).toEqual(RUNNER_RULES);
    expect(find(objects, "RoleBinding")).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta("runner-a"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "runner-a" },
      subjects: [{ kind: "ServiceAccount", name: "runner-a", namespace: "ci" }],
    });
  });

  it("keeps the runner token and the registry login in Secrets, as kubectl writes them", () => {
    const [token, registry] = generate().filter((o) => o.kind === "Secret");
    expect(token).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("runner-a-token"),
      type: "Opaque",
      data: { "runner-token": Buffer.from("glrt-abcdefghij0123456789").toString("base64") },
    });
    expect(registry).toMatchObject({ metadata: meta("registry-auth-secret"), type: "kubernetes.io/dockerconfigjson" });
    const dockerConfig = JSON.parse(fromBase64((registry.data as Record<string, string>)[".dockerconfigjson"]));
    expect(dockerConfig).toEqual({
      auths: {
        "registry.example.com": {
          username: "robot",
          password: "s3cret",
          auth: Buffer.from("robot:s3cret").toString("base64"),
        },
      },
    });
    expect(generate({ registry: undefined }).filter((o) => o.kind === "Secret")).toHaveLength(1);
  });

  it("binds a NAS volume through a static, pre-bound nfs PV and a StorageClass volume through its class", () => {
    const objects = generate();
    expect(find(objects, "PersistentVolume").spec).toEqual({
      accessModes: ["ReadWriteMany"],
      capacity: { storage: "10Gi" },
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      mountOptions: [
        "nolock,noresvport,noacl,hard",
        "vers=3",
        "rsize=1048576",
        "wsize=1048576",
        "proto=tcp",
        "timeo=600",
        "retrans=2",
      ],
      nfs: { server: "abc.cn-hangzhou.nas.aliyuncs.com", path: "/cache" },
      claimRef: { namespace: "ci", name: "runner-a-cache-pvc" },
    });
    const [nas, storageClass] = objects.filter((o) => o.kind === "PersistentVolumeClaim");
    expect(nas).toEqual({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta("runner-a-cache-pvc"),
      spec: {
        accessModes: ["ReadWriteMany"],
        resources: { requests: { storage: "10Gi" } },
        storageClassName: "",
        volumeName: "runner-a-cache-pv",
      },
    });
    expect(storageClass.spec).toEqual({
      accessModes: ["ReadWriteMany"],
      resources: { requests: { storage: "20Gi" } },
      storageClassName: "alicloud-nas",
    });
  });

  it("caches the images with the registry's pull secret and the retention asked for", () => {
    expect(find(generate(), "ImageCache").spec).toEqual({
      images: ["alpine:3.20"],
      imagePullSecrets: ["ci:registry-auth-secret"],
      imageCacheSize: 20,
      retentionDays: 7,
    });
    expect(find(generate({ registry: undefined, imageCache: { images: ["alpine:3.20"] } }), "ImageCache").spec).toEqual(
      {
        images: ["alpine:3.20"],
        imageCacheSize: 20,
      },
    );
  });

  it("ships the CA certificate in the ConfigMap, trimmed, and points the runner at it", () => {
    const objects = generate();
    const data = find(objects, "ConfigMap").data as Record<string, string>;
    expect(data[CONFIG_KEYS.caCertificate]).toBe(`${CA}\n`);
    expect(parse(data[CONFIG_KEYS.runnerTemplate])).toMatchObject({
      runners: [{ "tls-ca-file": "/configmaps/ca.crt" }],
    });
    const container = (find(objects, "Deployment").spec as DeploymentSpec).template.spec.containers[0];
    expect(container.env).toContainEqual({ name: "CI_SERVER_TLS_CA_FILE", value: "/configmaps/ca.crt" });

    const withoutCa = generate({ gitlab: { ...base.gitlab, caCertificate: undefined } });
    const plainData = find(withoutCa, "ConfigMap").data as Record<string, string>;
    expect(plainData[CONFIG_KEYS.caCertificate]).toBeUndefined();
    expect(plainData[CONFIG_KEYS.runnerTemplate]).not.toContain("tls-ca-file");
    const plainContainer = (find(withoutCa, "Deployment").spec as DeploymentSpec).template.spec.containers[0];
    expect(plainContainer.env.map((e) => e.name)).not.toContain("CI_SERVER_TLS_CA_FILE");
  });
});

interface DeploymentSpec {
  strategy: unknown;
  selector: unknown;
  template: {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: {
      volumes: unknown[];
      containers: Array<Record<string, unknown> & { env: { name: string }[] }>;
    };
  };
}

describe("the runner Deployment", () => {
  const deploymentSpec = (patch: Partial<RunnerSettingsInput> = {}) =>
    find(generate(patch), "Deployment").spec as DeploymentSpec;

  it("runs one runner, recreated rather than rolled (two managers on one token would both take jobs)", () => {
    const spec = deploymentSpec();
    expect(spec.strategy).toEqual({ type: "Recreate" });
    expect(spec.selector).toEqual({
      matchLabels: { "app.kubernetes.io/name": "gitlab-runner", "app.kubernetes.io/instance": "runner-a" },
    });
    expect(spec.template.metadata.labels).toEqual(labels);
    expect(spec.template.metadata.annotations["k8s.aliyun.com/eci-image-cache"]).toBe("true");
  });

  it("starts the entrypoint under dumb-init with the runner's environment, token from its Secret", () => {
    const [container] = deploymentSpec({ gitlab: { ...base.gitlab, caCertificate: undefined } }).template.spec
      .containers;
    expect(container).toMatchObject({
      name: "gitlab-runner",
      imagePullPolicy: "IfNotPresent",
      command: ["/usr/bin/dumb-init", "--", "/bin/bash", "/configmaps/entrypoint"],
      env: [
        { name: "CI_SERVER_URL", value: "https://gitlab.example.com/" },
        { name: "RUNNER_NAME", value: "eci runner" },
        { name: "RUNNER_EXECUTOR", value: "kubernetes" },
        { name: "CI_SERVER_TOKEN", valueFrom: { secretKeyRef: { name: "runner-a-token", key: "runner-token" } } },
        { name: "CONFIG_FILE", value: "/home/gitlab-runner/.gitlab-runner/config.toml" },
        { name: "HOME", value: "/home/gitlab-runner" },
      ],
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      volumeMounts: [
        { name: "configmaps", mountPath: "/configmaps", readOnly: true },
        { name: "runner-config", mountPath: "/home/gitlab-runner/.gitlab-runner" },
      ],
    });
    expect(container.env).toHaveLength(6);
  });

  it("mounts the ConfigMap and keeps the tokened config.toml in memory", () => {
    expect(deploymentSpec().template.spec.volumes).toEqual([
      { name: "configmaps", configMap: { name: "runner-a-config" } },
      { name: "runner-config", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
    ]);
  });

  it("puts an ACS runner on ACS at the default QoS, without ECI's image-cache annotation", () => {
    const { metadata } = deploymentSpec({ runnerPod: { backend: "acs", computeClass: "performance" } }).template;
    expect(metadata.labels).toEqual({
      ...labels,
      "alibabacloud.com/acs": "true",
      "alibabacloud.com/compute-class": "performance",
      "alibabacloud.com/compute-qos": "default",
    });
    expect(Object.keys(metadata.annotations)).toEqual(["ask-ci.io/config-checksum"]);
  });

  it("rolls the pod when the token changes (the checksum covers the token Secret)", () => {
    const checksum = (runnerToken: string) =>
      deploymentSpec({ gitlab: { ...base.gitlab, runnerToken } }).template.metadata.annotations[
        "ask-ci.io/config-checksum"
      ];
    expect(checksum("glrt-abcdefghij0123456789")).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum("glrt-abcdefghij0123456789")).not.toBe(checksum("glrt-zyxwvutsrq9876543210"));
  });
});
