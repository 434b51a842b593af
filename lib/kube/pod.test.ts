import { describe, expect, it } from "vitest";
import {
  isJobPod,
  podAgeMs,
  podFinishedAt,
  podJobInfo,
  podJobTimeoutSeconds,
  podPhase,
  podRestarts,
  podRunnerName,
  podWaitingReason,
  type Pod,
} from "./pod";

function pod(partial: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: Pod["status"];
  created?: string;
}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "p",
      namespace: "ns",
      labels: partial.labels,
      annotations: partial.annotations,
      creationTimestamp: partial.created,
    },
    spec: { containers: [{ name: "build" }, { name: "helper" }] },
    status: partial.status,
  };
}

const waiting = (reason: string) => ({
  name: "build",
  image: "x",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
});
const terminated = (reason: string, finishedAt = "2026-01-01T00:01:00Z", restartCount = 0) => ({
  name: "build",
  image: "x",
  imageID: "",
  ready: false,
  restartCount,
  state: { terminated: { reason, exitCode: reason === "Completed" ? 0 : 1, finishedAt } },
});

describe("podPhase", () => {
  it.each([
    [{ phase: "Running" }, "Running"],
    [{ phase: "Succeeded" }, "Succeeded"],
    [{ phase: "Weird" }, "Unknown"],
    [undefined, "Unknown"],
  ] as const)("%o -> %s", (status, expected) => {
    expect(podPhase(pod({ status: status as Pod["status"] }))).toBe(expected);
  });
});

describe("podWaitingReason", () => {
  it.each([
    ["no status", undefined, null],
    [
      "image pull back-off",
      { phase: "Pending", containerStatuses: [waiting("ContainerCreating"), waiting("ImagePullBackOff")] },
      "ImagePullBackOff",
    ],
    ["creating only", { phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }, "ContainerCreating"],
    [
      "OOM killed",
      { phase: "Failed", containerStatuses: [terminated("Completed"), terminated("OOMKilled")] },
      "OOMKilled",
    ],
    ["completed", { phase: "Succeeded", containerStatuses: [terminated("Completed")] }, null],
    ["evicted", { phase: "Failed", reason: "Evicted" }, "Evicted"],
    [
      "unschedulable",
      { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] },
      "Unschedulable",
    ],
  ] as const)("%s", (_name, status, expected) => {
    expect(podWaitingReason(pod({ status: status as Pod["status"] }))).toBe(expected);
  });
});

describe("restarts, age, finish", () => {
  it("sums restarts over init and app containers", () => {
    const p = pod({
      status: {
        initContainerStatuses: [terminated("Completed", undefined, 2)],
        containerStatuses: [terminated("Error", undefined, 3)],
      },
    });
    expect(podRestarts(p)).toBe(5);
  });
  it("age is -1 without a creation time and never negative", () => {
    expect(podAgeMs(pod({}), 1000)).toBe(-1);
    expect(podAgeMs(pod({ created: "2026-01-01T00:00:10Z" }), Date.parse("2026-01-01T00:00:00Z"))).toBe(0);
    expect(podAgeMs(pod({ created: "2026-01-01T00:00:00Z" }), Date.parse("2026-01-01T00:00:05Z"))).toBe(5000);
  });
  it("finish time is the last container termination, only once finished", () => {
    const status = {
      phase: "Succeeded",
      containerStatuses: [
        terminated("Completed", "2026-01-01T00:01:00Z"),
        terminated("Completed", "2026-01-01T00:02:00Z"),
      ],
    };
    expect(podFinishedAt(pod({ status: status as Pod["status"] }))).toBe(Date.parse("2026-01-01T00:02:00Z"));
    expect(podFinishedAt(pod({ status: { ...status, phase: "Running" } as Pod["status"] }))).toBeNull();
  });
});

describe("job pods", () => {
  const labels = {
    "job.runner.gitlab.com/pod": "runner-abc-project-7-concurrent-0",
    "manager.runner.gitlab.com/name": "ask-runner",
    "project.runner.gitlab.com/id": "7",
    "project.runner.gitlab.com/name": "app",
    "project.runner.gitlab.com/namespace": "group_sub",
  };
  it("recognises job pods and their runner", () => {
    expect(isJobPod(pod({ labels }))).toBe(true);
    expect(podRunnerName(pod({ labels }))).toBe("ask-runner");
    expect(isJobPod(pod({ labels: { app: "x" } }))).toBe(false);
    expect(podRunnerName(pod({}))).toBeNull();
  });
  it("takes the project path from the job URL, else from labels", () => {
    const annotations = {
      "job.runner.gitlab.com/url": "https://gitlab.example.com/group/sub/app/-/jobs/42",
      "job.runner.gitlab.com/id": "42",
      "job.runner.gitlab.com/ref": "main",
      "job.runner.gitlab.com/name": "test",
    };
    expect(podJobInfo(pod({ labels, annotations }))).toEqual({
      projectId: "7",
      projectPath: "group/sub/app",
      jobId: "42",
      jobName: "test",
      jobUrl: "https://gitlab.example.com/group/sub/app/-/jobs/42",
      ref: "main",
    });
    expect(podJobInfo(pod({ labels })).projectPath).toBe("group_sub/app");
  });
  it("drops job URLs that are not http(s)", () => {
    expect(podJobInfo(pod({ annotations: { "job.runner.gitlab.com/url": "javascript:alert(1)" } })).jobUrl).toBeNull();
    expect(podJobInfo(pod({ annotations: { "job.runner.gitlab.com/url": "not a url" } })).jobUrl).toBeNull();
  });
});

describe("podJobTimeoutSeconds", () => {
  const withDeadline = (annotations: Record<string, string>, activeDeadlineSeconds?: number): Pod => ({
    ...pod({ annotations }),
    spec: { containers: [{ name: "build" }], activeDeadlineSeconds },
  });

  it.each<[string, Record<string, string>, number | undefined, number | null]>([
    ["the runner's annotation", { "job.runner.gitlab.com/timeout": "1h0m0s" }, 3601, 3600],
    [
      "the annotation without a deadline (FF_USE_POD_ACTIVE_DEADLINE_SECONDS off)",
      { "job.runner.gitlab.com/timeout": "10m0s" },
      undefined,
      600,
    ],
    ["the deadline when the annotation is missing", {}, 121, 120],
    ["the deadline when the annotation is garbage", { "job.runner.gitlab.com/timeout": "soon" }, 121, 120],
    ["neither", {}, undefined, null],
    ["a deadline too small to be timeout + 1", {}, 1, null],
  ])("%s", (_name, annotations, deadline, expected) => {
    expect(podJobTimeoutSeconds(withDeadline(annotations, deadline))).toBe(expected);
  });
});
