import { describe, expect, it } from "vitest";
import { quantityBytes, startVolumeBinder } from "./pv-binder";
import { MemoryStore } from "./store";

const PV = { apiVersion: "v1", kind: "PersistentVolume" };
const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" };

function setup() {
  const store = new MemoryStore();
  store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const stop = startVolumeBinder(store);
  return { store, stop };
}

const pv = (name: string, size: string, extra: Record<string, unknown> = {}) => ({
  ...PV,
  metadata: { name },
  spec: {
    capacity: { storage: size },
    accessModes: ["ReadWriteMany"],
    nfs: { server: "nas.example", path: "/" },
    ...extra,
  },
});
const pvc = (name: string, size: string, extra: Record<string, unknown> = {}) => ({
  ...PVC,
  metadata: { name, namespace: "default" },
  spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: size } }, ...extra },
});

describe("volume binder", () => {
  it("binds a claim to the volume it names and to the smallest fitting one otherwise", () => {
    const { store } = setup();
    store.create(pv("big", "100Gi"));
    store.create(pv("small", "20Gi"));
    store.create(pvc("named", "10Gi", { volumeName: "big" }));
    store.create(pvc("any", "10Gi"));
    const named = store.get(PVC, "default", "named")!;
    expect(named.status).toMatchObject({ phase: "Bound", capacity: { storage: "100Gi" } });
    const any = store.get(PVC, "default", "any")!;
    expect((any.spec as { volumeName: string }).volumeName).toBe("small");
    expect(store.get(PV, undefined, "small")!.status).toMatchObject({ phase: "Bound" });
    expect((store.get(PV, undefined, "big")!.spec as { claimRef: { name: string } }).claimRef.name).toBe("named");
  });

  it("waits for a volume, and releases it when the claim goes", () => {
    const { store } = setup();
    store.create(pvc("late", "5Gi"));
    expect(store.get(PVC, "default", "late")!.status).toMatchObject({ phase: "Pending" });
    store.create(pv("arrives", "5Gi"));
    expect(store.get(PVC, "default", "late")!.status).toMatchObject({ phase: "Bound" });
    store.delete(PVC, "default", "late");
    expect(store.get(PV, undefined, "arrives")!.status).toMatchObject({ phase: "Released" });
  });

  it("parses quantities", () => {
    expect(quantityBytes("1Gi")).toBe(2 ** 30);
    expect(quantityBytes("500M")).toBe(5e8);
  });
});
