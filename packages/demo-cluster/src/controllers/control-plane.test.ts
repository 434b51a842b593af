import { describe, expect, it } from "vitest";
import { ManualClock } from "../sim/clock";
import { seedCluster } from "../seed";
import { MemoryStore } from "../store";
import type { KubeObject } from "../types";
import { startControlPlane } from "./index";

const POD = { apiVersion: "v1", kind: "Pod" };
const RS = { apiVersion: "apps/v1", kind: "ReplicaSet" };
const CM = { apiVersion: "v1", kind: "ConfigMap" };
const NS = { apiVersion: "v1", kind: "Namespace" };
const CRD = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" };

function cluster() {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock, gracefulDeletionMaxMs: 3_000 });
  seedCluster(store, "");
  const errors: unknown[] = [];
  const stop = startControlPlane(store, { clock, onError: (e) => errors.push(e) });
  return { clock, store, errors, stop, settle: (ms = 0) => clock.advance(ms) };
}

function replicaSet(store: MemoryStore, name: string): KubeObject {
  return store.create({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "x" }] } },
    },
  });
}

function ownedPod(store: MemoryStore, name: string, owners: KubeObject[]): KubeObject {
  return store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      ownerReferences: owners.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        uid: o.metadata.uid!,
      })),
    },
    spec: { containers: [{ name: "c", image: "x" }] },
  });
}

describe("garbage collector", () => {
  it("deletes the dependents of an owner deleted in the background, after the delete has answered", () => {
    const { store, errors, settle } = cluster();
    const rs = replicaSet(store, "rs");
    ownedPod(store, "p1", [rs]);
    store.delete(RS, "default", "rs");
    expect(store.get(RS, "default", "rs")).toBeUndefined();
    expect(store.get(POD, "default", "p1")).toBeDefined();
    settle();
    expect(store.get(POD, "default", "p1")).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it("keeps a dependent that still has a live owner, dropping only the dangling reference", () => {
    const { store, settle } = cluster();
    const a = replicaSet(store, "a");
    const b = replicaSet(store, "b");
    ownedPod(store, "shared", [a, b]);
    store.delete(RS, "default", "a");
    settle();
    const kept = store.get(POD, "default", "shared")!;
    expect(kept.metadata.ownerReferences?.map((o) => o.name)).toEqual(["b"]);
  });

  it("holds a foreground-deleted owner until its dependents are gone", () => {
    const { store, settle } = cluster();
    const rs = replicaSet(store, "fg");
    ownedPod(store, "p", [rs]);
    ownedPod(store, "q", [rs]);
    store.delete(RS, "default", "fg", { propagationPolicy: "Foreground" });
    expect(store.get(RS, "default", "fg")?.metadata.finalizers).toContain("foregroundDeletion");
    settle();
    expect(store.get(POD, "default", "p")).toBeUndefined();
    expect(store.get(POD, "default", "q")).toBeUndefined();
    settle();
    expect(store.get(RS, "default", "fg")).toBeUndefined();
  });

  it("waits for dependents that terminate gracefully before finishing a foreground delete", () => {
    const { store, settle } = cluster();
    const rs = replicaSet(store, "slow");
    const p = ownedPod(store, "running", [rs]);
    store.update({ ...p, spec: { ...(p.spec as object), nodeName: "vk" } });
    store.delete(RS, "default", "slow", { propagationPolicy: "Foreground" });
    settle();
    expect(store.get(POD, "default", "running")?.metadata.deletionTimestamp).toBeDefined();
    expect(store.get(RS, "default", "slow")).toBeDefined();
    settle(3_000);
    expect(store.get(POD, "default", "running")).toBeUndefined();
    expect(store.get(RS, "default", "slow")).toBeUndefined();
  });

  it("orphans dependents of an owner deleted with Orphan, then lets the owner go", () => {
    const { store, settle } = cluster();
    const rs = replicaSet(store, "o");
    ownedPod(store, "survivor", [rs]);
    store.delete(RS, "default", "o", { propagationPolicy: "Orphan" });
    settle();
    expect(store.get(RS, "default", "o")).toBeUndefined();
    expect(store.get(POD, "default", "survivor")?.metadata.ownerReferences).toBeUndefined();
  });

  it("deletes a dependent whose owner never existed", () => {
    const { store, settle } = cluster();
    const ghost = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "ghost", uid: "no-such-uid" } };
    ownedPod(store, "dangling", [ghost as KubeObject]);
    settle();
    expect(store.get(POD, "default", "dangling")).toBeUndefined();
  });
});

describe("namespace controller", () => {
  it("empties a deleted namespace, pods gracefully, then removes it — and nothing outside it", () => {
    const { store, settle } = cluster();
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
    store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "doomed" } });
    const p = store.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "doomed" },
      spec: { nodeName: "vk", containers: [{ name: "c", image: "x" }] },
    });
    store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bystander", namespace: "default" } });
    store.delete(NS, undefined, "doomed");
    settle();
    expect(store.get(CM, "doomed", "c")).toBeUndefined();
    expect(store.get(POD, "doomed", p.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    expect((store.get(NS, undefined, "doomed")?.status as { phase: string }).phase).toBe("Terminating");
    settle(3_000);
    expect(store.get(POD, "doomed", "p")).toBeUndefined();
    settle();
    expect(store.get(NS, undefined, "doomed")).toBeUndefined();
    expect(store.get(CM, "default", "bystander")).toBeDefined();
  });
});

describe("CRD controllers", () => {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };

  it("establishes a new CRD and cleans up its custom resources when it is deleted", () => {
    const { store, settle } = cluster();
    store.create(crd);
    settle();
    const status = store.get(CRD, undefined, crd.metadata.name)!.status as {
      conditions: Array<{ type: string; status: string }>;
      storedVersions: string[];
    };
    expect(status.conditions.find((c) => c.type === "Established")?.status).toBe("True");
    expect(status.storedVersions).toEqual(["v1"]);

    store.create({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "default" } });
    store.delete(CRD, undefined, crd.metadata.name);
    expect(store.get(CRD, undefined, crd.metadata.name)?.metadata.finalizers).toContain(
      "customresourcecleanup.apiextensions.k8s.io",
    );
    settle();
    settle();
    expect(store.get(CRD, undefined, crd.metadata.name)).toBeUndefined();
    expect(store.registry.forKind("example.com/v1", "Widget")).toBeUndefined();
  });
});
