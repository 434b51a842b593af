import type { Clock } from "../types";

/**
 * Collects keys from store events and handles each once per turn of the clock. Controllers
 * never write to the store from inside a store listener: the store may still be notifying other
 * watchers, who would then see our write before the event that caused it.
 */
export class WorkQueue {
  private pending = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly handle: (key: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    this.clock.setTimeout(() => this.drain(), 0);
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = false;
    const keys = this.pending;
    this.pending = new Set();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.handle(key);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
