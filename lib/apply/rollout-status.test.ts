import { describe, expect, it } from "vitest";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { rolloutStatus, runnerPodStatus, runnerRolloutTarget } from "./rollout-status";

const deployment = (status: Record<string, number>, generation = 2) => ({
  metadata: { generation },
  spec: { replicas: 1 },
  status,
});
const pod = (name: string, ready: boolean, waiting?: string) => ({
  metadata: { name },
  status: {
    phase: ready ? "Running" : "Pending",
    conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
    containerStatuses: [{ ready, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }],
  },
});

describe("rolloutStatus", () => {
  it.each([
    [
      "available and up to date",
      deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
      true,
    ],
    [
      "controller has not seen the new spec",
      deployment({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
      false,
    ],
    [
      "new pod not available yet",
      deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0 }),
      false,
    ],
    [
      "old pod still around",
      deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 }),
      false,
    ],
    ["no status at all", deployment({}), false],
  ])("%s", (_name, d, available) => {
    expect(rolloutStatus(d, []).available).toBe(available);
  });

  it("names the pod that is stuck and why", () => {
    const status = rolloutStatus(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }), [
      pod("gitlab-runner-abc", false, "ImagePullBackOff"),
    ]);
    expect(status.message).toContain("gitlab-runner-abc is ImagePullBackOff");
  });

  it("reports a missing Deployment", () => {
    expect(rolloutStatus(undefined, [])).toMatchObject({
      available: false,
      message: "Deployment not found",
      missing: true,
    });
  });
});

describe("runnerPodStatus", () => {
  it("reads readiness from the Ready condition and marks terminating pods", () => {
    expect(runnerPodStatus(pod("a", true))).toEqual({ name: "a", phase: "Running", ready: true });
    expect(runnerPodStatus({ ...pod("b", true), metadata: { name: "b", deletionTimestamp: "now" } }).phase).toBe(
      "Terminating",
    );
  });
});

describe("runnerRolloutTarget", () => {
  it("names the instance's Deployment and selects its pods by the Deployment's selector labels", () => {
    const settings = runnerSettingsSchema.parse({
      cluster: { namespace: "ci", instanceName: "build-runner" },
      gitlab: { url: "https://gitlab.example.com/", runnerToken: "glrt-rollout_target_token_0123", runnerName: "r" },
    });
    expect(runnerRolloutTarget(settings)).toEqual({
      namespace: "ci",
      deployment: "build-runner",
      selector: "app.kubernetes.io/name=gitlab-runner,app.kubernetes.io/instance=build-runner",
    });
  });
});
