import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import type { Pod } from "@/lib/kube/pod";
import { isActivePhase, summaryCostAt, summaryCostNumberAt, toPodSummary, type PodSummary } from "./pod-summary";
import { jobPod } from "./testing/pods";

// One table row per pod. Prices: CN's economy ECI rate for 2 vCPU / 4 GiB, read from the book.
const book = DEFAULT_PRICE_BOOKS.cn;
const at = (iso: string) => Date.parse(iso);

/** A pod that is no CI job's (no runner labels or annotations), 2 vCPU / 4 GiB by its spec annotation. */
function plainPod(phase: "Pending" | "Running" | "Succeeded" | "Failed", extra: Parameters<typeof jobPod>[3] = {}) {
  const pod = jobPod("p", "7", phase, extra);
  pod.metadata!.labels = {};
  pod.metadata!.annotations = { "k8s.aliyun.com/eci-instance-spec": "2.0-4.0Gi" };
  return pod;
}

describe("toPodSummary", () => {
  it("describes a running job pod field by field", () => {
    const pod = jobPod("a", "5", "Running", { started: "2026-01-01T00:00:05Z" });
    pod.metadata!.annotations!["job.runner.gitlab.com/timeout"] = "1h0m0s";
    pod.status!.containerStatuses = [
      { name: "build", image: "alpine", imageID: "", ready: true, restartCount: 2, state: { running: {} } },
    ];
    const summary = toPodSummary(pod, book);
    expect(summary).toMatchObject({
      uid: "a",
      name: "runner-abc-project-7-concurrent-0-a",
      namespace: "gitlab-runner",
      resourceVersion: "5",
      phase: "Running",
      reason: null,
      restarts: 2,
      createdAt: at("2026-01-01T00:00:00Z"),
      startedAt: at("2026-01-01T00:00:05Z"),
      finishedAt: null,
      deletingAt: null,
      goneAt: null,
      isJobPod: true,
      jobTimeoutSeconds: 3600,
      runner: "ask-runner",
      jobId: "42",
      projectPath: "group/app",
      placement: { backend: "eci" },
      spec: { vcpu: 2, memoryGiB: 4 },
      specSource: "eci-instance-spec",
      cost: { currency: book.currency, final: null, billingEnd: null },
    });
    expect(summary.cost.billingStart).not.toBeNull();
    expect(Number(summary.cost.perSecond)).toBeGreaterThan(0);
  });

  it("keys a pod without a uid by namespace/name, and gives missing names as empty", () => {
    const pod = plainPod("Running");
    delete pod.metadata!.uid;
    expect(toPodSummary(pod, book)).toMatchObject({ uid: "gitlab-runner/runner-abc-project-7-concurrent-0-p" });
    const bare = { metadata: {}, spec: { containers: [] } } as unknown as Pod;
    expect(toPodSummary(bare, book)).toMatchObject({
      name: "",
      namespace: "",
      resourceVersion: "",
      phase: "Unknown",
      isJobPod: false,
      jobTimeoutSeconds: null,
      runner: null,
    });
  });

  it("gives a pod that is no job's its phase, its waiting reason and when it is being deleted", () => {
    const pod = plainPod("Pending");
    pod.metadata!.deletionTimestamp = "2026-01-01T00:03:00Z";
    pod.status!.containerStatuses = [
      {
        name: "build",
        image: "alpine",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ImagePullBackOff" } },
      },
    ];
    expect(toPodSummary(pod, book)).toMatchObject({
      phase: "Pending",
      reason: "ImagePullBackOff",
      isJobPod: false,
      jobTimeoutSeconds: null,
      deletingAt: at("2026-01-01T00:03:00Z"),
    });
  });

  it("bills a finished pod that is no job's to its containers' end, with its final fee", () => {
    const pod = plainPod("Succeeded", { started: "2026-01-01T00:00:05Z", finished: "2026-01-01T00:10:05Z" });
    const summary = toPodSummary(pod, book);
    expect(summary.phase).toBe("Succeeded");
    expect(summary.finishedAt).toBe(at("2026-01-01T00:10:05Z"));
    expect(summary.cost.billingEnd).toBe(at("2026-01-01T00:10:05Z"));
    expect(summary.cost.final).not.toBeNull();
    expect(summaryCostAt(summary, at("2027-01-01T00:00:00Z")).toString()).toBe(summary.cost.final);
  });

  it("bills a running pod that is no job's, seen gone, to when it was seen gone", () => {
    const goneAt = at("2026-01-01T00:20:00Z");
    const summary = toPodSummary(plainPod("Running", { started: "2026-01-01T00:00:05Z" }), book, { goneAt });
    expect(summary).toMatchObject({ phase: "Running", goneAt });
    expect(summary.cost.billingEnd).toBe(goneAt);
    expect(summary.cost.final).not.toBeNull();
  });

  it("has no billing end for a pod seen gone before it started", () => {
    const goneAt = at("2026-01-01T00:20:00Z");
    const pod = plainPod("Pending");
    delete pod.metadata!.creationTimestamp;
    const summary = toPodSummary(pod, book, { goneAt });
    expect(summary.cost.billingStart).toBeNull();
    expect(summary.cost.billingEnd).toBeNull();
  });

  it("marks an evicted job pod Vanished, names the cause, and bills it to when it was seen gone", () => {
    const goneAt = at("2026-01-01T00:20:00Z");
    const pod = jobPod("a", "5", "Running", { started: "2026-01-01T00:00:05Z" });
    pod.status!.conditions = [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }];
    const summary = toPodSummary(pod, book, { goneAt });
    expect(summary).toMatchObject({ phase: "Vanished", reason: "Evicted", goneAt });
    expect(summary.cost.billingEnd).toBe(goneAt);
    expect(summary.cost.final).not.toBeNull();
  });

  it("marks a job pod the runner ended Finished, with its reason and final fee", () => {
    const pod = jobPod("a", "5", "Failed", { started: "2026-01-01T00:00:05Z", finished: "2026-01-01T00:05:05Z" });
    const summary = toPodSummary(pod, book, { goneAt: at("2026-01-01T00:06:00Z") });
    expect(summary.phase).toBe("Finished");
    expect(summary.reason).toBeNull();
    expect(summary.cost.billingEnd).toBe(at("2026-01-01T00:05:05Z"));
    expect(summary.cost.final).not.toBeNull();
  });

  it("gives a job pod deleted before its build ran the reason it never ran", () => {
    const pod = jobPod("a", "5", "Pending");
    pod.status!.containerStatuses = [
      {
        name: "build",
        image: "x",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ErrImagePull" } },
      },
    ];
    expect(toPodSummary(pod, book, { goneAt: at("2026-01-01T00:06:00Z") })).toMatchObject({
      phase: "Finished",
      reason: "ErrImagePull",
    });
  });
});

describe("isActivePhase", () => {
  it("is true for Pending, Running and Unknown only", () => {
    const phases = ["Pending", "Running", "Unknown", "Succeeded", "Failed", "Finished", "Vanished"] as const;
    expect(phases.filter(isActivePhase)).toEqual(["Pending", "Running", "Unknown"]);
  });
});

describe("summary cost at a time", () => {
  const running = (perSecond: string, billingStart: number | null, billingEnd: number | null = null) =>
    ({ phase: "Running", cost: { currency: "CNY", perSecond, billingStart, billingEnd, final: null } }) as PodSummary;

  it("bills whole seconds from the start, rounded up, to now or the billing end", () => {
    expect(summaryCostAt(running("0.5", 1000), 3500).toString()).toBe("1.5");
    expect(summaryCostNumberAt(running("0.5", 1000), 3500)).toBe(1.5);
    expect(summaryCostAt(running("0.5", 1000, 2000), 9000).toString()).toBe("0.5");
    expect(summaryCostNumberAt(running("0.5", 1000, 2000), 9000)).toBe(0.5);
  });

  it("is zero before the start, without one, and at it", () => {
    expect(summaryCostNumberAt(running("0.5", 5000), 1000)).toBe(0);
    expect(summaryCostNumberAt(running("0.5", 5000), 5000)).toBe(0);
    expect(summaryCostNumberAt(running("0.5", null), 5000)).toBe(0);
    expect(summaryCostAt(running("0.5", null), 5000).toString()).toBe("0");
  });
});
