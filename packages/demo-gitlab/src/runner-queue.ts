import crypto from "node:crypto";

/**
 * Runner queue versions and long polling, as Workhorse does for POST /jobs/request: a runner that
 * sends the `last_update` it was last given waits (up to the long polling duration) until its
 * queue changes, then gets 204 with X-GitLab-Last-Update, or its request goes on to pick a job.
 */
export class RunnerQueue {
  private version = crypto.randomBytes(8).toString("hex");
  private waiters = new Set<() => void>();
  private readonly watchedTraces = new Map<number, number>();

  constructor(
    readonly longPollMs: number,
    private readonly now: () => number,
  ) {}

  get currentVersion(): string {
    return this.version;
  }

  /** New pending jobs (or a runner changed): every waiting request is released to look again. */
  changed(): void {
    this.version = crypto.randomBytes(8).toString("hex");
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves true when the queue changed, false when the long poll timed out or was aborted. */
  waitForChange(lastUpdate: string, signal: AbortSignal): Promise<boolean> {
    if (lastUpdate !== this.version || this.longPollMs <= 0) return Promise.resolve(lastUpdate !== this.version);
    return new Promise((resolve) => {
      const done = (changed: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal.removeEventListener("abort", abort);
        resolve(changed);
      };
      const wake = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), this.longPollMs);
      this.waiters.add(wake);
      signal.addEventListener("abort", abort);
    });
  }

  /** Ends every long poll now (server stopping). */
  releaseAll(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  traceWatched(jobId: number): void {
    this.watchedTraces.set(jobId, this.now());
  }

  /**
   * X-GitLab-Trace-Update-Interval: 3 s while someone reads the live trace (the last minute), else
   * 60 s (Gitlab::Ci::Trace: UPDATE_FREQUENCY_DEFAULT / UPDATE_FREQUENCY_WHEN_BEING_WATCHED).
   */
  traceUpdateInterval(jobId: number): number {
    const watched = this.watchedTraces.get(jobId);
    return watched !== undefined && this.now() - watched < 60_000 ? 3 : 60;
  }
}
