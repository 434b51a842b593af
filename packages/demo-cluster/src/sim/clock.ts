import type { Clock } from "../types";
import { MinHeap } from "./min-heap";

// One wall clock for the whole demo cluster (store, server, simulation); ManualClock is the sim's own.
export { realClock } from "../clock";

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in (due time, creation order), so the same
 * sequence of advance() calls always runs the same callbacks in the same order.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));

  constructor(start: number | string = "2026-01-01T00:00:00Z") {
    this.current = typeof start === "string" ? Date.parse(start) : start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward by ms, firing every timer due by then, including ones scheduled meanwhile. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.timers.peek(); next && next.at <= target; next = this.timers.peek()) {
      this.timers.pop();
      if (next.cancelled) continue;
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = target;
  }

  /** Advances in steps of stepMs until predicate holds; returns whether it did within maxMs. */
  advanceUntil(predicate: () => boolean, maxMs: number, stepMs = 250): boolean {
    for (let waited = 0; waited <= maxMs; waited += stepMs) {
      if (predicate()) return true;
      this.advance(stepMs);
    }
    return predicate();
  }

  /** Timers not yet fired or cancelled-but-not-yet-dropped. */
  get pendingTimers(): number {
    return this.timers.size;
  }
}
