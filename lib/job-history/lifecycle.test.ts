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
  status: { phase: string; reason?: string; containers: Container[]; conditions?: unknown[] },
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
      ...(status.conditions ? { conditions: status.conditions } : {}),
    } as unknown as Pod["status"],
  } as Pod;
}

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

  it("ignores pods that are not CI job pods", () => {
    const pod = jobPod({ phase: "Failed", reason: "Evicted", containers: [] });
    delete pod.metadata!.labels!["job.runner.gitlab.com/pod"];
    expect(observe(pod, true, 10)).toBeNull();
  });
});
