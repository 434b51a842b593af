import type { KubeObject } from "./types";
import type { ResourceInfo } from "./resources";

// The defaulting kube-apiserver does for the kinds clients look at most, so `kubectl get -o yaml`
// and `describe` show what they would on a real cluster.

type Obj = Record<string, unknown>;

function defaultContainer(c: Obj): void {
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  if (c.imagePullPolicy === undefined && typeof c.image === "string") {
    const ref = c.image.split("@")[0];
    const lastSeg = ref.slice(ref.lastIndexOf("/") + 1);
    const tag = lastSeg.includes(":") ? lastSeg.slice(lastSeg.indexOf(":") + 1) : "";
    c.imagePullPolicy = c.image.includes("@") ? "IfNotPresent" : !tag || tag === "latest" ? "Always" : "IfNotPresent";
  }
  for (const p of (c.ports as Obj[] | undefined) ?? []) p.protocol ??= "TCP";
  for (const e of (c.env as Obj[] | undefined) ?? []) {
    const from = e.valueFrom as Obj | undefined;
    const ref = from?.fieldRef as Obj | undefined;
    if (ref) ref.apiVersion ??= "v1";
  }
}

export function defaultPodSpec(spec: Obj, forPod: boolean): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  for (const c of (spec.containers as Obj[] | undefined) ?? []) defaultContainer(c);
  for (const c of (spec.initContainers as Obj[] | undefined) ?? []) defaultContainer(c);
  for (const v of (spec.volumes as Obj[] | undefined) ?? []) {
    const cm = v.configMap as Obj | undefined;
    if (cm) cm.defaultMode ??= 420;
    const sec = v.secret as Obj | undefined;
    if (sec) sec.defaultMode ??= 420;
  }
  if (forPod) {
    spec.serviceAccountName ??= (spec.serviceAccount as string | undefined) ?? "default";
    spec.serviceAccount ??= spec.serviceAccountName;
    spec.enableServiceLinks ??= true;
    spec.preemptionPolicy ??= "PreemptLowerPriority";
    spec.priority ??= 0;
    const tolerations = ((spec.tolerations as Obj[] | undefined) ?? []).slice();
    for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
      if (!tolerations.some((t) => t.key === key)) {
        tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
      }
    }
    spec.tolerations = tolerations;
  }
}

function qosClass(spec: Obj): string {
  const containers = (spec.containers as Obj[] | undefined) ?? [];
  let anySet = false;
  let allGuaranteed = containers.length > 0;
  for (const c of containers) {
    const res = (c.resources ?? {}) as { limits?: Obj; requests?: Obj };
    const limits = res.limits ?? {};
    const requests = res.requests ?? {};
    if (Object.keys(limits).length || Object.keys(requests).length) anySet = true;
    for (const r of ["cpu", "memory"]) {
      if (limits[r] === undefined || (requests[r] !== undefined && requests[r] !== limits[r])) allGuaranteed = false;
    }
  }
  if (!anySet) return "BestEffort";
  return allGuaranteed ? "Guaranteed" : "Burstable";
}

export function applyDefaults(res: ResourceInfo, obj: KubeObject, isCreate: boolean): void {
  const o = obj as Obj;
  switch (`${res.group}/${res.kind}`) {
    case "/Pod": {
      o.spec ??= {};
      defaultPodSpec(o.spec as Obj, true);
      if (isCreate) {
        const status = (o.status ?? {}) as Obj;
        status.phase ??= "Pending";
        status.qosClass ??= qosClass(o.spec as Obj);
        o.status = status;
      }
      break;
    }
    case "/Namespace": {
      o.spec ??= { finalizers: ["kubernetes"] };
      o.status ??= { phase: "Active" };
      obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": obj.metadata.name };
      break;
    }
    case "/Secret":
      o.type ??= "Opaque";
      if (o.stringData && typeof o.stringData === "object") {
        const data = { ...((o.data as Obj | undefined) ?? {}) };
        for (const [k, v] of Object.entries(o.stringData as Obj)) data[k] = Buffer.from(String(v)).toString("base64");
        o.data = data;
        delete o.stringData;
      }
      break;
    case "/Service": {
      const spec = (o.spec ??= {}) as Obj;
      spec.type ??= "ClusterIP";
      if (spec.type !== "ExternalName") {
        spec.sessionAffinity ??= "None";
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
        spec.internalTrafficPolicy ??= "Cluster";
      }
      if (spec.type === "LoadBalancer" || spec.type === "NodePort") spec.externalTrafficPolicy ??= "Cluster";
      for (const p of (spec.ports as Obj[] | undefined) ?? []) {
        p.protocol ??= "TCP";
        p.targetPort ??= p.port;
      }
      if (isCreate) o.status ??= { loadBalancer: {} };
      break;
    }
    case "/PersistentVolumeClaim":
      if (isCreate) o.status ??= { phase: "Pending" };
      break;
    case "/PersistentVolume":
      if (o.spec) (o.spec as Obj).persistentVolumeReclaimPolicy ??= "Retain";
      if (isCreate) o.status ??= { phase: "Available" };
      break;
    case "apps/Deployment": {
      const spec = (o.spec ??= {}) as Obj;
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const strategy = (spec.strategy ??= {}) as Obj;
      strategy.type ??= "RollingUpdate";
      if (strategy.type === "RollingUpdate") strategy.rollingUpdate ??= { maxUnavailable: "25%", maxSurge: "25%" };
      const tpl = (spec.template ?? {}) as Obj;
      if (tpl.spec) defaultPodSpec(tpl.spec as Obj, false);
      tpl.metadata ??= {};
      break;
    }
    case "apps/ReplicaSet": {
      const spec = (o.spec ??= {}) as Obj;
      spec.replicas ??= 1;
      const tpl = (spec.template ?? {}) as Obj;
      if (tpl.spec) defaultPodSpec(tpl.spec as Obj, false);
      break;
    }
    case "rbac.authorization.k8s.io/RoleBinding":
    case "rbac.authorization.k8s.io/ClusterRoleBinding":
      for (const s of (o.subjects as Obj[] | undefined) ?? []) {
        if (s.kind !== "ServiceAccount") s.apiGroup ??= "rbac.authorization.k8s.io";
      }
      break;
  }
}

/** Kinds whose metadata.generation tracks spec changes. */
export function tracksGeneration(res: ResourceInfo): boolean {
  return Boolean(res.crd) || ["Deployment", "ReplicaSet", "CustomResourceDefinition"].includes(res.kind);
}
