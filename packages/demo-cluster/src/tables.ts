import type { PrinterColumn, ResourceInfo } from "./resources";
import type { KubeObject } from "./types";

// Server-side printing (meta.k8s.io/v1 Table), with the columns kube-apiserver's printers use,
// so `kubectl get` looks as it does against a real cluster.

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const col = (name: string, type = "string", priority = 0, format = "", description = ""): TableColumn => ({
  name,
  type,
  format,
  description: description || name,
  priority,
});
const NAME = col(
  "Name",
  "string",
  0,
  "name",
  "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
);
const AGE = col(
  "Age",
  "string",
  0,
  "",
  "CreationTimestamp is a timestamp representing the server time when this object was created.",
);

/** kubectl's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(ts: string | undefined, now: number): string {
  if (!ts) return "<unknown>";
  return humanDuration(now - Date.parse(ts));
}

/** The STATUS column of `kubectl get pods` (printPod in kubernetes/pkg/printers/internalversion). */
export function podStatusReason(pod: Obj): string {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || "Unknown";
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  let initializing = false;
  initStatuses.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    if (t) {
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
      initializing = true;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== "PodInitializing") {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
      initializing = true;
    }
  });
  if (!initializing) {
    let hasRunning = false;
    const cs: Obj[] = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated)
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) {
      const ready = (status.conditions ?? []).some((c: Obj) => c.type === "Ready" && c.status === "True");
      reason = ready ? "Running" : "NotReady";
    }
  }
  if (pod.metadata?.deletionTimestamp) reason = status.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
}

function podRow(pod: Obj): unknown[] {
  const cs: Obj[] = pod.status?.containerStatuses ?? [];
  const total = (pod.spec?.containers ?? []).length;
  const ready = cs.filter((c) => c.ready).length;
  const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const ip = pod.status?.podIP ?? "<none>";
  return [
    `${ready}/${total}`,
    podStatusReason(pod),
    String(restarts),
    ip,
    pod.spec?.nodeName ?? "<none>",
    pod.status?.nominatedNodeName ?? "<none>",
    "<none>",
  ];
}

interface Printer {
  columns: TableColumn[];
  /** Cells after Name and before Age (Age is appended when `age` is set). */
  cells: (o: Obj, now: number) => unknown[];
  age?: boolean;
  noName?: boolean;
}

function join(v: unknown[] | undefined): string {
  return v && v.length ? v.join(",") : "<none>";
}

const PRINTERS: Record<string, Printer> = {
  "/Pod": {
    columns: [
      col("Ready"),
      col("Status"),
      col("Restarts", "string"),
      AGE,
      col("IP", "string", 1),
      col("Node", "string", 1),
      col("Nominated Node", "string", 1),
      col("Readiness Gates", "string", 1),
    ],
    cells: (o, now) => {
      const r = podRow(o);
      return [r[0], r[1], r[2], age(o.metadata.creationTimestamp, now), r[3], r[4], r[5], r[6]];
    },
  },
  "/Namespace": {
    columns: [col("Status"), AGE],
    cells: (o, now) => [o.status?.phase ?? "", age(o.metadata.creationTimestamp, now)],
  },
  "/Node": {
    columns: [
      col("Status"),
      col("Roles"),
      AGE,
      col("Version"),
      col("Internal-IP", "string", 1),
      col("External-IP", "string", 1),
      col("OS-Image", "string", 1),
      col("Kernel-Version", "string", 1),
      col("Container-Runtime", "string", 1),
    ],
    cells: (o, now) => {
      const ready = (o.status?.conditions ?? []).find((c: Obj) => c.type === "Ready");
      let status = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
      if (o.spec?.unschedulable) status += ",SchedulingDisabled";
      const labels: Record<string, string> = o.metadata.labels ?? {};
      const roles = Object.keys(labels)
        .filter((k) => k.startsWith("node-role.kubernetes.io/"))
        .map((k) => k.slice("node-role.kubernetes.io/".length));
      if (labels["kubernetes.io/role"]) roles.push(labels["kubernetes.io/role"]);
      const addr = (t: string) => (o.status?.addresses ?? []).find((a: Obj) => a.type === t)?.address ?? "<none>";
      const info = o.status?.nodeInfo ?? {};
      return [
        status,
        roles.length ? [...new Set(roles)].sort().join(",") : "<none>",
        age(o.metadata.creationTimestamp, now),
        info.kubeletVersion ?? "",
        addr("InternalIP"),
        addr("ExternalIP"),
        info.osImage ?? "<unknown>",
        info.kernelVersion ?? "<unknown>",
        info.containerRuntimeVersion ?? "<unknown>",
      ];
    },
  },
  "apps/Deployment": {
    columns: [
      col("Ready"),
      col("Up-to-date", "integer"),
      col("Available", "integer"),
      AGE,
      col("Containers", "string", 1),
      col("Images", "string", 1),
      col("Selector", "string", 1),
    ],
    cells: (o, now) => {
      const s = o.status ?? {};
      const cs: Obj[] = o.spec?.template?.spec?.containers ?? [];
      const sel = Object.entries(o.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      return [
        `${s.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
        s.updatedReplicas ?? 0,
        s.availableReplicas ?? 0,
        age(o.metadata.creationTimestamp, now),
        cs.map((c) => c.name).join(","),
        cs.map((c) => c.image).join(","),
        sel || "<none>",
      ];
    },
  },
  "apps/ReplicaSet": {
    columns: [
      col("Desired", "integer"),
      col("Current", "integer"),
      col("Ready", "integer"),
      AGE,
      col("Containers", "string", 1),
      col("Images", "string", 1),
      col("Selector", "string", 1),
    ],
    cells: (o, now) => {
      const s = o.status ?? {};
      const cs: Obj[] = o.spec?.template?.spec?.containers ?? [];
      const sel = Object.entries(o.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      return [
        o.spec?.replicas ?? 0,
        s.replicas ?? 0,
        s.readyReplicas ?? 0,
        age(o.metadata.creationTimestamp, now),
        cs.map((c) => c.name).join(","),
        cs.map((c) => c.image).join(","),
        sel || "<none>",
      ];
    },
  },
  "/Event": {
    noName: true,
    columns: [
      col("Last Seen"),
      col("Type"),
      col("Reason"),
      col("Object"),
      col("Subobject", "string", 1),
      col("Source", "string", 1),
      col("Message"),
      col("First Seen", "string", 1),
      col("Count", "integer", 1),
      col("Name", "string", 1, "name"),
    ],
    cells: (o, now) => {
      const inv = o.involvedObject ?? o.regarding ?? {};
      const last = o.lastTimestamp ?? o.deprecatedLastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const first = o.firstTimestamp ?? o.deprecatedFirstTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const src = o.source ?? o.deprecatedSource ?? {};
      const count = o.count ?? o.deprecatedCount ?? 1;
      const lastSeen = count > 1 ? `${age(last, now)} (x${count} over ${age(first, now)})` : age(last, now);
      return [
        lastSeen,
        o.type ?? "",
        o.reason ?? "",
        `${String(inv.kind ?? "").toLowerCase()}/${inv.name ?? ""}`,
        inv.fieldPath ?? "",
        src.component ?? o.reportingComponent ?? o.reportingController ?? "",
        o.message ?? o.note ?? "",
        age(first, now),
        count,
        o.metadata.name,
      ];
    },
  },
  "/Service": {
    columns: [col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), AGE, col("Selector", "string", 1)],
    cells: (o, now) => {
      const spec = o.spec ?? {};
      const ingress: Obj[] = o.status?.loadBalancer?.ingress ?? [];
      const external =
        spec.type === "ExternalName"
          ? spec.externalName
          : ingress.length
            ? ingress.map((i) => i.ip ?? i.hostname).join(",")
            : spec.type === "LoadBalancer"
              ? "<pending>"
              : "<none>";
      const ports = ((spec.ports ?? []) as Obj[])
        .map((p) =>
          p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`,
        )
        .join(",");
      const sel = Object.entries(spec.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      return [
        spec.type ?? "ClusterIP",
        spec.clusterIP ?? "<none>",
        external,
        ports || "<none>",
        age(o.metadata.creationTimestamp, now),
        sel || "<none>",
      ];
    },
  },
  "/ConfigMap": {
    columns: [col("Data", "integer"), AGE],
    cells: (o, now) => [
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  "/Secret": {
    columns: [col("Type"), col("Data", "integer"), AGE],
    cells: (o, now) => [o.type ?? "Opaque", Object.keys(o.data ?? {}).length, age(o.metadata.creationTimestamp, now)],
  },
  "/ServiceAccount": {
    columns: [col("Secrets", "integer"), AGE],
    cells: (o, now) => [(o.secrets ?? []).length, age(o.metadata.creationTimestamp, now)],
  },
  "/PersistentVolumeClaim": {
    columns: [
      col("Status"),
      col("Volume"),
      col("Capacity"),
      col("Access Modes"),
      col("StorageClass"),
      col("VolumeAttributesClass"),
      AGE,
      col("VolumeMode", "string", 1),
    ],
    cells: (o, now) => [
      o.status?.phase ?? "",
      o.spec?.volumeName ?? "",
      o.status?.capacity?.storage ?? "",
      modes(o.status?.accessModes ?? o.spec?.accessModes),
      o.spec?.storageClassName ?? "<unset>",
      o.spec?.volumeAttributesClassName ?? "<unset>",
      age(o.metadata.creationTimestamp, now),
      o.spec?.volumeMode ?? "Filesystem",
    ],
  },
  "/PersistentVolume": {
    columns: [
      col("Capacity"),
      col("Access Modes"),
      col("Reclaim Policy"),
      col("Status"),
      col("Claim"),
      col("StorageClass"),
      col("VolumeAttributesClass"),
      col("Reason"),
      AGE,
      col("VolumeMode", "string", 1),
    ],
    cells: (o, now) => {
      const ref = o.spec?.claimRef;
      return [
        o.spec?.capacity?.storage ?? "",
        modes(o.spec?.accessModes),
        o.spec?.persistentVolumeReclaimPolicy ?? "",
        o.status?.phase ?? "",
        ref ? `${ref.namespace}/${ref.name}` : "",
        o.spec?.storageClassName ?? "",
        o.spec?.volumeAttributesClassName ?? "<unset>",
        o.status?.reason ?? "",
        age(o.metadata.creationTimestamp, now),
        o.spec?.volumeMode ?? "Filesystem",
      ];
    },
  },
  "rbac.authorization.k8s.io/Role": {
    columns: [col("Created At", "date")],
    cells: (o) => [o.metadata.creationTimestamp],
  },
  "rbac.authorization.k8s.io/ClusterRole": {
    columns: [col("Created At", "date")],
    cells: (o) => [o.metadata.creationTimestamp],
  },
  "rbac.authorization.k8s.io/RoleBinding": {
    columns: [
      col("Role"),
      AGE,
      col("Users", "string", 1),
      col("Groups", "string", 1),
      col("ServiceAccounts", "string", 1),
    ],
    cells: (o, now) => bindingCells(o, now),
  },
  "rbac.authorization.k8s.io/ClusterRoleBinding": {
    columns: [
      col("Role"),
      AGE,
      col("Users", "string", 1),
      col("Groups", "string", 1),
      col("ServiceAccounts", "string", 1),
    ],
    cells: (o, now) => bindingCells(o, now),
  },
  "coordination.k8s.io/Lease": {
    columns: [col("Holder"), AGE],
    cells: (o, now) => [o.spec?.holderIdentity ?? "", age(o.metadata.creationTimestamp, now)],
  },
  "apiextensions.k8s.io/CustomResourceDefinition": {
    columns: [col("Created At", "date")],
    cells: (o) => [o.metadata.creationTimestamp],
  },
};

function modes(list: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: "RWO",
    ReadOnlyMany: "ROX",
    ReadWriteMany: "RWX",
    ReadWriteOncePod: "RWOP",
  };
  return (list ?? []).map((m) => short[m] ?? m).join(",");
}

function bindingCells(o: Obj, now: number): unknown[] {
  const subjects: Obj[] = o.subjects ?? [];
  const of = (k: string) =>
    join(
      subjects
        .filter((s) => s.kind === k)
        .map((s) => (k === "ServiceAccount" ? `${s.namespace ?? o.metadata.namespace}/${s.name}` : s.name)),
    );
  return [
    `${o.roleRef?.kind}/${o.roleRef?.name}`,
    age(o.metadata.creationTimestamp, now),
    of("User"),
    of("Group"),
    of("ServiceAccount"),
  ];
}

/** Evaluates the simple JSONPaths CRD printer columns use (".status.phase", ".spec.images[0]"). */
function jsonPath(obj: Obj, p: string): unknown {
  let cur: unknown = obj;
  for (const part of p
    .replace(/^\{?\.?/, "")
    .replace(/\}$/, "")
    .split(".")) {
    if (!part) continue;
    const m = part.match(/^([^[]*)((\[\d+\])*)$/);
    if (!m) return undefined;
    if (m[1]) cur = (cur as Obj | undefined)?.[m[1]];
    for (const idx of m[2].match(/\d+/g) ?? []) cur = (cur as unknown[] | undefined)?.[Number(idx)];
  }
  return cur;
}

function customPrinter(cols: PrinterColumn[]): Printer {
  const hasAge = cols.some((c) => c.jsonPath === ".metadata.creationTimestamp");
  const columns = cols.map((c) =>
    col(c.name, c.type === "date" ? "string" : c.type, c.priority ?? 0, c.format ?? "", c.description ?? c.name),
  );
  return {
    columns: hasAge ? columns : [...columns, AGE],
    cells: (o, now) => {
      const cells = cols.map((c) => {
        const v = jsonPath(o, c.jsonPath);
        if (c.type === "date" && typeof v === "string") return age(v, now);
        if (v === undefined || v === null) return null;
        return typeof v === "object" ? JSON.stringify(v) : v;
      });
      return hasAge ? cells : [...cells, age(o.metadata.creationTimestamp, now)];
    },
  };
}

function printerFor(res: ResourceInfo): Printer {
  if (res.crd) return customPrinter(res.printerColumns ?? []);
  return (
    PRINTERS[`${res.group === "events.k8s.io" ? "" : res.group}/${res.kind}`] ?? {
      columns: [AGE],
      cells: (o, now) => [age(o.metadata.creationTimestamp, now)],
    }
  );
}

export function tableColumns(res: ResourceInfo): TableColumn[] {
  const p = printerFor(res);
  return p.noName ? p.columns : [NAME, ...p.columns];
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function tableRow(
  res: ResourceInfo,
  obj: KubeObject,
  now: number,
  include: IncludeObject,
): Record<string, unknown> {
  const p = printerFor(res);
  const cells = p.cells(obj as Obj, now);
  const row: Record<string, unknown> = { cells: p.noName ? cells : [obj.metadata.name, ...cells] };
  if (include === "Object") row.object = obj;
  else if (include === "Metadata")
    row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
  return row;
}

export function toTable(
  res: ResourceInfo,
  items: KubeObject[],
  meta: Record<string, unknown>,
  now: number,
  include: IncludeObject,
  withColumns = true,
): Record<string, unknown> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: meta,
    columnDefinitions: withColumns ? tableColumns(res) : null,
    rows: items.map((o) => tableRow(res, o, now, include)),
  };
}
