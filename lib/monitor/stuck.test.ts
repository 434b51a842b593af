import { describe, expect, it } from "vitest";
import { OVERDUE_MARGIN_MS, stuckState, type StuckKind } from "./stuck";
import type { PodSummary, SummaryPhase } from "./pod-summary";

const MIN = 60_000;
const rules = { pendingThresholdMs: 5 * MIN };

describe("stuckState", () => {
  it.each<[string, SummaryPhase, string | null, number | null, StuckKind | null]>([
    ["running normally", "Running", null, 0, null],
    ["pending within the threshold", "Pending", "ContainerCreating", 10 * MIN - 5 * MIN, null],
    ["pending exactly at the threshold", "Pending", null, 5 * MIN, null],
    ["pending past the threshold", "Pending", null, 5 * MIN - 1, "pendingTooLong"],
    ["pending without a creation time", "Pending", null, null, null],
    ["image pull back-off", "Pending", "ImagePullBackOff", 10 * MIN, "imagePull"],
    ["image pull error, also past the threshold", "Pending", "ErrImagePull", 0, "imagePull"],
    ["crash loop", "Running", "CrashLoopBackOff", 0, "crashLoop"],
    ["OOM killed", "Failed", "OOMKilled", 0, "oomKilled"],
    ["failed with a plain error", "Failed", "Error", 0, null],
    ["gone while running", "Vanished", null, 0, "vanished"],
    ["succeeded long ago", "Succeeded", null, 0, null],
  ])("%s", (_name, phase, reason, createdAt, expected) => {
    expect(stuckState({ phase, reason, createdAt }, 10 * MIN, rules)).toBe(expected);
  });

  describe("a job pod running past its job's timeout (its runner gone)", () => {
    const HOUR = 3600;
    type Row = Pick<PodSummary, "phase" | "reason" | "createdAt" | "startedAt" | "deletingAt" | "jobTimeoutSeconds">;
    const base: Omit<Row, "jobTimeoutSeconds"> = {
      phase: "Running",
      reason: null,
      createdAt: 0,
      startedAt: 0,
      deletingAt: null,
    };
    it.each<[string, Partial<Row>, number, StuckKind | null]>([
      ["within its timeout", { jobTimeoutSeconds: HOUR }, HOUR * 1000, null],
      ["within the margin", { jobTimeoutSeconds: HOUR }, HOUR * 1000 + OVERDUE_MARGIN_MS, null],
      ["past timeout and margin", { jobTimeoutSeconds: HOUR }, HOUR * 1000 + OVERDUE_MARGIN_MS + 1, "overdue"],
      [
        "past it but being deleted (the runner's clean-up)",
        { jobTimeoutSeconds: HOUR, deletingAt: 1 },
        2 * HOUR * 1000,
        null,
      ],
      ["without a known timeout", { jobTimeoutSeconds: null }, 100 * HOUR * 1000, null],
      ["not started", { jobTimeoutSeconds: HOUR, startedAt: null }, 2 * HOUR * 1000, null],
    ])("%s", (_name, over, now, expected) => {
      expect(stuckState({ ...base, ...over }, now, rules)).toBe(expected);
    });

    it("a Pending pod past the threshold is pendingTooLong, not overdue", () => {
      expect(
        stuckState({ ...base, phase: "Pending", startedAt: null, jobTimeoutSeconds: 60 }, 2 * HOUR * 1000, rules),
      ).toBe("pendingTooLong");
    });
  });
});
