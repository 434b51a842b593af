import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { runnerScope, type AlertCondition } from "./conditions";

/** A GitLab Runner Deployment, as far as "is it down" goes. */
export interface RunnerState {
  namespace: string;
  name: string;
  /** spec.replicas: 0 means scaled down on purpose, which is not "down". */
  desired: number;
  ready: number;
  /**
   * Epoch ms since when it has had no ready pod, as far as the Deployment says: the last transition
   * of its Available condition to False, else its creation. Null when unknown.
   */
  downSince: number | null;
}

function time(value: unknown): number | null {
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

export function runnerStateOf(deployment: IDeployment): RunnerState {
  const available = deployment.status?.conditions?.find((condition) => condition.type === "Available");
  const downSince =
    available?.status === "False"
      ? time(available.lastTransitionTime)
      : available
        ? null
        : time(deployment.metadata?.creationTimestamp);
  return {
    namespace: deployment.metadata?.namespace ?? "",
    name: deployment.metadata?.name ?? "",
    desired: deployment.spec?.replicas ?? 1,
    ready: deployment.status?.readyReplicas ?? 0,
    downSince,
  };
}

/**
 * A runner that should run and has had no ready pod for longer than `graceMs` (a rollout or an
 * ECI cold start takes a minute or two): GitLab's jobs for it queue until it is back. Keyed by
 * Deployment, so a crash-looping runner is one alert, not one per restart. A Deployment that says
 * it is Available but has no ready replica counts from now (downSince null): it is down, with no
 * grace to wait out.
 */
export function runnerDownConditions(
  connection: { id: string; name: string },
  runners: readonly RunnerState[],
  now: number,
  graceMs: number,
): AlertCondition[] {
  return runners
    .filter((runner) => runner.desired > 0 && runner.ready === 0)
    .filter((runner) => runner.downSince === null || now - runner.downSince > graceMs)
    .map((runner) => ({
      key: `runner-down:${connection.id}:${runner.namespace}/${runner.name}`,
      scope: runnerScope(connection.id),
      kind: "runner-down" as const,
      title: `Runner down: ${runner.namespace}/${runner.name}`,
      message: `On ${connection.name}, the runner Deployment wants ${runner.desired} pod(s) and none is ready: its CI jobs wait in GitLab's queue.`,
      connectionName: connection.name,
    }));
}
