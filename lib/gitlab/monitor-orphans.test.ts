import { describe, expect, it } from "vitest";
import {
  gitlabFactsTrailPods,
  gitlabJobsByPod,
  monitorOrphans,
  podJobIds,
  type MonitorGitlabFacts,
  type MonitorGitlabJob,
  type MonitorPod,
} from "./monitor-orphans";

const now = new Date("2026-12-06T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const A = { id: "gl-a", url: "https://gitlab.example.com" };
const B = { id: "gl-b", url: "https://git.corp.example/gitlab" };

const job = (jobId: number, status: string, extra: Partial<MonitorGitlabJob> = {}): MonitorGitlabJob => ({
  gitlabConnectionId: A.id,
  jobId,
  status,
  runnerId: 7,
  name: "build",
  projectPath: "group/app",
  pipelineId: 50,
  webUrl: `${A.url}/group/app/-/jobs/${jobId}`,
  startedAt: ago(600),
  finishedAt: null,
  ...extra,
});

const pod = (jobId: number, phase = "Running", base = A.url, extra: Partial<MonitorPod> = {}): MonitorPod => ({
  uid: `uid-${base}-${jobId}`,
  name: `runner-x-project-1-concurrent-0-${jobId}`,
  namespace: "gitlab-runner",
  phase,
  deletingAt: null,
  createdAt: now.getTime() - 900_000,
  jobId: String(jobId),
  projectId: "1",
  jobUrl: `${base}/group/app/-/jobs/${jobId}`,
  ...extra,
});

const runner = (gitlabConnectionId: string, runnerId: number) => ({
  profileId: `p-${runnerId}`,
  profileName: "r",
  instanceName: "ask-ci",
  namespace: "gitlab-runner",
  gitlabConnectionId,
  runnerId,
  status: null,
  problem: null,
});

const facts = (jobs: MonitorGitlabJob[]): MonitorGitlabFacts => ({
  runners: [runner(A.id, 7), runner(B.id, 9)],
  instances: [A, B],
  jobs,
});

const kinds = (result: ReturnType<typeof monitorOrphans>) => ({
  jobsWithoutPods: result.jobsWithoutPods.map((o) => `${o.job.gitlabConnectionId}:${o.job.jobId}`),
  podsWithoutJobs: result.podsWithoutJobs.map((o) => o.pod.uid),
});

describe("the monitor's orphans", () => {
  it("flags a job running on our runner with no pod, and a live pod whose job ended", () => {
    const result = monitorOrphans(
      [pod(2, "Running")],
      facts([job(1, "running"), job(2, "canceled", { finishedAt: ago(300) })]),
      now,
    );
    expect(kinds(result)).toEqual({ jobsWithoutPods: ["gl-a:1"], podsWithoutJobs: [`uid-${A.url}-2`] });
    expect(result.jobsWithoutPods[0].runningForMs).toBe(600_000);
    expect(result.podsWithoutJobs[0]).toMatchObject({ finishedForMs: 300_000, job: { status: "canceled" } });
  });

  it("does not flag a job whose pod is there, nor a pod whose job is still running", () => {
    expect(kinds(monitorOrphans([pod(1)], facts([job(1, "running")]), now))).toEqual({
      jobsWithoutPods: [],
      podsWithoutJobs: [],
    });
  });

  it("counts a pod seen gone (Vanished) as no pod, and a pod being deleted as not billing any more", () => {
    const result = monitorOrphans(
      [pod(1, "Vanished"), pod(2, "Running", A.url, { deletingAt: now.getTime() - 1000 })],
      facts([job(1, "running"), job(2, "success", { finishedAt: ago(600) })]),
      now,
    );
    expect(kinds(result)).toEqual({ jobsWithoutPods: ["gl-a:1"], podsWithoutJobs: [] });
  });

  it("keeps job ids of two GitLab instances apart by the pod's job URL", () => {
    // Job 5 runs on GitLab A with its pod; job 5 on GitLab B has ended, and no pod of B's job 5 is alive.
    const result = monitorOrphans(
      [pod(5, "Running", A.url)],
      facts([job(5, "running"), job(5, "success", { gitlabConnectionId: B.id, runnerId: 9, finishedAt: ago(900) })]),
      now,
    );
    expect(kinds(result)).toEqual({ jobsWithoutPods: [], podsWithoutJobs: [] });
    // B's pod, alive, is the orphan; A's running job without its pod is one too.
    const crossed = monitorOrphans(
      [pod(5, "Running", `${B.url}`)],
      facts([job(5, "running"), job(5, "success", { gitlabConnectionId: B.id, runnerId: 9, finishedAt: ago(900) })]),
      now,
    );
    expect(kinds(crossed)).toEqual({ jobsWithoutPods: ["gl-a:5"], podsWithoutJobs: [`uid-${B.url}-5`] });
  });

  it("ignores jobs of runners that are not ours here, and pods of a GitLab we are not connected to", () => {
    const result = monitorOrphans(
      [pod(3, "Running", "https://elsewhere.example")],
      facts([job(1, "running", { runnerId: 99 }), job(3, "success", { finishedAt: ago(900) })]),
      now,
    );
    expect(kinds(result)).toEqual({ jobsWithoutPods: [], podsWithoutJobs: [] });
  });

  it("asks about each live pod's job once", () => {
    expect(podJobIds([pod(3), pod(1), pod(3, "Running", B.url), pod(0, "Running", A.url, { jobId: null })])).toEqual([
      1, 3,
    ]);
  });
});

describe("each live row's GitLab job (gitlabJobsByPod)", () => {
  it("joins a pod to its job in the GitLab its job URL belongs to, never to the same id of another GitLab", () => {
    const ofA = pod(5);
    const ofB = pod(5, "Running", B.url);
    const unknown = pod(6);
    const withoutUrl = pod(7, "Running", A.url, { jobUrl: null });
    const joined = gitlabJobsByPod(
      [ofA, ofB, unknown, withoutUrl],
      facts([job(5, "running"), job(5, "success", { gitlabConnectionId: B.id, pipelineId: 90 }), job(7, "running")]),
    );
    expect(joined.get(ofA.uid)).toMatchObject({ gitlabConnectionId: A.id, status: "running", pipelineId: 50 });
    expect(joined.get(ofB.uid)).toMatchObject({ gitlabConnectionId: B.id, status: "success", pipelineId: 90 });
    expect(joined.has(unknown.uid)).toBe(false);
    // Without a job URL a pod is joined only when a single GitLab is connected (join.ts); here are two.
    expect(joined.has(withoutUrl.uid)).toBe(false);
    expect(joined.size).toBe(2);
  });

  it("is empty before the facts arrive", () => {
    expect(gitlabJobsByPod([pod(5)], undefined).size).toBe(0);
  });

  it("finds a job URL's GitLab anew when the facts' connections change (the lookup is kept per facts)", () => {
    const ofA = pod(5);
    const jobs = [job(5, "running")];
    expect(gitlabJobsByPod([ofA], facts(jobs)).get(ofA.uid)).toMatchObject({ gitlabConnectionId: A.id });
    // The same URL, now under a connection with another id (A removed and added again).
    const again = { id: "gl-a2", url: A.url };
    const moved = { ...facts([job(5, "running", { gitlabConnectionId: again.id })]), instances: [again, B] };
    expect(gitlabJobsByPod([ofA], moved).get(ofA.uid)).toMatchObject({ gitlabConnectionId: again.id });
  });
});

describe("whether the monitor's GitLab facts trail the live rows (gitlabFactsTrailPods)", () => {
  it("says so for a live job pod whose job the facts do not know yet", () => {
    expect(gitlabFactsTrailPods([pod(5)], facts([]))).toBe(true);
    expect(gitlabFactsTrailPods([pod(5, "Pending")], facts([]))).toBe(true);
  });

  it("says so for a Running pod whose job the facts still call pending (read before the runner took it)", () => {
    expect(gitlabFactsTrailPods([pod(5)], facts([job(5, "pending")]))).toBe(true);
    expect(gitlabFactsTrailPods([pod(5)], facts([job(5, "created")]))).toBe(true);
  });

  it("does not for pods whose jobs are known and started, or pods that are not live", () => {
    expect(gitlabFactsTrailPods([pod(5)], facts([job(5, "running")]))).toBe(false);
    // A pod still Pending may well have a pending job: nothing trails.
    expect(gitlabFactsTrailPods([pod(5, "Pending")], facts([job(5, "pending")]))).toBe(false);
    // A live pod of a finished job is an orphan candidate, not a lag.
    expect(gitlabFactsTrailPods([pod(5)], facts([job(5, "success")]))).toBe(false);
    expect(gitlabFactsTrailPods([pod(5, "Running", A.url, { deletingAt: now.getTime() })], facts([]))).toBe(false);
    expect(gitlabFactsTrailPods([pod(5, "Succeeded")], facts([]))).toBe(false);
    expect(gitlabFactsTrailPods([pod(5, "Running", A.url, { jobId: null })], facts([]))).toBe(false);
  });

  it("does not before the facts arrive or when no runner of this namespace is linked to GitLab", () => {
    expect(gitlabFactsTrailPods([pod(5)], undefined)).toBe(false);
    expect(gitlabFactsTrailPods([pod(5)], { runners: [], instances: [A], jobs: [] })).toBe(false);
  });
});
