import { describe, expect, it } from "vitest";
import { planRollingUpdate, resolveIntOrPercent } from "./rollout";

describe("rolling update arithmetic", () => {
  it.each([
    ["25%", 4, true, 1],
    ["25%", 1, true, 1],
    ["25%", 1, false, 0],
    [2, 10, false, 2],
  ] as const)("resolves %s of %d (round up %s) to %d", (value, desired, roundUp, expected) => {
    expect(resolveIntOrPercent(value, "25%", desired, roundUp)).toBe(expected);
  });

  it("surges the new ReplicaSet first and keeps old pods while new ones are unavailable", () => {
    expect(planRollingUpdate(1, 1, 0, { replicas: 0, available: 0 }, [{ replicas: 1, available: 1 }])).toEqual({
      newReplicas: 1,
      oldReplicas: [1],
    });
  });

  it("scales old pods down once new ones are available", () => {
    expect(planRollingUpdate(1, 1, 0, { replicas: 1, available: 1 }, [{ replicas: 1, available: 1 }])).toEqual({
      newReplicas: 1,
      oldReplicas: [0],
    });
  });

  it("removes unavailable old pods only within maxUnavailable", () => {
    expect(planRollingUpdate(2, 1, 0, { replicas: 1, available: 0 }, [{ replicas: 2, available: 0 }])).toEqual({
      newReplicas: 1,
      oldReplicas: [2],
    });
    expect(planRollingUpdate(2, 1, 1, { replicas: 1, available: 0 }, [{ replicas: 2, available: 0 }])).toEqual({
      newReplicas: 1,
      oldReplicas: [1],
    });
  });

  it("scales down a ReplicaSet of an older template when the new one is complete", () => {
    expect(
      planRollingUpdate(4, 1, 1, { replicas: 4, available: 4 }, [
        { replicas: 1, available: 1 },
        { replicas: 1, available: 0 },
      ]),
    ).toEqual({
      newReplicas: 4,
      oldReplicas: [0, 0],
    });
  });
});
