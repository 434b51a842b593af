import { compareBackends, type BackendOutcome } from "@/lib/cost/backend-comparison";
import { computeBreakEven, type BreakEvenResult } from "@/lib/cost/break-even";
import type { PriceBook } from "@/lib/cost/prices";
import { DEFAULT_RUNNER_SPEC } from "@/lib/cost/validation";

/**
 * The seed article's claim: 1 vCPU / 2 GiB job pods (build + helper at 0.5 vCPU / 1 GiB each),
 * 10-minute jobs, a 139 CNY/month prepaid ECS, a 30-day month, the runner pod left out.
 */
export const SEED_EXAMPLE_QUERY = "vcpu=1&mem=2&minutes=10&ecs=139&jobs=80&days=30&site=cn";
export const SEED_EXAMPLE_WITH_RUNNER_QUERY = `${SEED_EXAMPLE_QUERY}&runner=0.25-0.5Gi`;

export function seedExample(book: PriceBook): {
  without: BreakEvenResult;
  withRunner: BreakEvenResult;
  /** The same jobs on every option (ECI, economy, spot, ACS default, ACS best-effort), runner left out. */
  backends: BackendOutcome[];
} {
  const input = { jobSpec: { vcpu: 1, memoryGiB: 2 }, jobMinutes: 10, ecsMonthly: 139, daysPerMonth: 30, book };
  return {
    without: computeBreakEven(input),
    withRunner: computeBreakEven({ ...input, runnerSpec: DEFAULT_RUNNER_SPEC }),
    backends: compareBackends(input, 80),
  };
}
