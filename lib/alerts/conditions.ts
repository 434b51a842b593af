/**
 * An alert condition: something that is true now and worth telling someone about. Conditions are
 * computed afresh at every evaluation (lib/alerts/evaluate.server.ts); lib/alerts/dedupe.ts decides
 * which of them are news.
 */
export const ALERT_KINDS = ["budget", "stuck-pod", "runner-down"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertCondition {
  /** Stable while the condition lasts: the same pod, budget period or runner gives the same key. */
  key: string;
  /**
   * What evaluation covers this condition. A scope that could not be evaluated this round (its
   * cluster did not answer) must not clear its conditions: silence is not recovery.
   */
  scope: string;
  kind: AlertKind;
  /** One line, e.g. "Budget crossed: demo, daily". */
  title: string;
  /** A few lines of plain text with the figures. */
  message: string;
  /** The connection it is about, when it is about one. */
  connectionName?: string;
}

export function budgetScope(): string {
  return "budget";
}

export function podScope(connectionId: string): string {
  return `pods:${connectionId}`;
}

export function runnerScope(connectionId: string): string {
  return `runners:${connectionId}`;
}
