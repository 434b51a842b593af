import { describe, expect, it } from "vitest";
import { NamespaceView, type CacheReader } from "./namespace-view";
import type { CacheEvent, KubeObjectLike } from "./watch-cache";

type Obj = KubeObjectLike & { metadata: { uid: string; namespace: string } };
const obj = (uid: string, namespace: string): Obj => ({ metadata: { uid, namespace } });

// A shared cache as its owner holds it: every namespace's objects, one listener list.
function sharedCache(objects: Obj[]) {
  const listeners = new Set<(event: CacheEvent<Obj>) => void>();
  const cache: CacheReader<Obj> = {
    status: { state: "live", since: 1 },
    hasSynced: true,
    list: () => [...objects],
    get: (key) => objects.find((o) => o.metadata.uid === key),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { cache, emit: (event: CacheEvent<Obj>) => listeners.forEach((l) => l(event)) };
}

describe("NamespaceView", () => {
  const objects = [obj("a", "ci"), obj("b", "other"), obj("c", "ci")];

  it("lists and gets only its namespace's objects; null means every namespace", () => {
    const { cache } = sharedCache(objects);
    const ci = new NamespaceView(cache, "ci", () => {});
    expect(ci.list().map((o) => o.metadata.uid)).toEqual(["a", "c"]);
    expect(ci.get("a")).toBe(objects[0]);
    expect(ci.get("b")).toBeUndefined();
    expect(ci.get("missing")).toBeUndefined();
    const all = new NamespaceView(cache, null, () => {});
    expect(all.list()).toHaveLength(3);
    expect(all.get("b")).toBe(objects[1]);
  });

  it("passes on the cache's status and sync state", () => {
    const { cache } = sharedCache(objects);
    const view = new NamespaceView(cache, "ci", () => {});
    expect(view.status).toEqual({ state: "live", since: 1 });
    expect(view.hasSynced).toBe(true);
    expect(new NamespaceView({ ...cache, hasSynced: false }, "ci", () => {}).hasSynced).toBe(false);
  });

  it("forwards its namespace's object events and every status or synced event, until unsubscribed", () => {
    const { cache, emit } = sharedCache(objects);
    const seen: string[] = [];
    const unsubscribe = new NamespaceView(cache, "ci", () => {}).subscribe((event) =>
      seen.push("object" in event ? `${event.type}:${event.object.metadata?.uid}` : event.type),
    );
    emit({ type: "add", object: obj("d", "ci") });
    emit({ type: "add", object: obj("e", "other") });
    emit({ type: "delete", object: obj("a", "ci") });
    emit({ type: "status", status: { state: "reconnecting", since: 2 } });
    emit({ type: "synced" });
    unsubscribe();
    emit({ type: "add", object: obj("f", "ci") });
    expect(seen).toEqual(["add:d", "delete:a", "status", "synced"]);
  });

  it("gives its share back once, however often it is stopped; start does nothing", () => {
    const { cache } = sharedCache(objects);
    let released = 0;
    const view = new NamespaceView(cache, "ci", () => released++);
    view.start();
    expect(released).toBe(0);
    view.stop();
    view.stop();
    expect(released).toBe(1);
  });
});
