import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSource } from "./testing/fake-source";
import { backoffDelay, isUnreachable, WatchCache, type CacheEvent } from "./watch-cache";

interface Obj {
  metadata: { uid: string; name: string; resourceVersion: string; managedFields?: unknown };
  value?: string;
}

const obj = (uid: string, rv: string, value = ""): Obj => ({
  metadata: { uid, name: uid, resourceVersion: rv, managedFields: [{ manager: "x" }] },
  value,
});

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}

describe("WatchCache", () => {
  let source: FakeSource<Obj>;
  let cache: WatchCache<Obj>;
  let events: Array<CacheEvent<Obj>>;
  const log = () =>
    events.map((e) =>
      e.type === "status"
        ? `status:${e.status.state}`
        : e.type === "synced"
          ? "synced"
          : `${e.type}:${e.object.metadata.uid}@${e.object.metadata.resourceVersion}`,
    );

  beforeEach(() => {
    vi.useFakeTimers();
    source = new FakeSource<Obj>();
    cache = new WatchCache(source, { backoff: { initialMs: 100, maxMs: 1000 } });
    events = [];
    cache.subscribe((e) => events.push(e));
  });
  afterEach(() => {
    cache.stop();
    vi.useRealTimers();
  });

  it("passes every listed and watched object through the slim hook before storing or emitting it", async () => {
    cache.stop();
    cache = new WatchCache(source, {
      backoff: { initialMs: 100, maxMs: 1000 },
      slim: (o) => ({ ...o, value: `slim:${o.value}` }),
    });
    cache.subscribe((e) => events.push(e));
    source.items = [obj("a", "5", "listed")];
    cache.start();
    await settle();
    source.push("ADDED", obj("b", "8", "watched"));
    expect(cache.list().map((o) => o.value)).toEqual(["slim:listed", "slim:watched"]);
    expect(events.flatMap((e) => (e.type === "add" ? [e.object.value] : []))).toEqual(["slim:listed", "slim:watched"]);
  });

  it("lists, then watches from the list's resourceVersion, stripping managedFields", async () => {
    source.items = [obj("a", "5")];
    source.rv = "7";
    cache.start();
    await settle();
    expect(source.watchFrom).toEqual(["7"]);
    expect(cache.status.state).toBe("live");
    expect(cache.get("a")?.metadata.managedFields).toBeUndefined();
    source.push("ADDED", obj("b", "8"));
    source.push("MODIFIED", obj("b", "8"));
    source.push("MODIFIED", obj("b", "9", "changed"));
    source.push("DELETED", obj("a", "10"));
    expect(log()).toEqual(["add:a@5", "synced", "status:live", "add:b@8", "update:b@9", "delete:a@10"]);
    expect(cache.list().map((o) => o.value)).toEqual(["changed"]);
  });

  it("resumes from the last BOOKMARK after a clean close", async () => {
    cache.start();
    await settle();
    source.push("BOOKMARK", { metadata: { resourceVersion: "42" } });
    source.close(null);
    await settle();
    expect(source.watchFrom).toEqual(["1", "42"]);
    expect(cache.counters.lists).toBe(1);
  });

  it("relists on 410 Gone and emits what changed meanwhile, deletions included", async () => {
    source.items = [obj("a", "1"), obj("b", "1")];
    cache.start();
    await settle();
    source.items = [obj("b", "3"), obj("c", "3")];
    source.rv = "3";
    source.push("ERROR", { kind: "Status", code: 410, reason: "Expired" });
    source.close(null);
    await settle();
    expect(cache.counters.lists).toBe(2);
    expect(source.watchFrom).toEqual(["1", "3"]);
    expect(log().slice(4)).toEqual(["update:b@3", "add:c@3", "delete:a@1", "synced"]);
  });

  it("marks the data stale on errors, retries with backoff, and keeps the stale-since time", async () => {
    source.items = [obj("a", "1")];
    cache.start();
    await settle();
    const failedAt = Date.now();
    source.listError = new Error("connect ECONNREFUSED");
    source.close(new Error("socket hang up"));
    await settle();
    expect(cache.status).toMatchObject({ state: "reconnecting", since: failedAt, error: "socket hang up" });
    expect(cache.list()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(cache.status).toMatchObject({ state: "reconnecting", since: failedAt, error: "connect ECONNREFUSED" });
    const listsWhileDown = cache.counters.lists;
    expect(listsWhileDown).toBeGreaterThanOrEqual(3);
    source.listError = null;
    await vi.advanceTimersByTimeAsync(1500);
    expect(cache.status.state).toBe("live");
  });

  describe("after an outage, with the default backoff", () => {
    const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });

    /** The API server refuses connections for outageMs, then answers again: ms until the cache is live. */
    async function backAfter(outageMs: number, error: () => unknown = refused): Promise<number> {
      source.listError = error();
      source.close(error());
      await vi.advanceTimersByTimeAsync(outageMs);
      expect(cache.status.state).toBe("reconnecting");
      source.listError = null;
      const returned = Date.now();
      while (cache.status.state !== "live") await vi.advanceTimersByTimeAsync(50);
      return Date.now() - returned;
    }

    beforeEach(async () => {
      cache.stop();
      cache = new WatchCache(source);
      cache.start();
      await settle();
    });

    it.each([1_000, 15_000, 60_000, 600_000])(
      "is live within 2.5 s of an unreachable server's return (outage of %i ms)",
      async (outageMs) => {
        expect(await backAfter(outageMs)).toBeLessThanOrEqual(2_500);
      },
    );

    it("starts again from the shortest step once a connection succeeded", async () => {
      await backAfter(60_000);
      expect(await backAfter(100)).toBeLessThanOrEqual(600);
    });

    it("backs off further from a server that answers with errors (it may be overloaded)", async () => {
      const overloaded = () => Object.assign(new Error("Too many requests"), { statusCode: 429 });
      const listsBefore = cache.counters.lists;
      await backAfter(60_000, overloaded).catch(() => undefined);
      // 0.5 + 1 + 2 + 4 + 8 + 16 + 30 s: at most 8 tries in a minute, where a refused connection gets about 30.
      expect(cache.counters.lists - listsBefore).toBeLessThanOrEqual(9);
    });
  });

  it("after stop, ignores the events and the end that an aborted watch still delivers", async () => {
    source.items = [obj("a", "1")];
    cache.start();
    await settle();
    expect(source.watchesOpened).toBe(1);
    cache.stop();
    expect(source.wasAborted(0)).toBe(true);
    events = [];
    // Chunks already read from the socket arrive after abort(), as they can over HTTP.
    source.pushLate("ADDED", obj("late", "9"));
    source.pushLate("DELETED", obj("a", "2"));
    source.closeLate(null);
    await settle();
    expect(cache.get("late")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(events).toEqual([]);
    expect(source.watchesOpened).toBe(1);
  });

  it("ignores late events of a watch it replaced after an error", async () => {
    source.items = [obj("a", "1")];
    cache.start();
    await settle();
    source.close({ code: 410 });
    await settle();
    expect(source.watchesOpened).toBe(2);
    events = [];
    source.pushLate("ADDED", obj("stale", "3"), 0);
    source.closeLate(new Error("late socket error"), 0);
    await settle();
    expect(cache.get("stale")).toBeUndefined();
    expect(events).toEqual([]);
    expect(cache.status.state).toBe("live");
    // The current watch still works.
    source.push("ADDED", obj("b", "4"));
    expect(cache.get("b")).toBeDefined();
  });
});

describe("backoffDelay", () => {
  it.each([
    [0, 0.5, 100],
    [1, 0.5, 200],
    [3, 0.5, 800],
    [10, 0.5, 1000],
    [0, 0, 80],
    [0, 1, 120],
  ])("attempt %i with random %f -> %i ms", (attempt, random, expected) => {
    expect(backoffDelay(attempt, { initialMs: 100, maxMs: 1000 }, () => random)).toBe(expected);
  });
});

describe("isUnreachable", () => {
  it.each<[string, unknown, boolean]>([
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), true],
    ["a reset", new Error("socket hang up"), true],
    ["a gateway's 502", { statusCode: 502 }, true],
    ["a gateway's 504", { statusCode: 504 }, true],
    ["the API server's 500", { statusCode: 500 }, false],
    ["429 Too Many Requests", { statusCode: 429 }, false],
    ["a Status object's code", { code: 503 }, false],
    ["403 Forbidden", { statusCode: 403 }, false],
  ])("%s: %s", (_name, error, expected) => {
    expect(isUnreachable(error)).toBe(expected);
  });
});
