import { metrics } from "@/lib/observability/metrics";
import type { ConnectionStatus } from "./protocol";

export interface KubeObjectLike {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown };
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchHandle {
  abort(): void;
}

/**
 * The two calls a list+watch needs, for one (cluster, namespace, selector). The real one wraps
 * @kubernetes/client-node (kube-source.server.ts); tests pass a fake.
 */
export interface ListWatchSource<T extends KubeObjectLike> {
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  /** Starts a watch from `resourceVersion`; `onDone` is called once, with null on a clean close. */
  watch(
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<WatchHandle>;
}

export type CacheEvent<T> =
  | { type: "add" | "update"; object: T; previous?: T }
  /** unobserved: gone in a relist, so it went while nobody watched (an outage, a 410): when is not known. */
  | { type: "delete"; object: T; previous?: T; unobserved?: boolean }
  | { type: "status"; status: ConnectionStatus }
  | { type: "synced" };

export interface BackoffOptions {
  initialMs: number;
  /** Longest wait after an API server that answered with an error (it may be overloaded). */
  maxMs: number;
  /**
   * Longest wait after an API server that did not answer at all (connection refused or reset, a
   * timeout, a gateway's 502/504): a refused connection costs it nothing, and the monitor must be
   * live again within seconds of its return, not after the longest step. Default: maxMs.
   */
  unreachableMaxMs?: number;
}

export interface WatchCacheOptions<T = unknown> {
  backoff?: BackoffOptions;
  now?: () => number;
  /** Called for errors, with a message fit for logs (no credentials). */
  onError?: (message: string) => void;
  /** Trims each object on arrival (after managedFields), for what the cache's readers never use. */
  slim?: (object: T) => T;
  /**
   * Brings each object from the API to the type the readers expect (lib/kube/pod-input), or null
   * for one that cannot be (it is then left out, and logged). Without it, any object is accepted.
   */
  parse?: (raw: unknown) => T | null;
}

// Unreachable: at most 1.5 s (±20%) between tries, so the monitor is live again within about 3 s of
// the API server's return whatever the outage's length (issue 10; docs/benchmarks.md "Recovery").
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, unreachableMaxMs: 1_500 };

/** Delay before the nth retry (0-based): exponential, capped, with ±20% jitter so replicas spread. */
export function backoffDelay(attempt: number, options: BackoffOptions, random = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

function nameOf(object: unknown): string {
  const metadata = (object as KubeObjectLike | null)?.metadata;
  return typeof metadata?.name === "string"
    ? `${metadata.namespace ?? ""}/${metadata.name}`.slice(0, 300)
    : "(unnamed)";
}

function keyOf(object: KubeObjectLike): string {
  return object.metadata?.uid || `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}

// managedFields is often half of a pod's JSON and nothing here reads it.
function strip<T extends KubeObjectLike>(object: T): T {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}

/** The HTTP status an API server answered with, or undefined when it did not answer. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  if (typeof e?.statusCode === "number") return e.statusCode;
  return typeof e?.code === "number" ? e.code : undefined;
}

/**
 * No answer from the API server itself: no HTTP status (refused, reset, DNS, timeout) or a
 * gateway in front of it saying so (502, 504).
 */
export function isUnreachable(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 502 || status === 504;
}

function isGone(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: number } | null;
  return e?.statusCode === 410 || e?.code === 410;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const status = error as { message?: string } | null;
  return status?.message ?? String(error);
}

/**
 * A keyed store kept in sync by list + watch: relists on 410 Gone (or an ERROR event saying so),
 * resumes from the last resourceVersion after a clean close, and after any other error relists
 * with backoff, so whatever changed while disconnected (pods deleted meanwhile included) is
 * emitted as ordinary events. Updates are emitted only when the resourceVersion changed.
 *
 * One object never breaks the cache: an object that cannot be parsed, or that a listener fails
 * on, is logged and skipped, and the list or watch goes on with the next one.
 */
export class WatchCache<T extends KubeObjectLike> {
  private readonly objects = new Map<string, T>();
  private readonly listeners = new Set<(event: CacheEvent<T>) => void>();
  private resourceVersion = "";
  private listed = false;
  private handle: WatchHandle | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private generation = 0;
  private currentStatus: ConnectionStatus;
  private readonly backoff: BackoffOptions;
  private readonly now: () => number;
  /** Number of list calls made, and watches opened: for tests and the benchmark. */
  readonly counters = { lists: 0, watches: 0 };

  constructor(
    private readonly source: ListWatchSource<T>,
    private readonly options: WatchCacheOptions<T> = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? Date.now;
    this.currentStatus = { state: "connecting", since: this.now() };
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** A list has completed: list() holds what the cluster had then (stale while reconnecting). */
  get hasSynced(): boolean {
    return this.listed;
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  subscribe(listener: (event: CacheEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.handle?.abort();
    this.setHandle(null);
  }

  /** Every change of the open watch goes through here, so askci_upstream_watches_open stays exact. */
  private setHandle(handle: WatchHandle | null): void {
    if (!this.handle && handle) metrics().watchesOpen.inc();
    if (this.handle && !handle) metrics().watchesOpen.dec();
    this.handle = handle;
  }

  /** The object as the cache keeps it, or null (logged) when it is unusable. */
  private prepare(raw: unknown): T | null {
    try {
      const parsed = this.options.parse ? this.options.parse(raw) : (raw as T);
      if (!parsed || typeof parsed !== "object") {
        this.options.onError?.(`ignored an object that is not a Kubernetes object (${nameOf(raw)})`);
        return null;
      }
      const stripped = strip(parsed);
      return this.options.slim ? this.options.slim(stripped) : stripped;
    } catch (error) {
      this.options.onError?.(`ignored ${nameOf(raw)}: ${describe(error)}`);
      return null;
    }
  }

  private emit(event: CacheEvent<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        const what = "object" in event ? nameOf(event.object) : event.type;
        this.options.onError?.(`a reader failed on ${what}: ${describe(error)}`);
      }
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (status.state === this.currentStatus.state && status.error === this.currentStatus.error) return;
    this.currentStatus = status;
    this.emit({ type: "status", status });
  }

  /** Never rejects: whatever goes wrong is a failure like a refused list, retried with backoff. */
  private async relist(): Promise<void> {
    const generation = this.generation;
    try {
      await this.listThenWatch(generation);
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private async listThenWatch(generation: number): Promise<void> {
    let result: { items: T[]; resourceVersion: string };
    try {
      this.counters.lists++;
      result = await this.source.list();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    const seen = new Set<string>();
    for (const item of Array.isArray(result.items) ? result.items : []) {
      const object = this.prepare(item);
      if (!object) continue;
      seen.add(keyOf(object));
      this.upsert(object);
    }
    for (const [key, object] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        this.emit({ type: "delete", object, previous: object, unobserved: true });
      }
    }
    this.resourceVersion = result.resourceVersion;
    this.listed = true;
    this.emit({ type: "synced" });
    await this.watch();
  }

  private upsert(object: T): void {
    const key = keyOf(object);
    const previous = this.objects.get(key);
    if (previous && previous.metadata?.resourceVersion === object.metadata?.resourceVersion) return;
    this.objects.set(key, object);
    this.emit(previous ? { type: "update", object, previous } : { type: "add", object });
  }

  private async watch(): Promise<void> {
    const generation = ++this.generation;
    let expired = false;
    const onEvent = (type: WatchEventType, raw: unknown) => {
      if (generation !== this.generation) return;
      metrics().watchEvents.inc({ type });
      if (type === "ERROR") {
        if (isGone(raw)) expired = true;
        return;
      }
      const object = this.prepare(raw);
      if (!object) return;
      if (type === "ADDED" || type === "MODIFIED") this.upsert(object);
      if (type === "DELETED") {
        const key = keyOf(object);
        const previous = this.objects.get(key);
        if (previous) {
          this.objects.delete(key);
          this.emit({ type: "delete", object, previous });
        }
      }
      // BOOKMARKs carry only a resourceVersion: where to resume without replaying anything.
      const rv = object.metadata?.resourceVersion;
      if (typeof rv === "string" && rv) this.resourceVersion = rv;
      if (this.attempt !== 0) this.attempt = 0;
    };
    const onDone = (error: unknown) => {
      if (generation !== this.generation || this.stopped) return;
      this.setHandle(null);
      if (expired || isGone(error)) {
        this.resourceVersion = "";
        void this.relist();
      } else if (error) {
        this.fail(error);
      } else {
        void this.watch();
      }
    };
    try {
      this.counters.watches++;
      const handle = await this.source.watch(this.resourceVersion, onEvent, onDone);
      if (generation !== this.generation) {
        handle.abort();
        return;
      }
      this.setHandle(handle);
      this.attempt = 0;
      this.setStatus({ state: "live", since: this.now() });
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    const message = describe(error);
    this.options.onError?.(message);
    this.generation++;
    this.handle?.abort();
    this.setHandle(null);
    // The data stays, marked stale from the first failure on, not from each retry.
    const since =
      this.currentStatus.state === "live" || this.currentStatus.state === "connecting"
        ? this.now()
        : this.currentStatus.since;
    this.setStatus({ state: "reconnecting", since, error: message });
    const delay = backoffDelay(
      this.attempt++,
      isUnreachable(error)
        ? { ...this.backoff, maxMs: this.backoff.unreachableMaxMs ?? this.backoff.maxMs }
        : this.backoff,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.relist();
    }, delay);
  }
}
