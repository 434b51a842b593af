import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Backend } from "@ask-ci/billing/placement";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import type { PriceBook } from "@/lib/cost/prices";
import { JOB_POD_LABEL, type Pod } from "@/lib/kube/pod";
import { podFromApi } from "@/lib/kube/pod-input";
import { podListWatchSource } from "./kube-source.server";
import { NamespaceView, type CacheView } from "./namespace-view";
import { slimWatchedPod } from "./pod-slim";
import { PodStream, type PodStreamOptions } from "./pod-stream";
import { SharedResources, type Lease } from "./shared-resource";
import { ALL_NAMESPACES } from "./validation";
import { WatchCache, type ListWatchSource } from "./watch-cache";

export interface StreamTarget {
  connectionId: string;
  namespace: string;
  /** Label selector; job pods by default. */
  selector?: string;
}

export interface PodStreamRegistryOptions {
  configFor: (connectionId: string) => Promise<KubeConfig>;
  /** The upstream for a target; list+watch through client-node by default. */
  sourceFor?: (target: StreamTarget, selector: string) => ListWatchSource<Pod>;
  /** The connection's price book (lib/cost/connection-pricing.server.ts). */
  priceBook: (connectionId: string) => Promise<PriceBook>;
  /** What the connection's unlabelled pods run on; ECI when not given. */
  defaultBackend?: (connectionId: string) => Promise<Backend>;
  lingerMs?: number;
  stream?: PodStreamOptions;
}

/**
 * One pod cache (one upstream list+watch) per (connection, namespace, selector), and one PodStream
 * per (connection, namespace, selector) on top of it, shared by every viewer; the job recorder reads
 * the caches directly. While a connection's every-namespace cache is open (the recorder's, when its
 * credentials may watch cluster-wide), a namespace's stream reads its share of that cache instead of
 * opening its own watch, so each pod is held once. Each is stopped when the last holder lets go.
 */
export class PodStreamRegistry {
  private readonly shared: SharedResources<PodStream>;
  private readonly caches: SharedResources<WatchCache<Pod>>;

  constructor(private readonly options: PodStreamRegistryOptions) {
    this.shared = new SharedResources<PodStream>(
      () => {
        throw new Error("PodStreamRegistry creates streams through acquire()");
      },
      (stream) => stream.stop(),
      options.lingerMs ?? 0,
    );
    // No linger of their own: a stream lingers, and holds its cache meanwhile.
    this.caches = new SharedResources<WatchCache<Pod>>(
      () => {
        throw new Error("PodStreamRegistry creates caches through acquireCache()");
      },
      (cache) => cache.stop(),
    );
  }

  static keyOf(target: StreamTarget): string {
    return JSON.stringify([target.connectionId, target.namespace, target.selector ?? JOB_POD_LABEL]);
  }

  /**
   * The pods of a target: its share of the connection's every-namespace cache when that is open,
   * else a cache of its own. Synchronous, so two holders arriving together cannot make two caches.
   */
  acquireCache(target: StreamTarget): Lease<CacheView<Pod>> {
    const selector = target.selector ?? JOB_POD_LABEL;
    const everywhere = PodStreamRegistry.keyOf({ ...target, namespace: ALL_NAMESPACES });
    const wide = target.namespace !== ALL_NAMESPACES && this.caches.has(everywhere);
    const key = wide ? everywhere : PodStreamRegistry.keyOf(target);
    const lease = this.caches.acquire(key, () => {
      const source =
        this.options.sourceFor?.(target, selector) ??
        podListWatchSource(
          () => this.options.configFor(target.connectionId),
          target.namespace,
          selector,
          slimWatchedPod,
        );
      const cache = new WatchCache<Pod>(source, {
        parse: podFromApi,
        slim: slimWatchedPod,
        onError: (message) => console.warn(`monitor: watch of pods in ${target.namespace} failed: ${message}`),
      });
      cache.start();
      return cache;
    });
    const view = new NamespaceView(lease.value, wide ? target.namespace : null, lease.release);
    return { value: view, release: () => view.stop() };
  }

  async acquire(target: StreamTarget): Promise<Lease<PodStream>> {
    const key = PodStreamRegistry.keyOf(target);
    // Read before acquire so that acquire itself stays synchronous (no double creation).
    const book = await this.options.priceBook(target.connectionId);
    const defaultBackend = (await this.options.defaultBackend?.(target.connectionId)) ?? "eci";
    return this.shared.acquire(key, () => {
      const stream = new PodStream(this.acquireCache(target).value, book, { ...this.options.stream, defaultBackend });
      stream.start();
      return stream;
    });
  }

  /**
   * Upstream watches (pod caches) currently open and created since start (the 100-viewers check),
   * streams open, and each stream's viewers.
   */
  stats(): { active: number; created: number; streams: number; viewers: Record<string, number> } {
    const viewers: Record<string, number> = {};
    for (const key of this.shared.keys()) viewers[key] = this.shared.refCount(key);
    return { active: this.caches.size, created: this.caches.created, streams: this.shared.size, viewers };
  }
}

const globalRegistry = globalThis as unknown as { askCiPodStreams?: PodStreamRegistry };

/** The process-wide registry (on globalThis so route bundles and the recorder share it). */
export function podStreams(): PodStreamRegistry {
  globalRegistry.askCiPodStreams ??= new PodStreamRegistry({
    configFor: async (connectionId) =>
      (await import("@/lib/connections/kube-client.server")).kubeConfigForConnection(connectionId),
    priceBook: async (connectionId) => (await loadConnectionPricing(connectionId)).book,
    defaultBackend: async (connectionId) => (await loadConnectionPricing(connectionId)).defaultBackend,
    lingerMs: 10_000,
  });
  return globalRegistry.askCiPodStreams;
}
