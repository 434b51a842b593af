import type { Clock, ClusterStore, KubeObject, StoreEvent } from "../types";
import type { EventRecorder } from "./event-recorder";
import { normalizeImageRef } from "./image-ref";
import { IMAGE_CACHE, isKind } from "./kinds";
import { isMissingImage } from "./pod-fate";
import type { SeededRandom } from "@ask-ci/seeded-random";
import { isNotFound, mutate } from "./store-writes";
import { k8sTime } from "./time";

const COMPONENT = "eci-imagecache-controller";

interface Timing {
  /** Pending -> Creating */
  startDelayMs: [number, number];
  /** Creating -> Ready */
  buildMs: [number, number];
}

const DEFAULT_IMAGE_CACHE_TIMING: Timing = { startDelayMs: [1000, 3000], buildMs: [3000, 8000] };

/**
 * Drives ECI ImageCache objects (eci.alibabacloud.com/v1, cluster-scoped) through
 * Pending -> Creating -> Ready, and knows which images a Ready cache holds so the kubelet can
 * make those pulls fast. An image that cannot exist ("does-not-exist") fails the cache.
 */
export class ImageCacheController {
  private readonly readyImagesByCache = new Map<string, Set<string>>();
  private readonly coverage = new Map<string, number>();
  private readonly inProgress = new Map<string, () => void>();

  constructor(
    private readonly store: ClusterStore,
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    private readonly events: EventRecorder,
    private readonly timing: Timing = DEFAULT_IMAGE_CACHE_TIMING,
  ) {}

  start(): void {
    let caches: KubeObject[];
    try {
      caches = this.store.list(IMAGE_CACHE);
    } catch (error) {
      // The ImageCache CRD may not be installed (yet); its objects arrive as events once it is.
      if (isNotFound(error)) return;
      throw error;
    }
    for (const cache of caches) this.observe(cache, "ADDED");
  }

  onEvent(event: StoreEvent): void {
    if (isKind(event.object, IMAGE_CACHE)) this.observe(event.object, event.type);
  }

  /** Whether a Ready ImageCache holds this image. */
  covers(image: string): boolean {
    return (this.coverage.get(normalizeImageRef(image)) ?? 0) > 0;
  }

  /** The id of a Ready cache holding every one of these images, for the ECI hit event. */
  cacheIdFor(images: string[]): string | undefined {
    const wanted = images.map(normalizeImageRef);
    for (const [name, held] of this.readyImagesByCache) {
      if (!wanted.every((image) => held.has(image))) continue;
      const cache = this.store.get(IMAGE_CACHE, undefined, name);
      const id = (cache?.status as { imageCacheId?: string } | undefined)?.imageCacheId;
      if (id) return id;
    }
    return undefined;
  }

  stop(): void {
    for (const cancel of this.inProgress.values()) cancel();
    this.inProgress.clear();
  }

  private observe(cache: KubeObject, type: StoreEvent["type"]): void {
    const name = cache.metadata.name;
    if (type === "DELETED") {
      this.inProgress.get(name)?.();
      this.inProgress.delete(name);
      this.setReadyImages(name, undefined);
      return;
    }
    const status = (cache.status ?? {}) as { phase?: string };
    if (status.phase === "Ready") {
      this.setReadyImages(name, imagesOf(cache));
      return;
    }
    this.setReadyImages(name, undefined);
    if (status.phase === "Failed" || this.inProgress.has(name)) return;
    this.begin(cache);
  }

  private begin(cache: KubeObject): void {
    const name = cache.metadata.name;
    const uid = cache.metadata.uid;
    const startTime = k8sTime(this.clock.now());
    const at = (delayMs: number, step: () => void) => {
      // The entry stays until finish() so our own status writes do not restart the progression.
      this.inProgress.set(name, this.clock.setTimeout(step, delayMs));
    };
    at(0, () => {
      this.writeStatus(name, uid, { phase: "Pending", progress: "0%", startTime });
      at(this.draw(this.timing.startDelayMs), () => {
        const current = this.writeStatus(name, uid, { phase: "Creating", progress: "10%" });
        if (current)
          this.events.record(current, {
            type: "Normal",
            reason: "ImageCacheCreating",
            message: "Start to create image cache",
            component: COMPONENT,
          });
        at(this.draw(this.timing.buildMs), () => this.finish(name, uid));
      });
    });
  }

  private finish(name: string, uid: string | undefined): void {
    this.inProgress.delete(name);
    const cache = this.store.get(IMAGE_CACHE, undefined, name);
    if (!cache || cache.metadata.uid !== uid) return;
    const images = imagesOf(cache);
    const missing = images.find(isMissingImage);
    const now = this.clock.now();
    if (missing) {
      const failed = this.writeStatus(name, uid, {
        phase: "Failed",
        progress: "0%",
        expireDateTime: k8sTime(now + 24 * 3600_000),
      });
      if (failed) {
        this.events.record(failed, {
          type: "Warning",
          reason: "ImageCacheFailed",
          message: `Failed to pull image "${missing}": repository does not exist or may require authorization`,
          component: COMPONENT,
        });
      }
      return;
    }
    const imageCacheId = `imc-bp1${this.random.string(17)}`;
    const retentionDays = (cache.spec as { retentionDays?: number } | undefined)?.retentionDays;
    const ready = this.writeStatus(name, uid, {
      phase: "Ready",
      progress: "100%",
      imageCacheId,
      images,
      ...(retentionDays ? { expireDateTime: k8sTime(now + retentionDays * 86_400_000) } : {}),
    });
    if (ready) {
      this.events.record(ready, {
        type: "Normal",
        reason: "ImageCacheCreated",
        message: `Successfully created image cache ${imageCacheId}`,
        component: COMPONENT,
      });
    }
  }

  private writeStatus(name: string, uid: string | undefined, fields: Record<string, unknown>): KubeObject | undefined {
    const lastUpdatedTime = k8sTime(this.clock.now());
    return mutate(
      this.store,
      IMAGE_CACHE,
      undefined,
      name,
      (cache) => {
        cache.status = { ...((cache.status as object | undefined) ?? {}), ...fields, lastUpdatedTime };
      },
      { status: true, uid },
    );
  }

  private setReadyImages(name: string, images: string[] | undefined): void {
    const previous = this.readyImagesByCache.get(name);
    for (const image of previous ?? []) {
      const count = (this.coverage.get(image) ?? 1) - 1;
      if (count > 0) this.coverage.set(image, count);
      else this.coverage.delete(image);
    }
    this.readyImagesByCache.delete(name);
    if (!images) return;
    const normalized = new Set(images.map(normalizeImageRef));
    this.readyImagesByCache.set(name, normalized);
    for (const image of normalized) this.coverage.set(image, (this.coverage.get(image) ?? 0) + 1);
  }

  private draw([min, max]: [number, number]): number {
    return Math.round(this.random.between(min, max));
  }
}

function imagesOf(cache: KubeObject): string[] {
  const images = (cache.spec as { images?: unknown } | undefined)?.images;
  return Array.isArray(images) ? images.filter((image): image is string => typeof image === "string") : [];
}
