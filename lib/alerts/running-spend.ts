import { toMicros } from "@/lib/cost/money";
import { costSoFar, type CostSoFarOptions } from "@/lib/cost/pod-cost";
import type { PriceBook } from "@/lib/cost/prices";
import { podJobInfo, type Pod } from "@/lib/kube/pod";

/**
 * What a job pod that has not ended has cost so far: the live monitor's figure (costSoFar with the
 * connection's price book and default backend). Budgets count it beside the recorded jobs, so a
 * budget is crossed while the jobs that cross it still run, not only once they have all ended.
 */
export interface RunningJobCost {
  connectionId: string;
  podUid: string;
  /** From the runner's job URL or labels; null when the pod does not say. */
  projectPath: string | null;
  currency: string;
  micros: number;
}

/** The running job pods of one connection, priced at `now`; pods already recorded are left out. */
export function runningJobCosts(
  connectionId: string,
  pods: readonly Pod[],
  book: PriceBook,
  now: Date,
  options: Pick<CostSoFarOptions, "defaultBackend"> & { recorded?: ReadonlySet<string> } = {},
): RunningJobCost[] {
  const costs: RunningJobCost[] = [];
  for (const pod of pods) {
    const podUid = pod.metadata?.uid;
    // Recorded already (its end was written a moment ago): the JobRecord counts it, once.
    if (!podUid || options.recorded?.has(podUid)) continue;
    const cost = costSoFar(pod, now, book, { defaultBackend: options.defaultBackend });
    costs.push({
      connectionId,
      podUid,
      projectPath: podJobInfo(pod).projectPath,
      currency: book.currency,
      micros: toMicros(cost.cost),
    });
  }
  return costs;
}

/**
 * The part of `running` a budget counts: the same connection and currency, and for a project
 * budget the same project. A running job finishes today at the earliest, and a job counts on the
 * day it finishes (JobRecord.day), so whatever runs now belongs to the current day and month.
 */
export function runningSpendOf(
  budget: { connectionId: string; projectPath: string; currency: string },
  running: readonly RunningJobCost[],
): { micros: number; jobs: number } {
  let micros = 0;
  let jobs = 0;
  for (const job of running) {
    if (job.connectionId !== budget.connectionId || job.currency !== budget.currency) continue;
    if (budget.projectPath && job.projectPath !== budget.projectPath) continue;
    micros += job.micros;
    jobs += 1;
  }
  return { micros, jobs };
}
