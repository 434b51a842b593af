import { LIMITED_SA } from "./auth";
import type { MemoryStore } from "./store";
import type { KubeObject } from "./types";

// What a fresh ASK cluster has before anyone deploys anything: the system namespaces, the ECI
// virtual node, the ImageCache CRD installed by ack-virtual-node, default service accounts, the
// built-in RBAC roles — plus the viewer account behind the demo's limited token.

export const VIRTUAL_NODE_NAME = "virtual-kubelet-cn-hangzhou-k";
export const NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "gitlab-runner"];

export const IMAGE_CACHE_CRD: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: {
    name: "imagecaches.eci.alibabacloud.com",
    labels: { "app.kubernetes.io/managed-by": "ack-virtual-node" },
  },
  spec: {
    group: "eci.alibabacloud.com",
    scope: "Cluster",
    names: {
      kind: "ImageCache",
      listKind: "ImageCacheList",
      plural: "imagecaches",
      singular: "imagecache",
      shortNames: ["ic"],
      categories: ["all"],
    },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          { name: "CacheId", type: "string", jsonPath: ".status.imageCacheId" },
          { name: "Phase", type: "string", jsonPath: ".status.phase" },
          { name: "Progress", type: "string", jsonPath: ".status.progress" },
        ],
        schema: {
          openAPIV3Schema: {
            type: "object",
            description:
              "ImageCache caches container images as a snapshot so ECI pods created from them skip the image pull.",
            required: ["spec"],
            properties: {
              spec: {
                type: "object",
                description: "ImageCacheSpec defines the images to cache and how.",
                required: ["images"],
                properties: {
                  images: { type: "array", minItems: 1, description: "Images to cache.", items: { type: "string" } },
                  imagePullSecrets: {
                    type: "array",
                    description: "Secrets for private registries, each as namespace:secretName.",
                    items: { type: "string" },
                  },
                  imageCacheSize: {
                    type: "integer",
                    minimum: 20,
                    maximum: 32768,
                    description: "Size of the cache snapshot in GiB (default 20).",
                  },
                  retentionDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 65536,
                    description: "Days the cache is kept; unset keeps it until deleted.",
                  },
                },
              },
              status: {
                type: "object",
                description: "ImageCacheStatus reports the cache's creation progress.",
                properties: {
                  phase: { type: "string", description: "Creating, Ready or Failed." },
                  progress: { type: "string", description: "Creation progress, e.g. 50%." },
                  imageCacheId: { type: "string", description: "ID of the ECI image cache (imc-...)." },
                  reason: { type: "string" },
                  startTime: { type: "string", format: "date-time" },
                  lastUpdatedTime: { type: "string", format: "date-time" },
                  expireDateTime: { type: "string", format: "date-time" },
                  images: { type: "array", items: { type: "string" } },
                  events: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: {
                        type: { type: "string" },
                        message: { type: "string" },
                        timestamp: { type: "string", format: "date-time" },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

export function virtualNode(createdAt: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: VIRTUAL_NODE_NAME,
      labels: {
        "alibabacloud.com/virtual-node": "true",
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "failure-domain.beta.kubernetes.io/region": "cn-hangzhou",
        "failure-domain.beta.kubernetes.io/zone": "cn-hangzhou-k",
        "k8s.aliyun.com/vnode": "true",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": VIRTUAL_NODE_NAME,
        "kubernetes.io/os": "linux",
        "kubernetes.io/role": "agent",
        "service.beta.kubernetes.io/exclude-node": "true",
        "topology.diskplugin.csi.alibabacloud.com/zone": "cn-hangzhou-k",
        "topology.kubernetes.io/region": "cn-hangzhou",
        "topology.kubernetes.io/zone": "cn-hangzhou-k",
        type: "virtual-kubelet",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "alibabacloud.com/vswitch-ids": "vsw-bp1demo0vswitch0k" },
    },
    spec: { taints: [{ key: "virtual-kubelet.io/provider", value: "alibabacloud", effect: "NoSchedule" }] },
    status: {
      capacity: { cpu: "10k", memory: "40000Gi", pods: "20k", "ephemeral-storage": "500000Gi" },
      allocatable: { cpu: "10k", memory: "40000Gi", pods: "20k", "ephemeral-storage": "500000Gi" },
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "KubeletReady",
          message: "kubelet is ready.",
          lastHeartbeatTime: createdAt,
          lastTransitionTime: createdAt,
        },
        {
          type: "OutOfDisk",
          status: "False",
          reason: "KubeletHasSufficientDisk",
          message: "kubelet has sufficient disk space available",
          lastHeartbeatTime: createdAt,
          lastTransitionTime: createdAt,
        },
        {
          type: "MemoryPressure",
          status: "False",
          reason: "KubeletHasSufficientMemory",
          message: "kubelet has sufficient memory available",
          lastHeartbeatTime: createdAt,
          lastTransitionTime: createdAt,
        },
        {
          type: "DiskPressure",
          status: "False",
          reason: "KubeletHasNoDiskPressure",
          message: "kubelet has no disk pressure",
          lastHeartbeatTime: createdAt,
          lastTransitionTime: createdAt,
        },
        {
          type: "PIDPressure",
          status: "False",
          reason: "KubeletHasSufficientPID",
          message: "kubelet has sufficient PID available",
          lastHeartbeatTime: createdAt,
          lastTransitionTime: createdAt,
        },
      ],
      addresses: [
        { type: "InternalIP", address: "192.168.0.250" },
        { type: "Hostname", address: VIRTUAL_NODE_NAME },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: "",
        osImage: "",
        containerRuntimeVersion: "",
        kubeletVersion: "v1.32.1-vk-aliyun.1",
        kubeProxyVersion: "",
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

/** The virtual kubelet's heartbeat in kube-node-lease (renewed by startDemoCluster). */
export function nodeLease(now: string): KubeObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: VIRTUAL_NODE_NAME, namespace: "kube-node-lease" },
    spec: { holderIdentity: VIRTUAL_NODE_NAME, leaseDurationSeconds: 40, renewTime: now.replace("Z", ".000000Z") },
  };
}

const RBAC = "rbac.authorization.k8s.io/v1";

function clusterRoles(): KubeObject[] {
  const role = (name: string, rules: unknown[]): KubeObject => ({
    apiVersion: RBAC,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    rules,
  });
  const readVerbs = ["get", "list", "watch"];
  const writeVerbs = ["create", "delete", "deletecollection", "patch", "update"];
  const core = [
    "pods",
    "pods/log",
    "pods/status",
    "configmaps",
    "events",
    "persistentvolumeclaims",
    "serviceaccounts",
    "services",
  ];
  return [
    role("cluster-admin", [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ]),
    role("admin", [
      { apiGroups: [""], resources: [...core, "secrets"], verbs: [...readVerbs, ...writeVerbs] },
      {
        apiGroups: ["apps"],
        resources: ["deployments", "deployments/scale", "replicasets", "replicasets/scale"],
        verbs: [...readVerbs, ...writeVerbs],
      },
      {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["roles", "rolebindings"],
        verbs: [...readVerbs, ...writeVerbs],
      },
    ]),
    role("edit", [
      { apiGroups: [""], resources: [...core, "secrets"], verbs: [...readVerbs, ...writeVerbs] },
      {
        apiGroups: ["apps"],
        resources: ["deployments", "deployments/scale", "replicasets", "replicasets/scale"],
        verbs: [...readVerbs, ...writeVerbs],
      },
    ]),
    role("view", [
      { apiGroups: [""], resources: core, verbs: readVerbs },
      {
        apiGroups: ["apps"],
        resources: ["deployments", "deployments/scale", "replicasets", "replicasets/scale"],
        verbs: readVerbs,
      },
      { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: readVerbs },
    ]),
  ];
}

/** Objects a fresh cluster starts with. */
export function seedObjects(caPem: string, now: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const name of NAMESPACES) objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  for (const namespace of NAMESPACES) {
    objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } });
    objects.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "kube-root-ca.crt",
        namespace,
        annotations: {
          "kubernetes.io/description":
            "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
        },
      },
      data: { "ca.crt": caPem },
    });
  }
  objects.push({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
      sessionAffinity: "None",
    },
  });
  objects.push(virtualNode(now));
  objects.push(nodeLease(now));
  objects.push(IMAGE_CACHE_CRD);
  objects.push(...clusterRoles());
  objects.push({
    apiVersion: RBAC,
    kind: "ClusterRoleBinding",
    metadata: { name: "cluster-admin", labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }],
  });
  const { namespace, name } = LIMITED_SA;
  objects.push({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "ask-ci" } },
  });
  objects.push({
    apiVersion: RBAC,
    kind: "Role",
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "ask-ci" } },
    rules: [
      { apiGroups: [""], resources: ["pods", "pods/log", "events"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["get", "list", "watch"] },
    ],
  });
  objects.push({
    apiVersion: RBAC,
    kind: "RoleBinding",
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "ask-ci" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace }],
  });
  return objects;
}

export function seedCluster(store: MemoryStore, caPem: string): void {
  const now = new Date(store.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const obj of seedObjects(caPem, now)) {
    const res = store.resolve(obj);
    if (store.getRaw(res, obj.metadata.namespace, obj.metadata.name)) continue;
    store.createIn(res, obj.metadata.namespace, obj, {
      trusted: true,
      fieldManager: obj.kind === "Node" ? undefined : "kube-apiserver",
    });
  }
}
