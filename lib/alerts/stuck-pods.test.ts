import { describe, expect, it } from "vitest";
import { stuckPodConditions, stuckReason, type LiveJobPod } from "./stuck-pods";

const MIN = 60_000;
const now = Date.parse("2026-12-06T12:00:00Z");
const connection = { id: "c1", name: "demo" };

function pod(overrides: Partial<LiveJobPod>): LiveJobPod {
  return {
    uid: "u1",
    namespace: "ci",
    name: "runner-abc-project-1-concurrent-0",
    phase: "Running",
    reason: null,
    createdAt: now - 20 * MIN,
    costSoFar: "¥0.42",
    orphanedJob: null,
    ...overrides,
  };
}

describe("stuckReason", () => {
  it.each([
    [{ phase: "Pending", reason: null, orphanedJob: null }, "pending"],
    [{ phase: "Pending", reason: "ImagePullBackOff", orphanedJob: null }, "image-pull"],
    [{ phase: "Pending", reason: "ErrImagePull", orphanedJob: null }, "image-pull"],
    [{ phase: "Running", reason: null, orphanedJob: { jobId: 7, status: "success" } }, "orphaned"],
    [{ phase: "Running", reason: null, orphanedJob: null }, null],
    [{ phase: "Running", reason: "CrashLoopBackOff", orphanedJob: null }, null],
  ] as const)("%j -> %s", (input, expected) => {
    expect(stuckReason(input)).toBe(expected);
  });
});

describe("stuckPodConditions", () => {
  const threshold = 10 * MIN;
  it.each([
    ["Pending for 20 min", pod({ phase: "Pending" }), 1],
    ["Pending for 5 min (under the threshold)", pod({ phase: "Pending", createdAt: now - 5 * MIN }), 0],
    ["Pending exactly at the threshold", pod({ phase: "Pending", createdAt: now - threshold }), 0],
    [
      "image pull failing for 11 min",
      pod({ phase: "Pending", reason: "ImagePullBackOff", createdAt: now - 11 * MIN }),
      1,
    ],
    ["orphaned for 20 min", pod({ orphanedJob: { jobId: 9, status: "canceled" } }), 1],
    ["running normally for an hour", pod({ createdAt: now - 60 * MIN }), 0],
    ["Pending with no creation time", pod({ phase: "Pending", createdAt: null }), 0],
  ])("%s: %i alert(s)", (_name, input, count) => {
    expect(stuckPodConditions(connection, [input], now, threshold)).toHaveLength(count);
  });

  it("says why, for how long and what it cost, keyed by the pod", () => {
    const [condition] = stuckPodConditions(
      connection,
      [pod({ phase: "Pending", reason: "ImagePullBackOff" })],
      now,
      threshold,
    );
    expect(condition.key).toBe("stuck-pod:c1:u1");
    expect(condition.scope).toBe("pods:c1");
    expect(condition.title).toBe("Job pod stuck: ci/runner-abc-project-1-concurrent-0");
    expect(condition.message).toContain(
      "its image cannot be pulled (ImagePullBackOff); billed for 20 min so far (¥0.42)",
    );
  });

  it("the same pod keeps its key when Pending turns into an image pull failure", () => {
    const pending = stuckPodConditions(connection, [pod({ phase: "Pending" })], now, threshold)[0].key;
    const pulling = stuckPodConditions(
      connection,
      [pod({ phase: "Pending", reason: "ErrImagePull" })],
      now,
      threshold,
    )[0].key;
    expect(pulling).toBe(pending);
  });
});
