import { describe, expect, it } from "vitest";
import type { Pod } from "@/lib/kube/pod";
import { classifyJobPodEnd, type JobPodObservation } from "./lifecycle";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, "Z");

type Container = { name: string; state: Record<string, unknown>; lastState?: Record<string, unknown> };
const running = (name: string, since = 10): Container => ({ name, state: { running: { startedAt: at(since) } } });
const killed = (name: string, finished: number, exitCode = 137, reason = "Error"): Container => ({
  name,
  state: { terminated: { exitCode, reason, startedAt: at(10), finishedAt: at(finished) } },
});

function jobPod(
  status: {
    phase: string;
    reason?: string;
    containers: Container[];
    initContainers?: Container[];
    conditions?: unknown[];
  },
  deletionTimestamp?: number,
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "runner-abc-project-1-concurrent-0-x1y2z3w4",
      namespace: "ci",
      uid: "u1",
      labels: { "job.runner.gitlab.com/pod": "runner-abc-project-1-concurrent-0" },
      creationTimestamp: at(0),
      ...(deletionTimestamp !== undefined ? { deletionTimestamp: at(deletionTimestamp) } : {}),
    },
    status: {
      phase: status.phase,
      ...(status.reason ? { reason: status.reason } : {}),
      startTime: at(2),
      containerStatuses: status.containers,
      ...(status.initContainers ? { initContainerStatuses: status.initContainers } : {}),
      ...(status.conditions ? { conditions: status.conditions } : {}),
    } as unknown as Pod["status"],
  } as Pod;
}

const waiting = (name: string, reason: string): Container => ({ name, state: { waiting: { reason } } });

const observe = (pod: Pod, gone: boolean, seenAt: number, extra: Partial<JobPodObservation> = {}) =>
  classifyJobPodEnd({ pod, gone, seenAt: new Date(T0 + seenAt * 1000), ...extra });

describe("classifyJobPodEnd", () => {
  it("is not over while the job runs, nor while the runner's deletion waits for the grace period", () => {
    expect(
      observe(jobPod({ phase: "Running", containers: [running("build"), running("helper")] }), false, 60),
    ).toBeNull();
    expect(
      observe(jobPod({ phase: "Running", containers: [running("build"), running("helper")] }, 130), false, 101),
    ).toBeNull();
  });

  it.each([
    [
      "deleted while Running, grace period over: finished at the deletion deadline",
      jobPod({ phase: "Running", containers: [running("build"), running("helper")] }, 130),
      true,
      140,
      { kind: "finished", outcome: "unknown", ran: true, reason: null, endedAt: T0 + 130_000 },
    ],
    [
      "gone sooner than the deadline: finished when seen gone",
      jobPod({ phase: "Running", containers: [running("build"), running("helper")] }, 130),
      true,
      110,
      { kind: "finished", endedAt: T0 + 110_000 },
    ],
    [
      "terminal phase written by the kubelet during the deletion (exit 137): finished, whatever the exit code",
      jobPod({ phase: "Failed", containers: [killed("build", 130), killed("helper", 129)] }, 130),
      false,
      131,
      { kind: "finished", outcome: "unknown", ran: true, endedAt: T0 + 130_000 },
    ],
    [
      "deleted before the build ran (poll_timeout): finished, never ran, with what held it",
      jobPod(
        { phase: "Pending", containers: [{ name: "build", state: { waiting: { reason: "ImagePullBackOff" } } }] },
        200,
      ),
      true,
      201,
      { kind: "finished", ran: false, reason: "ImagePullBackOff", endedAt: T0 + 200_000 },
    ],
    [
      "DeadlineExceeded (activeDeadlineSeconds, an orphan)",
      jobPod({
        phase: "Failed",
        reason: "DeadlineExceeded",
        containers: [killed("build", 3601), killed("helper", 3601)],
      }),
      false,
      3602,
      { kind: "vanished", cause: "deadlineExceeded", reason: "DeadlineExceeded", endedAt: T0 + 3_601_000 },
    ],
    [
      "spot reclaim, pod kept Failed with BidFailed",
      jobPod({ phase: "Failed", reason: "BidFailed", containers: [killed("build", 300), killed("helper", 300)] }),
      false,
      301,
      { kind: "vanished", cause: "spotReclaimed", reason: "BidFailed" },
    ],
    [
      "ECI instance gone: the virtual kubelet's NotFound",
      jobPod({ phase: "Failed", reason: "NotFound", containers: [killed("build", 90, -137, "NotFound")] }),
      false,
      95,
      { kind: "vanished", cause: "instanceGone", reason: "NotFound" },
    ],
    [
      "evicted",
      jobPod({ phase: "Failed", reason: "Evicted", containers: [killed("build", 80), killed("helper", 80)] }),
      false,
      81,
      { kind: "vanished", cause: "evicted", reason: "Evicted" },
    ],
    [
      "eviction API: DisruptionTarget, then deleted",
      jobPod(
        {
          phase: "Running",
          containers: [running("build"), running("helper")],
          conditions: [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }],
        },
        70,
      ),
      true,
      71,
      { kind: "vanished", cause: "evicted", reason: "EvictionByEvictionAPI", endedAt: T0 + 70_000 },
    ],
    [
      "build OOM-killed, then the runner deletes the pod",
      jobPod({ phase: "Failed", containers: [killed("build", 50, 137, "OOMKilled"), killed("helper", 90)] }, 90),
      false,
      91,
      { kind: "vanished", cause: "oomKilled", reason: "OOMKilled", endedAt: T0 + 90_000 },
    ],
  ])("%s", (_name, pod, gone, seenAt, expected) => {
    const end = observe(pod, gone, seenAt);
    const { endedAt, ...rest } = expected as { endedAt?: number };
    expect(end).toMatchObject(rest);
    if (endedAt !== undefined) expect(end?.endedAt.getTime()).toBe(endedAt);
  });

  it("keeps an OOM-killed build billed until the runner's deletion ends it", () => {
    const pod = jobPod({ phase: "Running", containers: [killed("build", 50, 137, "OOMKilled"), running("helper")] });
    expect(observe(pod, false, 55)).toBeNull();
  });

  it("takes a spot notice as the cause of a pod that ended undeleted, not of one the runner deleted", () => {
    const undeleted = jobPod({ phase: "Failed", containers: [killed("build", 300), killed("helper", 300)] });
    expect(observe(undeleted, false, 301, { spotNotice: true })).toMatchObject({
      kind: "vanished",
      cause: "spotReclaimed",
    });
    const deleted = jobPod({ phase: "Running", containers: [running("build"), running("helper")] }, 130);
    expect(observe(deleted, true, 131, { spotNotice: true })).toMatchObject({ kind: "finished" });
  });

  it("bills a pod deleted while Running to the deletion deadline, even when one container had already stopped", () => {
    const pod = jobPod({ phase: "Running", containers: [killed("build", 50, 0, "Completed"), running("helper")] }, 90);
    expect(observe(pod, true, 95)?.endedAt.getTime()).toBe(T0 + 90_000);
  });

  it("ends a pod that went without a deletion deadline (force-deleted) when it was seen gone", () => {
    const pod = jobPod({ phase: "Running", containers: [running("build"), running("helper")] });
    expect(observe(pod, true, 200)).toMatchObject({ kind: "finished", ran: true });
    expect(observe(pod, true, 200)?.endedAt.getTime()).toBe(T0 + 200_000);
  });

  it("takes only a true DisruptionTarget for an eviction, and names it when the condition has no reason", () => {
    const running2 = [running("build"), running("helper")];
    const notDisrupted = jobPod(
      { phase: "Running", containers: running2, conditions: [{ type: "DisruptionTarget", status: "False" }] },
      70,
    );
    expect(observe(notDisrupted, true, 71)).toMatchObject({ kind: "finished" });
    const otherCondition = jobPod(
      { phase: "Running", containers: running2, conditions: [{ type: "Ready", status: "True", reason: "x" }] },
      70,
    );
    expect(observe(otherCondition, true, 71)).toMatchObject({ kind: "finished" });
    const unnamed = jobPod(
      { phase: "Running", containers: running2, conditions: [{ type: "DisruptionTarget", status: "True" }] },
      70,
    );
    expect(observe(unnamed, true, 71)).toMatchObject({
      kind: "vanished",
      cause: "evicted",
      reason: "DisruptionTarget",
    });
  });

  it("finds an OOM kill in a container's last state (it restarted) and in an init container", () => {
    const restarted = jobPod(
      {
        phase: "Running",
        containers: [
          { ...running("build", 60), lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } } },
          running("helper"),
        ],
      },
      90,
    );
    expect(observe(restarted, true, 91)).toMatchObject({ kind: "vanished", cause: "oomKilled", reason: "OOMKilled" });
    const init = jobPod({
      phase: "Failed",
      containers: [waiting("build", "PodInitializing")],
      initContainers: [killed("init-permissions", 20, 137, "OOMKilled")],
    });
    expect(observe(init, false, 21)).toMatchObject({ kind: "vanished", cause: "oomKilled" });
  });

  it("takes a spot notice as the cause of a pod that succeeded undeleted too", () => {
    const succeeded = jobPod({
      phase: "Succeeded",
      containers: [killed("build", 300, 0, "Completed"), killed("helper", 300, 0, "Completed")],
    });
    expect(observe(succeeded, false, 301, { spotNotice: true })).toMatchObject({
      kind: "vanished",
      cause: "spotReclaimed",
      reason: "SpotToBeReleased",
    });
    expect(observe(succeeded, false, 301)).toMatchObject({ kind: "finished", ran: true });
  });

  it("says the build never ran while only the helper or an init container did, and what held the build", () => {
    const helperOnly = jobPod(
      { phase: "Pending", containers: [waiting("build", "ErrImagePull"), running("helper")] },
      200,
    );
    expect(observe(helperOnly, true, 201)).toMatchObject({ kind: "finished", ran: false, reason: "ErrImagePull" });
    // The init container's problem comes first; the build's "PodInitializing" is no reason.
    const initStuck = jobPod(
      {
        phase: "Pending",
        containers: [waiting("build", "PodInitializing")],
        initContainers: [waiting("init-permissions", "ImagePullBackOff")],
      },
      200,
    );
    expect(observe(initStuck, true, 201)).toMatchObject({ ran: false, reason: "ImagePullBackOff" });
    const creating = jobPod({ phase: "Pending", containers: [waiting("build", "ContainerCreating")] }, 200);
    expect(observe(creating, true, 201)).toMatchObject({ ran: false, reason: null });
  });

  it("without a build container status, takes a Running pod as having run and a Pending one as not", () => {
    expect(observe(jobPod({ phase: "Running", containers: [] }, 100), true, 101)).toMatchObject({ ran: true });
    expect(observe(jobPod({ phase: "Pending", containers: [] }, 100), true, 101)).toMatchObject({
      ran: false,
      reason: null,
    });
  });

  it("a spot notice on a pod that still runs ends nothing: the job is not over (the live row warns, lib/monitor/pod-notices.ts)", () => {
    const warned = jobPod({ phase: "Running", containers: [running("build"), running("helper")] });
    expect(observe(warned, false, 120, { spotNotice: true })).toBeNull();
  });

  it("ignores pods that are not CI job pods", () => {
    const pod = jobPod({ phase: "Failed", reason: "Evicted", containers: [] });
    delete pod.metadata!.labels!["job.runner.gitlab.com/pod"];
    expect(observe(pod, true, 10)).toBeNull();
  });
});
