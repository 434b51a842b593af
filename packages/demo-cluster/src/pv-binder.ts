import type { ClusterStore, KubeObject } from "./types";

// The part of kube-controller-manager's PersistentVolume controller a demo needs: claims bind
// to the volume they name, or to an Available volume of the same class that is large enough;
// a volume whose claim is deleted becomes Released (Retain) or is deleted (Delete).

const PV = { apiVersion: "v1", kind: "PersistentVolume" };
const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" };

type Obj = KubeObject & {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

const UNITS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  m: 1e-3,
};

export function quantityBytes(q: unknown): number {
  const m = String(q ?? "0").match(/^([0-9.]+)([A-Za-z]*)$/);
  if (!m) return 0;
  return Number(m[1]) * (m[2] ? (UNITS[m[2]] ?? 1) : 1);
}

function storageOf(o: Obj, path: "capacity" | "request"): number {
  const spec = o.spec ?? {};
  const v =
    path === "capacity"
      ? (spec.capacity as Record<string, unknown> | undefined)?.storage
      : (spec.resources as { requests?: Record<string, unknown> } | undefined)?.requests?.storage;
  return quantityBytes(v);
}

function phase(o: Obj): string | undefined {
  return o.status?.phase as string | undefined;
}

export function startVolumeBinder(store: ClusterStore): () => void {
  const bind = (pvc: Obj) => {
    if (phase(pvc) === "Bound" || pvc.metadata.deletionTimestamp) return;
    const wanted = pvc.spec?.volumeName as string | undefined;
    const cls = (pvc.spec?.storageClassName as string | undefined) ?? "";
    const modes = (pvc.spec?.accessModes as string[] | undefined) ?? [];
    const volumes = store.list(PV) as Obj[];
    const pv = wanted
      ? volumes.find((v) => v.metadata.name === wanted)
      : volumes
          .filter((v) => phase(v) === "Available" && !v.spec?.claimRef)
          .filter((v) => ((v.spec?.storageClassName as string | undefined) ?? "") === cls)
          .filter((v) => modes.every((m) => ((v.spec?.accessModes as string[] | undefined) ?? []).includes(m)))
          .filter((v) => storageOf(v, "capacity") >= storageOf(pvc, "request"))
          .sort((a, b) => storageOf(a, "capacity") - storageOf(b, "capacity"))[0];
    if (!pv) return;
    const ref = pv.spec?.claimRef as { namespace?: string; name?: string } | undefined;
    if (ref && (ref.namespace !== pvc.metadata.namespace || ref.name !== pvc.metadata.name)) return;
    const boundPv = store.update({
      ...pv,
      spec: {
        ...pv.spec,
        claimRef: {
          kind: "PersistentVolumeClaim",
          apiVersion: "v1",
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
          uid: pvc.metadata.uid,
          resourceVersion: pvc.metadata.resourceVersion,
        },
      },
      metadata: {
        ...pv.metadata,
        annotations: { ...pv.metadata.annotations, "pv.kubernetes.io/bound-by-controller": "yes" },
      },
    }) as Obj;
    store.updateStatus({ ...boundPv, status: { ...boundPv.status, phase: "Bound" } });
    const claim = store.update({
      ...pvc,
      spec: { ...pvc.spec, volumeName: pv.metadata.name },
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...pvc.metadata.annotations,
          "pv.kubernetes.io/bind-completed": "yes",
          ...(wanted ? {} : { "pv.kubernetes.io/bound-by-controller": "yes" }),
        },
      },
    }) as Obj;
    store.updateStatus({
      ...claim,
      status: { phase: "Bound", accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity },
    });
  };

  const release = (pvc: Obj) => {
    for (const pv of store.list(PV) as Obj[]) {
      const ref = pv.spec?.claimRef as { uid?: string } | undefined;
      if (ref?.uid !== pvc.metadata.uid) continue;
      if (pv.spec?.persistentVolumeReclaimPolicy === "Delete") store.delete(PV, undefined, pv.metadata.name);
      else store.updateStatus({ ...pv, status: { ...pv.status, phase: "Released" } });
    }
  };

  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if ((e as { code?: number }).code !== 409 && (e as { code?: number }).code !== 404)
        console.error("demo-cluster: volume binder:", e);
    }
  };

  const unsubscribe = store.subscribe((ev) => {
    const o = ev.object as Obj;
    if (o.kind === "PersistentVolumeClaim") {
      if (ev.type === "DELETED") safely(() => release(o));
      else safely(() => bind(o));
    } else if (o.kind === "PersistentVolume" && ev.type === "ADDED") {
      for (const pvc of store.list(PVC) as Obj[]) if (phase(pvc) !== "Bound") safely(() => bind(pvc));
    }
  });
  for (const pvc of store.list(PVC) as Obj[]) safely(() => bind(pvc));
  return unsubscribe;
}
