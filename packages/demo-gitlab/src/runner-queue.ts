import crypto from "node:crypto";
import type { Runner } from "./model";
import type { Store } from "./store";

/** Ci::Runner::RUNNER_QUEUE_EXPIRY_TIME: a queue value lives an hour, then a new one is made. */
export const QUEUE_VALUE_TTL_MS = 60 * 60_000;

/**
 * Runner queue values and long polling. GitLab keeps, per runner, a queue value (returned as
 * X-GitLab-Last-Update) that it ticks whenever a job the runner could take is enqueued or the runner
 * changes. Workhorse holds a POST /jobs/request whose `last_update` is still that value for up to
 * apiCiLongPollingDuration, and answers 204 itself — on a change as on a timeout — without asking
 * Rails (so the runner's contact time is not updated); the runner asks again and Rails answers.
 */
export class RunnerQueue {
  private readonly waiters = new Map<number, Set<() => void>>();
  private readonly watchedTraces = new Map<number, number>();

  constructor(
    readonly longPollMs: number,
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Ci::Runner#ensure_runner_queue_value. */
  value(runner: Runner): string {
    if (!runner.queueVersion || this.now() - (runner.queueVersionAt ?? 0) > QUEUE_VALUE_TTL_MS) {
      this.setValue(runner);
    }
    return runner.queueVersion;
  }

  /** Ci::Runner#tick_runner_queue: a new value, and the runner's held requests are released. */
  tick(runner: Runner): void {
    this.setValue(runner);
    const waiting = this.waiters.get(runner.id);
    if (!waiting) return;
    this.waiters.delete(runner.id);
    for (const wake of waiting) wake();
  }

  private setValue(runner: Runner): void {
    runner.queueVersion = crypto.randomBytes(16).toString("hex");
    runner.queueVersionAt = this.now();
    this.store.changed();
  }

  /** Workhorse's watch on the runner's queue key: resolves when it changes, times out, or the client leaves. */
  waitForChange(runner: Runner, signal: AbortSignal): Promise<"changed" | "timeout"> {
    return new Promise((resolve) => {
      const set = this.waiters.get(runner.id) ?? new Set<() => void>();
      this.waiters.set(runner.id, set);
      const done = (result: "changed" | "timeout") => {
        clearTimeout(timer);
        set.delete(wake);
        signal.removeEventListener("abort", abort);
        resolve(result);
      };
      const wake = () => done("changed");
      const abort = () => done("timeout");
      const timer = setTimeout(() => done("timeout"), this.longPollMs);
      set.add(wake);
      signal.addEventListener("abort", abort);
    });
  }

  /** Ends every long poll now (server stopping). */
  releaseAll(): void {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    this.waiters.clear();
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
