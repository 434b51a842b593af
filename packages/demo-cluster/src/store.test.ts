import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { MemoryStore } from "./store";
import type { KubeObject } from "./types";
import { parseFieldSelector, parseLabelSelector } from "./selectors";

const POD = { apiVersion: "v1", kind: "Pod" };

function newStore(watchWindow = 50) {
  const store = new MemoryStore({ watchWindow });
  for (const name of ["default", "gitlab-runner"])
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return store;
}

function pod(name: string, labels: Record<string, string> = {}, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels },
    spec: { containers: [{ name: "build", image: "alpine:3.20" }] },
    ...extra,
  };
}

function podsRes(store: MemoryStore) {
  return store.resolve(POD);
}

function catchApi(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("MemoryStore", () => {
  it("assigns uid, creationTimestamp and one increasing resourceVersion across kinds", () => {
    const store = newStore();
    const a = store.create(pod("a"));
    const cm = store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "default" },
      data: { k: "v" },
    });
    const b = store.create(pod("b"));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(cm.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    expect(Number(b.metadata.resourceVersion)).toBe(Number(cm.metadata.resourceVersion) + 1);
  });

  it("generates names and rejects duplicates with AlreadyExists", () => {
    const store = newStore();
    const p = store.create({ ...pod(""), metadata: { name: "", generateName: "runner-abc-", namespace: "default" } });
    expect(p.metadata.name).toMatch(/^runner-abc-[a-z0-9]{5}$/);
    const err = catchApi(() => store.create(pod(p.metadata.name)));
    expect(err.code).toBe(409);
    expect(err.reason).toBe("AlreadyExists");
    expect(err.message).toBe(`pods "${p.metadata.name}" already exists`);
  });

  it("rejects objects in a missing namespace", () => {
    const store = newStore();
    const err = catchApi(() => store.create({ ...pod("x"), metadata: { name: "x", namespace: "nope" } }));
    expect(err.code).toBe(404);
    expect(err.message).toBe('namespaces "nope" not found');
  });

  it("returns 409 Conflict on a stale resourceVersion and skips no-op updates", () => {
    const store = newStore();
    const created = store.create(pod("a"));
    const updated = store.update({ ...created, metadata: { ...created.metadata, labels: { x: "1" } } });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const err = catchApi(() => store.update({ ...created, metadata: { ...created.metadata, labels: { x: "2" } } }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe("Conflict");
    expect(err.message).toContain("the object has been modified");
    const same = store.update(updated);
    expect(same.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
  });

  it("keeps status on update and only changes status through updateStatus", () => {
    const store = newStore();
    const p = store.create(pod("a"));
    store.updateStatus({ ...p, status: { phase: "Running" } });
    const got = store.get(POD, "default", "a")!;
    store.update({ ...got, status: { phase: "Failed" }, metadata: { ...got.metadata, labels: { a: "b" } } });
    const after = store.get(POD, "default", "a")!;
    expect((after.status as { phase: string }).phase).toBe("Running");
    expect(after.metadata.labels).toEqual({ a: "b" });
  });

  it("selects by labels (=, ==, !=, in, notin, exists, !exists) and fields", () => {
    const store = newStore();
    store.create(pod("a", { app: "runner", tier: "build" }));
    store.create(pod("b", { app: "runner", tier: "test" }));
    store.create(pod("c", { app: "web" }));
    const names = (sel: string) => store.list(POD, { labelSelector: sel }).map((p) => p.metadata.name);
    expect(names("app=runner")).toEqual(["a", "b"]);
    expect(names("app==runner,tier!=build")).toEqual(["b"]);
    expect(names("tier in (build, test)")).toEqual(["a", "b"]);
    expect(names("tier notin (build)")).toEqual(["b", "c"]);
    expect(names("tier")).toEqual(["a", "b"]);
    expect(names("!tier")).toEqual(["c"]);
    const res = podsRes(store);
    store.updateStatus({ ...store.get(POD, "default", "a")!, status: { phase: "Running" } });
    const running = store.listRaw(res, { field: parseFieldSelector("status.phase=Running", "Pod") }).items;
    expect(running.map((p) => p.metadata.name)).toEqual(["a"]);
    const notA = store.listRaw(res, {
      field: parseFieldSelector("metadata.name!=a,metadata.namespace=default", "Pod"),
    }).items;
    expect(notA.map((p) => p.metadata.name)).toEqual(["b", "c"]);
    expect(() => parseFieldSelector("spec.foo=1", "Pod")).toThrow(/field label not supported: spec.foo/);
    expect(() => parseLabelSelector("a in (")).toThrow(ApiError);
  });

  it("refuses an empty requirement around a comma, as the API server's parser does", () => {
    expect(() => parseLabelSelector(",")).toThrow("found ',', expected: !, identifier, or 'end of string'");
    expect(() => parseLabelSelector(",a=b")).toThrow("found ',', expected: !, identifier, or 'end of string'");
    expect(() => parseLabelSelector("a=b,")).toThrow("found '', expected: identifier after ','");
    expect(() => parseLabelSelector("a=b, ,c")).toThrow("found ',', expected: identifier after ','");
    expect(() => parseLabelSelector("a=b,")).toThrow(ApiError);
    expect(parseLabelSelector("  ")).toEqual([]);
    expect(parseLabelSelector(" a = b , c in (x, y) ")).toEqual([
      { key: "a", op: "=", value: "b" },
      { key: "c", op: "in", values: ["x", "y"] },
    ]);
  });

  it("pages lists with limit and continue", () => {
    const store = newStore();
    for (let i = 0; i < 5; i++) store.create(pod(`p${i}`));
    const res = podsRes(store);
    const first = store.listRaw(res, { limit: 2 });
    expect(first.items.map((p) => p.metadata.name)).toEqual(["p0", "p1"]);
    expect(first.remainingItemCount).toBe(3);
    const second = store.listRaw(res, { limit: 2, continue: first.continue });
    expect(second.items.map((p) => p.metadata.name)).toEqual(["p2", "p3"]);
    const third = store.listRaw(res, { limit: 2, continue: second.continue });
    expect(third.items.map((p) => p.metadata.name)).toEqual(["p4"]);
    expect(third.continue).toBeUndefined();
  });

  it("pages across namespaces in (namespace, name) order", () => {
    const store = newStore();
    for (const name of ["a", "a-b"]) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    for (const ns of ["a", "a-b"])
      for (const n of ["x", "y"]) store.create({ ...pod(n), metadata: { name: n, namespace: ns } });
    const res = podsRes(store);
    const seen: string[] = [];
    let cont: string | undefined;
    do {
      const page = store.listRaw(res, { limit: 1, continue: cont });
      seen.push(...page.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      cont = page.continue;
    } while (cont);
    expect(seen).toEqual(["a/x", "a/y", "a-b/x", "a-b/y"]);
  });

  it("replays watch events from a resourceVersion and answers 410 beyond the window", () => {
    const store = newStore(5);
    const res = podsRes(store);
    const start = store.resourceVersion;
    store.create(pod("a"));
    store.create(pod("b"));
    const seen: string[] = [];
    const cancel = store.watch(res, { resourceVersion: String(start) }, (type, obj) =>
      seen.push(`${type} ${obj.metadata.name}`),
    );
    store.delete(POD, "default", "a", { gracePeriodSeconds: 0 });
    expect(seen).toEqual(["ADDED a", "ADDED b", "DELETED a"]);
    cancel();
    for (let i = 0; i < 30; i++) store.create(pod(`x${i}`));
    const err = catchApi(() => store.watch(res, { resourceVersion: String(start) }, () => {}));
    expect(err.code).toBe(410);
    expect(err.reason).toBe("Expired");
    expect(err.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("keeps exactly watchWindow events", () => {
    const store = newStore(10);
    const res = podsRes(store);
    const from = store.resourceVersion;
    for (let i = 0; i < 10; i++) store.create(pod(`w${i}`));
    const seen: string[] = [];
    store.watch(res, { resourceVersion: String(from) }, (_t, o) => seen.push(o.metadata.name))();
    expect(seen).toHaveLength(10);
    store.create(pod("one-more"));
    expect(() => store.watch(res, { resourceVersion: String(from) }, () => {})).toThrow(/too old resource version/);
    expect(() => store.watch(res, { resourceVersion: String(from + 1) }, () => {})).not.toThrow();
  });

  it("turns selector transitions into ADDED/DELETED for a filtered watch", () => {
    const store = newStore();
    const res = podsRes(store);
    const p = store.create(pod("a", { role: "x" }));
    const seen: string[] = [];
    store.watch(res, { resourceVersion: String(store.resourceVersion), label: parseLabelSelector("role=y") }, (t) =>
      seen.push(t),
    );
    const moved = store.update({ ...p, metadata: { ...p.metadata, labels: { role: "y" } } });
    store.update({ ...moved, metadata: { ...moved.metadata, labels: { role: "z" } } });
    expect(seen).toEqual(["ADDED", "DELETED"]);
  });

  it("deletes scheduled pods gracefully: deletionTimestamp first, then removal", () => {
    const store = newStore();
    store.create({ ...pod("a"), spec: { nodeName: "vk", containers: [{ name: "c", image: "x" }] } });
    const marked = store.delete(POD, "default", "a")!;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.get(POD, "default", "a")).toBeDefined();
    store.delete(POD, "default", "a", { gracePeriodSeconds: 0 });
    expect(store.get(POD, "default", "a")).toBeUndefined();
  });

  it("records what the garbage collector must do as a finalizer, and removes an object with its last finalizer", () => {
    const store = newStore();
    const cm = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });
    const CM = { apiVersion: "v1", kind: "ConfigMap" };
    store.create(cm("fg"));
    const fg = store.delete(CM, "default", "fg", { propagationPolicy: "Foreground" })!;
    expect(fg.metadata.deletionTimestamp).toBeDefined();
    expect(fg.metadata.finalizers).toEqual(["foregroundDeletion"]);
    store.create(cm("orphan"));
    expect(store.delete(CM, "default", "orphan", { propagationPolicy: "Orphan" })!.metadata.finalizers).toEqual([
      "orphan",
    ]);
    // Background (the default) removes the object at once; its dependents are the collector's job.
    store.create(cm("bg"));
    store.delete(CM, "default", "bg");
    expect(store.get(CM, "default", "bg")).toBeUndefined();

    const held = store.get(CM, "default", "fg")!;
    store.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(store.get(CM, "default", "fg")).toBeUndefined();
  });

  it("keeps a deleted namespace Terminating until namespaces/finalize clears spec.finalizers", () => {
    const store = newStore();
    const NS = { apiVersion: "v1", kind: "Namespace" };
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } });
    const terminating = store.delete(NS, undefined, "x")!;
    expect((terminating.status as { phase: string }).phase).toBe("Terminating");
    expect(store.get(NS, undefined, "x")).toBeDefined();
    const err = catchApi(() => store.create({ ...pod("late"), metadata: { name: "late", namespace: "x" } }));
    expect(err.code).toBe(403);
    // A plain update cannot drop the finalizer; only the finalize subresource can.
    const ns = store.get(NS, undefined, "x")!;
    store.update({ ...ns, spec: { finalizers: [] } });
    expect(store.get(NS, undefined, "x")).toBeDefined();
    const nsRes = store.resolve(NS);
    store.updateIn(
      nsRes,
      undefined,
      "x",
      { ...ns, spec: { finalizers: [] } },
      { trusted: true, subresource: "finalize" },
    );
    expect(store.get(NS, undefined, "x")).toBeUndefined();
  });

  it("applies strategic merge patches by container name, with $patch: delete", () => {
    const store = newStore();
    const res = podsRes(store);
    store.create({
      ...pod("a"),
      spec: {
        containers: [
          { name: "build", image: "alpine", env: [{ name: "A", value: "1" }] },
          { name: "helper", image: "helper:1" },
        ],
      },
    });
    const out = store.patchIn(res, "default", "a", "strategic", {
      spec: {
        containers: [
          { name: "build", image: "alpine:3.20", env: [{ name: "B", value: "2" }] },
          { name: "helper", $patch: "delete" },
        ],
      },
    });
    const containers = (out.spec as { containers: Array<{ name: string; image: string; env?: unknown[] }> }).containers;
    expect(containers.map((c) => c.name)).toEqual(["build"]);
    expect(containers[0].image).toBe("alpine:3.20");
    expect(containers[0].env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
  });

  it("server-side apply records managers, reports conflicts in the apiserver's words, and forces", () => {
    const store = newStore();
    const res = store.resolve({ apiVersion: "v1", kind: "ConfigMap" });
    const cm = (data: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg" },
      data,
    });
    store.patchIn(res, "default", "cfg", "apply", cm({ a: "1", b: "1" }), { fieldManager: "alice" });
    const err = catchApi(() => store.patchIn(res, "default", "cfg", "apply", cm({ a: "2" }), { fieldManager: "bob" }));
    expect(err.code).toBe(409);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.a');
    expect(err.details?.causes).toEqual([
      { type: "FieldManagerConflict", message: 'conflict with "alice"', field: ".data.a" },
    ]);

    store.patchIn(res, "default", "cfg", "merge", { data: { b: "2" } }, { fieldManager: "kubectl-edit" });
    const err2 = catchApi(() =>
      store.patchIn(res, "default", "cfg", "apply", cm({ a: "1", b: "3" }), { fieldManager: "alice" }),
    );
    expect(err2.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.b');

    const forced = store.patchIn(res, "default", "cfg", "apply", cm({ a: "9" }), { fieldManager: "bob", force: true });
    expect(forced.data).toEqual({ a: "9", b: "2" });
    const managers = (forced.metadata.managedFields as Array<{ manager: string; operation: string }>).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    expect(managers.sort()).toEqual(["bob/Apply", "kubectl-edit/Update"]);
    // alice lost .data.a and never owned .data.b after kubectl-edit took it: her entry is gone.

    // Dropping a field from bob's applied config removes it when nobody else owns it.
    const dropped = store.patchIn(res, "default", "cfg", "apply", cm({}), { fieldManager: "bob" });
    expect(dropped.data).toEqual({ b: "2" });
  });

  it("persists and restores objects, resourceVersion and the watch window", () => {
    const store = newStore();
    store.create(pod("a"));
    const snap = JSON.parse(JSON.stringify(store.snapshot()));
    const again = new MemoryStore();
    again.restore(snap);
    expect(again.resourceVersion).toBe(store.resourceVersion);
    expect(again.get(POD, "default", "a")?.metadata.uid).toBe(store.get(POD, "default", "a")?.metadata.uid);
    const next = again.create(pod("b"));
    expect(Number(next.metadata.resourceVersion)).toBe(store.resourceVersion + 1);
    const seen: string[] = [];
    again.watch(again.resolve(POD), { resourceVersion: "1" }, (t, o) => seen.push(`${t} ${o.metadata.name}`));
    expect(seen).toEqual(["ADDED a", "ADDED b"]);
  });

  it("expires Events after their TTL", () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const store = new MemoryStore({ clock: { now: () => now, setTimeout: () => () => {} } });
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    const ev = (name: string, last: string) => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: "default" },
      involvedObject: { kind: "Pod", name: "p" },
      lastTimestamp: last,
    });
    store.create(ev("old", "2026-01-01T00:00:00Z"));
    store.create(ev("new", "2026-01-01T00:50:00Z"));
    now += 61 * 60_000;
    expect(store.expireEvents(3600_000)).toBe(1);
    expect(store.list({ apiVersion: "v1", kind: "Event" }).map((e) => e.metadata.name)).toEqual(["new"]);
  });

  it("delivers events to subscribers in resourceVersion order even when they write", () => {
    const store = newStore();
    const order: string[] = [];
    store.subscribe((e) => {
      if (e.type === "ADDED" && e.object.kind === "Pod" && e.object.metadata.name === "a") {
        store.create({
          apiVersion: "v1",
          kind: "Event",
          metadata: { name: "ev1", namespace: "default" },
          involvedObject: { kind: "Pod", name: "a" },
          reason: "Scheduled",
        });
      }
    });
    store.subscribe((e) => order.push(`${e.type} ${e.object.kind} ${e.object.metadata.resourceVersion}`));
    store.create(pod("a"));
    const rvs = order.map((s) => Number(s.split(" ")[2]));
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    expect(order.map((s) => s.split(" ").slice(0, 2).join(" "))).toEqual(["ADDED Pod", "ADDED Event"]);
  });
});
