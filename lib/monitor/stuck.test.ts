import { describe, expect, it } from "vitest";
import { stuckState, type StuckKind } from "./stuck";
import type { SummaryPhase } from "./pod-summary";

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
});
