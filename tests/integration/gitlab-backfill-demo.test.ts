import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { addDemoGitlabConnection, startQuietDemoGitlab } from "@/tests/demo-gitlab";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * A dashboard that was down sees the jobs it missed: against the demo GitLab, a runner created the
 * wizard's way takes a pipeline's jobs through the runner protocol and finishes them while no sync
 * runs; one pod was recorded before the outage. When the dashboard comes back, one sync pass joins
 * the observed pod to its job and backfills the others with GitLab's results — every job that ran
 * recorded exactly once, none that never started, however often the pass runs.
 */

let gitlab: DemoGitlab;
let db: typeof import("@/lib/db.server").db;
let sync: typeof import("@/lib/gitlab/sync.server");
let history: typeof import("@/lib/job-history/list.server");
let gitlabConnectionId: string;
let clusterId: string;
let runnerToken: string;
const finished: Array<{ id: number; state: string }> = [];

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startQuietDemoGitlab();
  db = (await import("@/lib/db.server")).db;
  sync = await import("@/lib/gitlab/sync.server");
  history = await import("@/lib/job-history/list.server");
  gitlabConnectionId = await addDemoGitlabConnection(gitlab);
  const { encryptJson, decryptJson } = await import("@/lib/crypto/encryption.server");
  clusterId = (
    await db.connection.create({
      data: {
        name: "demo",
        server: "https://127.0.0.1:6443",
        authType: "token",
        credentials: encryptJson({ token: "k" }),
      },
    })
  ).id;
  const profile = await db.runnerProfile.create({
    data: {
      name: "java",
      connectionId: clusterId,
      settings: JSON.stringify({
        cluster: { namespace: "gitlab-runner" },
        gitlab: { runnerName: "ask-ci-java" },
        jobPods: { build: { cpuLimit: "1", memoryLimit: "2Gi" } },
      }),
    },
  });
  const runners = await import("@/lib/gitlab/runners.server");
  const created = await runners.createRunnerForProfile(profile.id, gitlabConnectionId, {
    runnerType: "instance_type",
    description: "ask-ci java",
    tagList: [],
    runUntagged: true,
    locked: false,
    paused: false,
  });
  if (!created.ok) throw new Error(created.problem.code);
  const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: profile.id } });
  runnerToken = decryptJson<{ runnerToken: string }>(row.secrets!).runnerToken;
});

afterAll(async () => {
  await gitlab?.stop();
});

async function runnerCall(path: string, method: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gitlab.url}/api/v4${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json().catch(() => null) };
}

/** What gitlab-runner does with one job: take it, and report how it ended. */
async function runOneJob(state: "success" | "failed"): Promise<{ id: number; projectId: number }> {
  const taken = await runnerCall("/jobs/request", "POST", { token: runnerToken, info: { name: "gitlab-runner" } });
  expect(taken.status).toBe(201);
  const job = taken.body as { id: number; token: string; job_info: { project_id: number } };
  const put = await runnerCall(
    `/jobs/${job.id}`,
    "PUT",
    {
      token: job.token,
      state,
      ...(state === "failed" ? { failure_reason: "script_failure", exit_code: 1 } : { exit_code: 0 }),
    },
    { "JOB-TOKEN": job.token },
  );
  expect(put.status).toBe(200);
  finished.push({ id: job.id, state });
  return { id: job.id, projectId: job.job_info.project_id };
}

const recordsOf = (jobId: number) => db.jobRecord.findMany({ where: { gitlabConnectionId, gitlabJobId: jobId } });

describe("a dashboard that was down", { shuffle: false }, () => {
  it("backfills the jobs it missed with GitLab's results, each once, and joins the pod it did see", async () => {
    const pipelines = await import("@/lib/gitlab/pipelines.server");
    const run = await pipelines.runPipeline(gitlabConnectionId, 1, "main");
    if (!run.ok) throw new Error(run.problem.code);

    // Before the outage: the package job ran and its pod was recorded by the monitor.
    const first = await runOneJob("success");
    await db.jobRecord.create({
      data: {
        podUid: "pod-seen",
        connectionId: clusterId,
        namespace: "gitlab-runner",
        podName: "runner-abc-project-1-concurrent-0-seen",
        projectId: String(first.projectId),
        jobId: String(first.id),
        jobUrl: `${gitlab.url}/eci/java-demo/-/jobs/${first.id}`,
        phase: "Finished",
        createdAt: new Date(Date.now() - 60_000),
        finishedAt: new Date(),
        day: new Date().toISOString().slice(0, 10),
        billedSeconds: 60,
        vcpuMilli: 1000,
        memoryMiB: 2048,
        currency: "CNY",
        costMicros: 3660,
      },
    });
    // During the outage (no sync, no recorder): the build job fails; deploy is then skipped, never started.
    const second = await runOneJob("failed");

    // Back up, ten minutes later: one pass.
    const later = new Date(Date.now() + 10 * 60_000);
    const report = await sync.syncGitlabConnection(gitlabConnectionId, later);
    expect(report.problem).toBeNull();
    expect(report.linked).toBe(1);
    expect(report.backfilled).toBe(1);

    expect(await recordsOf(first.id)).toEqual([
      expect.objectContaining({ podUid: "pod-seen", source: "pod", gitlabStatus: "success" }),
    ]);
    expect(await recordsOf(second.id)).toEqual([
      expect.objectContaining({ source: "gitlab", gitlabStatus: "failed", runnerName: "ask-ci-java" }),
    ]);
    const pipeline = await pipelines.pipelineDetail(gitlabConnectionId, run.value.pipelineId);
    const deploy = pipeline!.jobs.find((j) => j.stage === "deploy")!;
    expect(deploy.status).toBe("skipped");
    expect(await recordsOf(deploy.jobId)).toEqual([]);

    // History shows GitLab's word for both, the missed one marked as estimated.
    const page = await history.queryJobHistory(clusterId, { page: 1, pageSize: 50 });
    expect(page.rows.map((r) => [r.gitlabJobId, r.result, r.source, r.pipelineId])).toEqual(
      expect.arrayContaining([
        [first.id, "success", "pod", run.value.pipelineId],
        [second.id, "failed", "gitlab", run.value.pipelineId],
      ]),
    );
    expect(page.total).toBe(2);
  });

  it("records nothing twice when the pass runs again, or twice at once", async () => {
    const later = new Date(Date.now() + 20 * 60_000);
    const before = await db.jobRecord.count();
    const [a, b] = await Promise.all([
      sync.syncGitlabConnection(gitlabConnectionId, later),
      sync.syncGitlabConnection(gitlabConnectionId, later),
    ]);
    expect(a.backfilled + b.backfilled + a.linked + b.linked).toBe(0);
    expect(await db.jobRecord.count()).toBe(before);
    for (const job of finished) expect(await recordsOf(job.id)).toHaveLength(1);
  });
});
