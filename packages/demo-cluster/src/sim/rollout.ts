/** Resolves maxSurge / maxUnavailable ("25%" or a number) against the desired replicas. */
export function resolveIntOrPercent(
  value: number | string | undefined,
  fallback: string,
  desired: number,
  roundUp: boolean,
): number {
  const raw = value ?? fallback;
  if (typeof raw === "number") return raw;
  const match = /^(\d+)%$/.exec(raw.trim());
  if (!match) return Number.parseInt(raw, 10) || 0;
  const exact = (Number(match[1]) * desired) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface ReplicaCounts {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

export interface RolloutPlan {
  newReplicas: number;
  oldReplicas: number[];
}

/**
 * One step of a RollingUpdate, as the Deployment controller takes it: grow the new ReplicaSet
 * while the total stays within desired + maxSurge, and shrink old ones only as far as keeps
 * desired - maxUnavailable pods available.
 */
export function planRollingUpdate(
  desired: number,
  maxSurge: number,
  maxUnavailable: number,
  current: ReplicaCounts,
  olds: ReplicaCounts[],
): RolloutPlan {
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const oldTotal = olds.reduce((sum, rs) => sum + rs.replicas, 0);
  let newReplicas = current.replicas;
  if (newReplicas > desired) newReplicas = desired;
  else {
    const room = desired + maxSurge - (oldTotal + newReplicas);
    newReplicas += Math.max(0, Math.min(room, desired - newReplicas));
  }
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = Math.max(0, newReplicas - current.available);
  const oldReplicas = olds.map((rs) => rs.replicas);
  // As reconcileOldReplicaSets: first drop unavailable old pods, within what keeps the rollout safe...
  let cleanup = Math.max(0, oldTotal + newReplicas - minAvailable - newUnavailable);
  olds.forEach((rs, i) => {
    const drop = Math.min(cleanup, Math.max(0, rs.replicas - rs.available));
    oldReplicas[i] -= drop;
    cleanup -= drop;
  });
  // ...then scale down available ones as far as availability above the minimum allows.
  if (oldTotal + newReplicas - minAvailable - newUnavailable > 0) {
    let spare = olds.reduce((sum, rs) => sum + rs.available, current.available) - minAvailable;
    oldReplicas.forEach((replicas, i) => {
      const drop = Math.max(0, Math.min(replicas, spare));
      oldReplicas[i] -= drop;
      spare -= drop;
    });
  }
  return { newReplicas, oldReplicas };
}
