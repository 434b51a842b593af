import type { Outcome } from "./types";

/**
 * created when nothing was live before; otherwise unchanged exactly when the user-visible
 * content (lib/apply/live-view) did not change. Used for the dry-run prediction and for the real
 * apply alike: comparing resourceVersions would call an object "configured" whenever a controller
 * wrote its status in between (the ImageCache controller does, while the cache is built).
 */
export function outcomeOf(before: unknown, diff: string): Outcome {
  if (before === undefined) return "created";
  return diff ? "configured" : "unchanged";
}
