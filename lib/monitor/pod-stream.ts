import type { PriceBook } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import type { Backend } from "@ask-ci/billing/placement";
import { toPodSummary, type PodSummary } from "./pod-summary";
import type { ConnectionStatus, StreamMessage } from "./protocol";
import type { CacheView } from "./namespace-view";
import type { CacheEvent } from "./watch-cache";

export interface StreamFrame {
  /** SSE event id ("<epoch>-<seq>") on snapshots and change batches; status frames have none. */
  id?: string;
  message: StreamMessage;
}

export interface PodStreamOptions {
  /**
   * Changes are coalesced and sent at most this often: 4 ms by default. The browser coalesces
   * per animation frame anyway, so a longer window only adds latency (docs/benchmarks.md, ADR 018).
   */
  flushMs?: number;
  /**
   * Change batches kept for Last-Event-ID resumes; an older id gets a fresh snapshot. 2,048 by
   * default: at one batch per 4 ms under a storm that is ~8 s of resume, what 512 were at 16 ms
   * (memory is bounded by bufferChanges, not by this).
   */
  bufferSize?: number;
  /**
   * Upserts + deletes kept across those batches (the newest batch always stays). Bounds the
   * memory of a busy or relisting namespace, whose batches hold rows the table has since
   * replaced; a resume past that many changes costs about as much as a snapshot anyway.
   */
  bufferChanges?: number;
  /** How long the row of a pod that vanished while running stays in the table. */
  tombstoneMs?: number;
  now?: () => number;
  /** What pods without an ECI/ACS label or annotation run on: the connection's default backend. */
  defaultBackend?: Backend;
}

interface Batch {
  seq: number;
  message: Extract<StreamMessage, { type: "changes" }>;
}

function changeCount(batch: Batch): number {
  return batch.message.upserts.length + batch.message.deletes.length;
}

/**
 * The informer layer for one (cluster, namespace, selector): turns cache events into pod
 * summaries once, coalesces them into numbered batches, and fans them out to every viewer.
 * A viewer that reconnects with a Last-Event-ID still in the buffer gets the batches it missed;
 * any other viewer gets a snapshot first.
 */
export class PodStream {
  readonly epoch = Math.random().toString(36).slice(2, 10);
  private seq = 0;
  private readonly summaries = new Map<string, PodSummary>();
  private readonly tombstones = new Map<string, PodSummary>();
  private readonly pendingUpserts = new Map<string, PodSummary>();
  private readonly pendingDeletes = new Set<string>();
  private readonly buffer: Batch[] = [];
  private bufferedChanges = 0;
  private readonly subscribers = new Set<(frame: StreamFrame) => void>();
  private lastSnapshot: { seq: number; status: ConnectionStatus; frame: WeakRef<StreamFrame> } | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlushAt = -Infinity;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribeCache: (() => void) | null = null;
  private readonly flushMs: number;
  private readonly bufferSize: number;
  private readonly bufferChanges: number;
  private readonly tombstoneMs: number;
  private readonly now: () => number;
  private readonly defaultBackend: Backend;

  constructor(
    /** The pods underneath: a WatchCache, or one namespace's view of a shared one (streams.server.ts). */
    readonly cache: CacheView<Pod>,
    private readonly book: PriceBook,
    options: PodStreamOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 4;
    this.bufferSize = options.bufferSize ?? 2048;
    this.bufferChanges = options.bufferChanges ?? 10_000;
    this.tombstoneMs = options.tombstoneMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.defaultBackend = options.defaultBackend ?? "eci";
  }

  get status(): ConnectionStatus {
    return this.cache.status;
  }

  get viewerCount(): number {
    return this.subscribers.size;
  }

  start(): void {
    if (this.unsubscribeCache) return;
    for (const pod of this.cache.list()) {
      try {
        this.onCacheEvent({ type: "add", object: pod });
      } catch {
        // Left out of the rows; the cache logged it when the same pod failed its own listeners.
      }
    }
    this.unsubscribeCache = this.cache.subscribe((event) => this.onCacheEvent(event));
    this.sweepTimer = setInterval(() => this.sweepTombstones(), Math.min(this.tombstoneMs, 60_000));
    this.cache.start();
  }

  stop(): void {
    this.unsubscribeCache?.();
    this.unsubscribeCache = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.flushTimer = null;
    this.sweepTimer = null;
    this.cache.stop();
    this.subscribers.clear();
  }

  /** Current rows: live pods and recently vanished ones. */
  pods(): PodSummary[] {
    return [...this.summaries.values(), ...this.tombstones.values()];
  }

  /** Sends a snapshot (or the missed batches) right away, then every batch and status change. */
  connect(lastEventId: string | null, send: (frame: StreamFrame) => void): () => void {
    const missed = this.batchesAfter(lastEventId);
    if (missed) {
      for (const batch of missed) send({ id: this.idOf(batch.seq), message: batch.message });
      send({ message: { type: "status", status: this.status } });
    } else {
      send(this.snapshotFrame());
    }
    this.subscribers.add(send);
    return () => this.subscribers.delete(send);
  }

  /**
   * The snapshot at the current batch number. Viewers arriving together share one frame, so it
   * is serialized once (sse.ts caches the text per frame) instead of once per viewer: at 10,000
   * pods that is ~10 MB of JSON each. Changes made since the frame was built are still pending
   * and reach every subscriber in the next batch, so a shared frame is as good as a fresh one.
   * Held weakly: an idle stream does not keep the snapshot (or its text) alive.
   */
  private snapshotFrame(): StreamFrame {
    const cached = this.lastSnapshot;
    const status = this.status;
    const frame = cached && cached.seq === this.seq && cached.status === status ? cached.frame.deref() : undefined;
    if (frame) return frame;
    const fresh: StreamFrame = { id: this.idOf(this.seq), message: { type: "snapshot", pods: this.pods(), status } };
    this.lastSnapshot = { seq: this.seq, status, frame: new WeakRef(fresh) };
    return fresh;
  }

  private idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  private batchesAfter(lastEventId: string | null): Batch[] | null {
    if (!lastEventId) return null;
    const match = /^([a-z0-9]+)-(\d+)$/.exec(lastEventId);
    if (!match || match[1] !== this.epoch) return null;
    const last = Number(match[2]);
    if (last > this.seq) return null;
    if (last === this.seq) return [];
    const oldest = this.buffer[0]?.seq ?? Infinity;
    if (last + 1 < oldest) return null;
    return this.buffer.filter((batch) => batch.seq > last);
  }

  private broadcast(frame: StreamFrame): void {
    for (const send of this.subscribers) send(frame);
  }

  private onCacheEvent(event: CacheEvent<Pod>): void {
    if (event.type === "synced") return;
    if (event.type === "status") {
      this.broadcast({ message: { type: "status", status: event.status } });
      return;
    }
    if (event.type === "delete") {
      // A job the runner ended leaves the table (History has it); one the platform ended stays
      // a while as a Vanished row, so the loss is seen.
      const gone = toPodSummary(event.object, this.book, { goneAt: this.now(), defaultBackend: this.defaultBackend });
      this.summaries.delete(gone.uid);
      if (gone.phase === "Vanished") {
        this.tombstones.set(gone.uid, gone);
        this.queueUpsert(gone);
      } else {
        this.queueDelete(gone.uid);
      }
      return;
    }
    const summary = toPodSummary(event.object, this.book, { defaultBackend: this.defaultBackend });
    this.tombstones.delete(summary.uid);
    this.summaries.set(summary.uid, summary);
    this.queueUpsert(summary);
  }

  private queueUpsert(summary: PodSummary): void {
    this.pendingDeletes.delete(summary.uid);
    this.pendingUpserts.set(summary.uid, summary);
    this.scheduleFlush();
  }

  private queueDelete(uid: string): void {
    this.pendingUpserts.delete(uid);
    this.pendingDeletes.add(uid);
    this.scheduleFlush();
  }

  // Throttle with a leading edge: a change after a quiet spell goes out on the next tick (still
  // one batch for a synchronous burst such as a relist); changes within flushMs of the last
  // batch wait for the window to end, so a busy namespace sends at most one batch per window.
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + this.flushMs - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what accumulated since the last flush as one numbered batch. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingUpserts.size === 0 && this.pendingDeletes.size === 0) return;
    this.lastFlushAt = this.now();
    const batch: Batch = {
      seq: ++this.seq,
      message: { type: "changes", upserts: [...this.pendingUpserts.values()], deletes: [...this.pendingDeletes] },
    };
    this.pendingUpserts.clear();
    this.pendingDeletes.clear();
    this.buffer.push(batch);
    this.bufferedChanges += changeCount(batch);
    while (
      this.buffer.length > 1 &&
      (this.buffer.length > this.bufferSize || this.bufferedChanges > this.bufferChanges)
    ) {
      this.bufferedChanges -= changeCount(this.buffer.shift()!);
    }
    this.broadcast({ id: this.idOf(batch.seq), message: batch.message });
  }

  private sweepTombstones(): void {
    const cutoff = this.now() - this.tombstoneMs;
    for (const [uid, tombstone] of this.tombstones) {
      if ((tombstone.goneAt ?? 0) <= cutoff) {
        this.tombstones.delete(uid);
        this.queueDelete(uid);
      }
    }
  }
}
