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
    // Gone in the relist: nobody saw it go, so when is not known.
    expect(events.find((e) => e.type === "delete")).toMatchObject({ unobserved: true });
    source.push("DELETED", obj("b", "4"));
    const watched = events.filter((e) => e.type === "delete").at(-1);
    expect(watched).toMatchObject({ type: "delete", object: { metadata: { uid: "b" } } });
    expect(watched).not.toHaveProperty("unobserved");
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

describe("WatchCache, edge by edge", () => {
  let source: FakeSource<Obj>;
  let errors: string[];
  let events: Array<CacheEvent<Obj>>;

  beforeEach(() => {
    vi.useFakeTimers();
    source = new FakeSource<Obj>();
    errors = [];
    events = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function started(options: ConstructorParameters<typeof WatchCache<Obj>>[1] = {}) {
    const cache = new WatchCache(source, {
      backoff: { initialMs: 100, maxMs: 1000 },
      onError: (m) => errors.push(m),
      ...options,
    });
    cache.subscribe((e) => events.push(e));
    cache.start();
    return cache;
  }
  const statuses = () => events.flatMap((e) => (e.type === "status" ? [e.status.state] : []));

  it("has not synced, and is connecting, until its first list", async () => {
    let release = () => {};
    const listed = new Promise<void>((resolve) => (release = resolve));
    const list = source.list.bind(source);
    source.list = async () => {
      await listed;
      return list();
    };
    const cache = started({ now: () => 1234 });
    expect(cache.hasSynced).toBe(false);
    expect(cache.status).toEqual({ state: "connecting", since: 1234 });
    release();
    await settle();
    expect(cache.hasSynced).toBe(true);
    expect(cache.status).toEqual({ state: "live", since: 1234 });
    cache.stop();
  });

  it("starts once: a second start() lists nothing more", async () => {
    const cache = started();
    cache.start();
    await settle();
    expect(cache.counters).toEqual({ lists: 1, watches: 1 });
    cache.stop();
  });

  it("keys objects without a uid by namespace and name", async () => {
    source.items = [{ metadata: { name: "p", namespace: "ns", resourceVersion: "1" } } as unknown as Obj];
    const cache = started();
    await settle();
    expect(cache.get("ns/p")?.metadata.name).toBe("p");
    source.push("ADDED", { metadata: { name: "q", resourceVersion: "3" } });
    expect(cache.get("/q")?.metadata.name).toBe("q");
    source.push("DELETED", { metadata: { name: "p", namespace: "ns", resourceVersion: "2" } });
    expect(cache.list().map((o) => o.metadata.name)).toEqual(["q"]);
    cache.stop();
  });

  it("leaves out and logs what the parser refuses or fails on, and keeps the rest", async () => {
    source.items = [obj("bad", "1"), obj("a", "1")];
    const cache = started({
      parse: (raw) => {
        const o = raw as Obj;
        if (o.metadata.uid === "bad") return null;
        if (o.metadata.uid === "throws") throw new Error("no spec");
        return o;
      },
    });
    await settle();
    source.push("ADDED", { ...obj("throws", "2"), metadata: { ...obj("throws", "2").metadata, namespace: "ns" } });
    source.push("ADDED", obj("b", "3"));
    expect(cache.list().map((o) => o.metadata.uid)).toEqual(["a", "b"]);
    expect(errors).toEqual(["ignored an object that is not a Kubernetes object (/bad)", "ignored ns/throws: no spec"]);
    cache.stop();
  });

  it("names an unnamed object, and cuts a long name, in its log line", async () => {
    const cache = started({ parse: () => null });
    await settle();
    source.push("ADDED", { metadata: {} });
    source.push("ADDED", { metadata: { namespace: "n", name: "x".repeat(400) } });
    expect(errors).toEqual([
      "ignored an object that is not a Kubernetes object ((unnamed))",
      `ignored an object that is not a Kubernetes object (${`n/${"x".repeat(400)}`.slice(0, 300)})`,
    ]);
    cache.stop();
  });

  it("ignores a watched value that is not an object when there is no parser", async () => {
    const cache = started();
    await settle();
    source.push("ADDED", "junk");
    source.push("ADDED", null);
    expect(cache.list()).toEqual([]);
    expect(errors).toEqual([
      "ignored an object that is not a Kubernetes object ((unnamed))",
      "ignored an object that is not a Kubernetes object ((unnamed))",
    ]);
    cache.stop();
  });

  it("a reader that throws is logged and does not keep the event from the others", async () => {
    const cache = new WatchCache(source, { onError: (m) => errors.push(m) });
    cache.subscribe(() => {
      throw new Error("reader broke");
    });
    cache.subscribe((e) => events.push(e));
    source.items = [{ ...obj("a", "1"), metadata: { ...obj("a", "1").metadata, name: "pod-a" } }];
    cache.start();
    await settle();
    expect(events.map((e) => e.type)).toEqual(["add", "synced", "status"]);
    expect(errors).toEqual([
      "a reader failed on /pod-a: reader broke",
      "a reader failed on synced: reader broke",
      "a reader failed on status: reader broke",
    ]);
    cache.stop();
  });

  it("unsubscribes a reader", async () => {
    const cache = new WatchCache(source);
    const unsubscribe = cache.subscribe((e) => events.push(e));
    unsubscribe();
    cache.start();
    await settle();
    expect(events).toEqual([]);
    cache.stop();
  });

  it("ignores a DELETED for an object it does not hold, and ERROR events other than 410", async () => {
    source.items = [obj("a", "1")];
    const cache = started();
    await settle();
    events = [];
    source.push("DELETED", obj("unknown", "2"));
    source.push("ERROR", { kind: "Status", code: 500, message: "internal" });
    source.close(null);
    await settle();
    expect(events).toEqual([]);
    expect(cache.counters).toEqual({ lists: 1, watches: 2 });
    cache.stop();
  });

  it("resumes from the last event's resourceVersion, not from an event without one", async () => {
    const cache = started();
    await settle();
    source.push("MODIFIED", obj("a", "5"));
    source.push("BOOKMARK", { metadata: { resourceVersion: "" } });
    source.push("BOOKMARK", { metadata: { resourceVersion: 9 } });
    source.close(null);
    await settle();
    expect(source.watchFrom).toEqual(["1", "5"]);
    cache.stop();
  });

  it("relists on a watch that ends with HTTP 410 (statusCode)", async () => {
    const cache = started();
    await settle();
    source.close({ statusCode: 410 });
    await settle();
    expect(cache.counters).toEqual({ lists: 2, watches: 2 });
    expect(errors).toEqual([]);
    expect(statuses()).toEqual(["live"]);
    cache.stop();
  });

  it("logs each failure's message: an Error's, a Status object's, or the value's text", async () => {
    const cache = started();
    await settle();
    source.close(new Error("socket hang up"));
    await vi.advanceTimersByTimeAsync(200);
    source.close({ message: "too old", statusCode: 500 });
    await vi.advanceTimersByTimeAsync(400);
    source.close("plain text");
    await settle();
    expect(errors).toEqual(["socket hang up", "too old", "plain text"]);
    cache.stop();
  });

  it("tells readers of a changed status once: the same failure again changes nothing", async () => {
    source.listError = new Error("connect ECONNREFUSED");
    const cache = started({ now: () => 500 });
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    expect(cache.counters.lists).toBeGreaterThanOrEqual(3);
    expect(events).toEqual([
      { type: "status", status: { state: "reconnecting", since: 500, error: "connect ECONNREFUSED" } },
    ]);
    source.listError = new Error("connect ETIMEDOUT");
    await vi.advanceTimersByTimeAsync(1000);
    expect(events.at(-1)).toEqual({
      type: "status",
      status: { state: "reconnecting", since: 500, error: "connect ETIMEDOUT" },
    });
    cache.stop();
  });

  it("a failure before the first list is stale from then, not from when the cache was made", async () => {
    let now = 100;
    source.listError = new Error("connect ECONNREFUSED");
    const cache = new WatchCache(source, { backoff: { initialMs: 100, maxMs: 1000 }, now: () => now });
    now = 300;
    cache.start();
    await settle();
    now = 700;
    await vi.advanceTimersByTimeAsync(5000);
    expect(cache.status).toMatchObject({ state: "reconnecting", since: 300 });
    cache.stop();
  });

  it("a failure after going live is stale from the failure, not from when it went live", async () => {
    let now = 100;
    const cache = started({ now: () => now });
    await settle();
    expect(cache.status).toEqual({ state: "live", since: 100 });
    now = 900;
    source.close(new Error("socket hang up"));
    await settle();
    expect(cache.status).toMatchObject({ state: "reconnecting", since: 900 });
    cache.stop();
  });

  it("retries with its backoff: without unreachableMaxMs, an unreachable server waits up to maxMs", async () => {
    source.listError = new Error("connect ECONNREFUSED");
    const cache = started({ backoff: { initialMs: 100, maxMs: 400 } });
    await settle();
    // Tries at 0, then after about 100, 200, 400, 400 ms (±20 %): 5 lists in 1.3 s, not 7 or more.
    await vi.advanceTimersByTimeAsync(1300);
    expect(cache.counters.lists).toBeGreaterThanOrEqual(4);
    expect(cache.counters.lists).toBeLessThanOrEqual(6);
    cache.stop();
  });

  it("a failed list or watch is retried; stop() cancels the retry", async () => {
    source.listError = new Error("connect ECONNREFUSED");
    const cache = started();
    await settle();
    expect(cache.counters.lists).toBe(1);
    cache.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(cache.counters.lists).toBe(1);
  });

  it("a watch that cannot be opened is a failure, retried by relisting", async () => {
    source.watchError = Object.assign(new Error("forbidden"), { statusCode: 403 });
    const cache = started();
    await settle();
    expect(cache.status).toMatchObject({ state: "reconnecting", error: "forbidden" });
    source.watchError = null;
    await vi.advanceTimersByTimeAsync(200);
    expect(cache.status.state).toBe("live");
    expect(cache.counters.lists).toBe(2);
    cache.stop();
  });

  it("a list that answers nothing usable is a failure too", async () => {
    source.list = async () => null as never;
    const cache = started();
    await settle();
    expect(cache.status.state).toBe("reconnecting");
    expect(errors).toHaveLength(1);
    cache.stop();
  });

  it("takes a list without items as an empty one", async () => {
    source.items = [obj("a", "1")];
    const cache = started();
    await settle();
    source.list = async () => ({ items: undefined as never, resourceVersion: "2" });
    source.close({ code: 410 });
    await settle();
    expect(cache.list()).toEqual([]);
    expect(cache.status.state).toBe("live");
    cache.stop();
  });

  it("applies nothing from a list that answers after stop(), and opens no watch", async () => {
    let answer: (value: { items: Obj[]; resourceVersion: string }) => void = () => {};
    source.list = () => new Promise((resolve) => (answer = resolve));
    const cache = started();
    await settle();
    cache.stop();
    answer({ items: [obj("a", "1")], resourceVersion: "1" });
    await settle();
    expect(cache.list()).toEqual([]);
    expect(cache.hasSynced).toBe(false);
    expect(cache.counters.watches).toBe(0);
  });

  it("aborts a watch that opens after stop()", async () => {
    let opened: (handle: { abort(): void }) => void = () => {};
    const abort = vi.fn();
    source.watch = () => new Promise((resolve) => (opened = resolve));
    const cache = started();
    await settle();
    cache.stop();
    opened({ abort });
    await settle();
    expect(abort).toHaveBeenCalledTimes(1);
    expect(cache.status.state).toBe("connecting");
  });

  it("starts again after stop(): lists and watches anew", async () => {
    const cache = started();
    await settle();
    cache.stop();
    cache.start();
    await settle();
    expect(cache.counters).toEqual({ lists: 2, watches: 2 });
    expect(cache.status.state).toBe("live");
    cache.stop();
  });

  it("after stop(), ignores late events of a watch it had replaced after a clean close", async () => {
    const cache = started();
    await settle();
    source.close(null);
    await settle();
    expect(source.watchesOpened).toBe(2);
    cache.stop();
    source.pushLate("ADDED", obj("late", "9"), 0);
    source.pushLate("ADDED", obj("later", "9"), 1);
    expect(cache.list()).toEqual([]);
  });

  it("after a failure, ignores late events of the watch before the failed one", async () => {
    const cache = started();
    await settle();
    source.close(null);
    await settle();
    source.close(new Error("socket hang up"));
    await settle();
    events = [];
    source.pushLate("ADDED", obj("late", "9"), 0);
    expect(cache.get("late")).toBeUndefined();
    expect(events).toEqual([]);
    cache.stop();
  });

  it("a watch whose opening fails is a failure, retried by relisting", async () => {
    let refuse = true;
    const watch = source.watch.bind(source);
    source.watch = async (...args: Parameters<typeof watch>) => {
      if (refuse) throw Object.assign(new Error("watch refused"), { statusCode: 500 });
      return watch(...args);
    };
    const cache = started();
    await settle();
    expect(cache.status).toMatchObject({ state: "reconnecting", error: "watch refused" });
    expect(errors).toEqual(["watch refused"]);
    refuse = false;
    await vi.advanceTimersByTimeAsync(200);
    expect(cache.status.state).toBe("live");
    cache.stop();
  });

  it("without an onError hook, a parser that throws and a reader that throws still leave the others their events", async () => {
    const cache = new WatchCache(source, {
      parse: (raw) => {
        if ((raw as Obj).metadata.uid === "throws") throw new Error("no spec");
        return raw as Obj;
      },
    });
    cache.subscribe(() => {
      throw new Error("reader broke");
    });
    cache.subscribe((e) => events.push(e));
    cache.start();
    await settle();
    source.push("ADDED", obj("throws", "2"));
    source.push("ADDED", obj("b", "3"));
    expect(cache.list().map((o) => o.metadata.uid)).toEqual(["b"]);
    expect(events.map((e) => e.type)).toEqual(["synced", "status", "add"]);
    cache.stop();
  });

  it("counts watch events by type in askci_upstream_watch_events_total", async () => {
    const { metrics } = await import("@/lib/observability/metrics");
    const count = async (type: string) =>
      (await metrics().watchEvents.get()).values.find((v) => v.labels.type === type)?.value ?? 0;
    const [added, deleted] = [await count("ADDED"), await count("DELETED")];
    const cache = started();
    await settle();
    source.push("ADDED", obj("a", "2"));
    source.push("ADDED", obj("b", "3"));
    source.push("DELETED", obj("a", "4"));
    expect(await count("ADDED")).toBe(added + 2);
    expect(await count("DELETED")).toBe(deleted + 1);
    cache.stop();
  });

  it("counts its open watch in askci_upstream_watches_open, once, until stopped", async () => {
    const { metrics } = await import("@/lib/observability/metrics");
    const open = async () => (await metrics().watchesOpen.get()).values[0]?.value ?? 0;
    const before = await open();
    const cache = started();
    await settle();
    expect(await open()).toBe(before + 1);
    source.close(null);
    await settle();
    expect(await open()).toBe(before + 1);
    source.close(new Error("socket hang up"));
    await settle();
    expect(await open()).toBe(before);
    await vi.advanceTimersByTimeAsync(200);
    expect(await open()).toBe(before + 1);
    cache.stop();
    expect(await open()).toBe(before);
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
