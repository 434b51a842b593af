import type { ConnectionStatus } from "@/lib/monitor/protocol";
import { sseEvent } from "@/lib/sse";

/**
 * The stored view of one open pipeline, watched for every viewer of it on this replica. A webhook may
 * be delivered to another replica, so the store is read again every `intervalMs`; a delivery to this
 * replica nudges the watch, which reads at once. Whether the view changed is decided by its content,
 * not by a timestamp: the sync pass and the page's own load write the same rows again without news.
 * Each change is encoded once and written to every viewer. Events: "pipeline" (the whole view, JSON of
 * T) and "status" (whether it is live: ConnectionStatus).
 */

/** Between two reads of an open pipeline's stored view when nothing nudges it (a delivery to another replica). */
export const PIPELINE_CHECK_MS = 300;

export class StoredViewWatch<T> {
  private readonly viewers = new Set<(frame: string) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private lastText: string | null = null;
  private lastFrame: string | null = null;
  private status: ConnectionStatus;
  /** Reads so far (the benchmark and tests count them: one per interval, however many viewers). */
  reads = 0;

  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly describeError: (error: unknown) => string;

  constructor(
    /** The stored view, or null when it is no longer stored. Throws when the store cannot be read. */
    private readonly read: () => Promise<T | null>,
    options: {
      intervalMs?: number;
      now?: () => number;
      /** What the browser is told when a read fails: never the error's message (it may quote SQL and values). */
      describeError?: (error: unknown) => string;
    } = {},
  ) {
    this.intervalMs = options.intervalMs ?? PIPELINE_CHECK_MS;
    this.now = options.now ?? Date.now;
    this.describeError = options.describeError ?? (() => "read failed");
    this.status = { state: "connecting", since: this.now() };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref?.();
    void this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A viewer: gets the last view and status at once, then every change. Returns the unsubscribe. */
  subscribe(write: (frame: string) => void): () => void {
    this.viewers.add(write);
    if (this.lastFrame) write(this.lastFrame);
    write(statusFrame(this.status));
    return () => this.viewers.delete(write);
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Reads now (a delivery to this replica changed the store). A read already under way is followed by one more. */
  check(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.readOnce().finally(() => {
      this.reading = null;
      if (!this.readAgain) return;
      this.readAgain = false;
      void this.check();
    });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    let view: T | null;
    this.reads++;
    try {
      view = await this.read();
    } catch (error) {
      this.setStatus("reconnecting", this.describeError(error));
      return;
    }
    if (view === null) {
      this.setStatus("reconnecting", "not stored");
      return;
    }
    const text = JSON.stringify(view);
    if (text !== this.lastText) {
      this.lastText = text;
      this.lastFrame = `event: pipeline\ndata: ${text}\n\n`;
      this.broadcast(this.lastFrame);
    }
    this.setStatus("live");
  }

  private setStatus(state: ConnectionStatus["state"], error?: string): void {
    // A failing store keeps the time the view went stale; a new error message alone is not news.
    if (state === this.status.state) return;
    this.status = { state, since: this.now(), ...(error ? { error } : {}) };
    this.broadcast(statusFrame(this.status));
  }

  private broadcast(frame: string): void {
    for (const write of this.viewers) write(frame);
  }
}

function statusFrame(status: ConnectionStatus): string {
  return sseEvent(status, { event: "status" });
}
