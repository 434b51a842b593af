import type { Outcome } from "./types";

interface Versioned {
  metadata?: { resourceVersion?: string };
}

/**
 * What a real server-side apply did: nothing live before → created; the API server writes a
 * new resourceVersion only when something changed, so an equal one means unchanged.
 */
export function appliedOutcome(before: Versioned | undefined, after: Versioned): Outcome {
  if (!before) return "created";
  return before.metadata?.resourceVersion === after.metadata?.resourceVersion ? "unchanged" : "configured";
}

/** What a dry run predicts, from the diff between the live object and the dry-run result. */
export function predictedOutcome(before: unknown, diff: string): Outcome {
  if (before === undefined) return "created";
  return diff ? "configured" : "unchanged";
}
