import { describe, expect, it } from "vitest";
import { jobsWithoutPods, podsWithoutJobs, type LivePod, type OrphanJobInput } from "./orphans";

const now = new Date("2026-12-06T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const job = (jobId: number, status: string, extra: Partial<OrphanJobInput> = {}): OrphanJobInput => ({
  jobId,
  status,
  runnerId: 1,
  startedAt: ago(600),
  finishedAt: null,
  ...extra,
});
const pod = (jobId: number, alive = true): LivePod => ({
  uid: `uid-${jobId}`,
  namespace: "gitlab-runner",
  name: `runner-abc-project-1-concurrent-0-${jobId}`,
  connectionId: "c",
  jobId,
  alive,
  createdAt: ago(500),
});

describe("jobsWithoutPods", () => {
  const ours = new Set([1]);
  it.each([
    ["running on our runner for 10 minutes, no pod", job(1, "running"), [], [1]],
    ["running, its pod exists", job(1, "running"), [pod(1)], []],
    ["running for 30 s: the runner may still be creating the pod", job(1, "running", { startedAt: ago(30) }), [], []],
    ["canceling, no pod", job(1, "canceling"), [], [1]],
    ["pending (no runner yet)", job(1, "pending"), [], []],
    ["finished", job(1, "success", { finishedAt: ago(60) }), [], []],
    ["another runner's job", job(1, "running", { runnerId: 2 }), [], []],
    ["no runner recorded", job(1, "running", { runnerId: null }), [], []],
  ])("%s", (_name, input, pods, expected) => {
    expect(jobsWithoutPods([input], pods, ours, now).map((o) => o.jobId)).toEqual(expected);
  });

  it("says how long the job has been running", () => {
    expect(jobsWithoutPods([job(1, "running")], [], ours, now)[0].runningForMs).toBe(600_000);
  });
});

describe("podsWithoutJobs", () => {
  it.each([
    ["alive, job finished 5 minutes ago", pod(1), job(1, "success", { finishedAt: ago(300) }), true],
    ["alive, job failed 5 minutes ago", pod(1), job(1, "failed", { finishedAt: ago(300) }), true],
    ["alive, job canceled 5 minutes ago", pod(1), job(1, "canceled", { finishedAt: ago(300) }), true],
    ["alive, job canceled before it started (no times)", pod(1), job(1, "canceled", { startedAt: null }), true],
    ["alive, job finished 20 s ago: cleanup still due", pod(1), job(1, "success", { finishedAt: ago(20) }), false],
    ["alive, job running", pod(1), job(1, "running"), false],
    ["already deleting / terminated", pod(1, false), job(1, "success", { finishedAt: ago(300) }), false],
    ["job unknown to us", pod(1), undefined, false],
  ])("%s → flagged: %s", (_name, livePod, input, flagged) => {
    const jobs = new Map(input ? [[input.jobId, input]] : []);
    const orphans = podsWithoutJobs([livePod], jobs, now);
    expect(orphans.length > 0).toBe(flagged);
    if (flagged) expect(orphans[0]).toMatchObject({ kind: "podWithoutJob", jobId: 1, pod: { uid: "uid-1" } });
  });
});
