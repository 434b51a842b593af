import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "@/lib/monitor/testing/pods";
import { runningJobCosts, runningSpendOf, type RunningJobCost } from "./running-spend";

describe("runningJobCosts", () => {
  const now = new Date("2026-01-01T00:10:05Z");

  it("prices a running ECI job pod to now at the list price, with its project from the job URL", () => {
    // 2 vCPU / 4 GiB (the pod's eci-instance-spec), started 10 minutes before now:
    // (2 × 0.000049 + 4 × 0.00000613) CNY/s × 600 s = 0.073512 CNY, worked out by hand.
    const pod = jobPod("p1", "1", "Running", { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:05Z" });
    expect(runningJobCosts("c1", [pod], DEFAULT_PRICE_BOOKS.cn, now)).toEqual([
      { connectionId: "c1", podUid: "p1", projectPath: "group/app", currency: "CNY", micros: 73_512 },
    ]);
  });

  it("leaves out pods already recorded and pods without a uid", () => {
    const recorded = jobPod("p1", "1", "Running", { started: "2026-01-01T00:00:05Z" });
    const other = jobPod("p2", "1", "Running", { started: "2026-01-01T00:00:05Z" });
    const noUid: Pod = { ...other, metadata: { ...other.metadata, uid: undefined } };
    const costs = runningJobCosts("c1", [recorded, other, noUid], DEFAULT_PRICE_BOOKS.cn, now, {
      recorded: new Set(["p1"]),
    });
    expect(costs.map((cost) => cost.podUid)).toEqual(["p2"]);
  });
});

describe("runningSpendOf", () => {
  const job = (connectionId: string, projectPath: string | null, micros: number, currency = "CNY"): RunningJobCost => ({
    connectionId,
    podUid: `${connectionId}-${projectPath}-${micros}`,
    projectPath,
    currency,
    micros,
  });
  const running = [
    job("c1", "group/app", 100),
    job("c1", "group/app", 20),
    job("c1", "group/web", 3),
    job("c1", null, 4_000),
    job("c2", "group/app", 50_000),
    job("c1", "group/app", 600_000, "USD"),
  ];

  it.each([
    ["the whole connection", { connectionId: "c1", projectPath: "", currency: "CNY" }, 4_123, 4],
    ["one project", { connectionId: "c1", projectPath: "group/app", currency: "CNY" }, 120, 2],
    ["a project with nothing running", { connectionId: "c1", projectPath: "group/none", currency: "CNY" }, 0, 0],
    ["another connection", { connectionId: "c2", projectPath: "", currency: "CNY" }, 50_000, 1],
    ["another currency", { connectionId: "c1", projectPath: "", currency: "USD" }, 600_000, 1],
  ])("%s", (_, budget, micros, jobs) => {
    expect(runningSpendOf(budget, running)).toEqual({ micros, jobs });
  });
});
