import type { ConnectionStatus } from "./protocol";
import type { CacheEvent, KubeObjectLike } from "./watch-cache";

/**
 * What readers of a watch cache use (PodStream, the job recorder): a WatchCache has it, and so
 * does one namespace's share of a wider cache.
 */
export interface CacheReader<T> {
  readonly status: ConnectionStatus;
  readonly hasSynced: boolean;
  list(): T[];
  get(key: string): T | undefined;
  subscribe(listener: (event: CacheEvent<T>) => void): () => void;
}

/** A reader that is started and stopped by whoever holds it (PodStream.start/stop). */
export interface CacheView<T> extends CacheReader<T> {
  start(): void;
  stop(): void;
}

/**
 * A cache's objects in one namespace (or all of them, `namespace` null), read from a cache that
 * someone else owns and shares: several views and the job recorder read one upstream watch, so each
 * pod is held once. `start` does nothing (the owner started the cache); `stop` calls `release`
 * once, which gives the view's share of the cache back.
 */
export class NamespaceView<T extends KubeObjectLike> implements CacheView<T> {
  private released = false;

  constructor(
    private readonly cache: CacheReader<T>,
    private readonly namespace: string | null,
    private readonly release: () => void,
  ) {}

  get status(): ConnectionStatus {
    return this.cache.status;
  }

  get hasSynced(): boolean {
    return this.cache.hasSynced;
  }

  private holds(object: T): boolean {
    return this.namespace === null || object.metadata?.namespace === this.namespace;
  }

  list(): T[] {
    const all = this.cache.list();
    return this.namespace === null ? all : all.filter((object) => this.holds(object));
  }

  get(key: string): T | undefined {
    const object = this.cache.get(key);
    return object && this.holds(object) ? object : undefined;
  }

  /** Object events of this namespace; status and "synced" (the whole cache's) pass through. */
  subscribe(listener: (event: CacheEvent<T>) => void): () => void {
    return this.cache.subscribe((event) => {
      if ("object" in event && !this.holds(event.object)) return;
      listener(event);
    });
  }

  start(): void {}

  stop(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }
}
