import type { AlertCondition } from "./conditions";

/** A condition that fired earlier and has not cleared: its key and scope (AlertState rows). */
export interface ActiveCondition {
  key: string;
  scope: string;
}

export interface AlertPlan {
  /** New conditions: send each once. */
  fire: AlertCondition[];
  /** Still true and already sent: only note that they were seen. */
  ongoing: AlertCondition[];
  /** Keys that were active and are no longer true in a scope evaluated this round: forget them. */
  clear: string[];
}

/**
 * No alert storm: a condition is sent once when it appears and not again until it has cleared.
 * It clears only when its scope was evaluated and the condition was not among the results — a
 * cluster that could not be read this round keeps its conditions active rather than clearing them
 * and firing them again next round. Duplicate keys in `observed` count once (the first wins).
 */
export function planAlerts(
  active: readonly ActiveCondition[],
  observed: readonly AlertCondition[],
  evaluatedScopes: ReadonlySet<string>,
): AlertPlan {
  const activeKeys = new Set(active.map((condition) => condition.key));
  const seen = new Map<string, AlertCondition>();
  for (const condition of observed) if (!seen.has(condition.key)) seen.set(condition.key, condition);
  const fire: AlertCondition[] = [];
  const ongoing: AlertCondition[] = [];
  for (const condition of seen.values()) (activeKeys.has(condition.key) ? ongoing : fire).push(condition);
  const clear = active
    .filter((condition) => evaluatedScopes.has(condition.scope) && !seen.has(condition.key))
    .map((condition) => condition.key);
  return { fire, ongoing, clear };
}
