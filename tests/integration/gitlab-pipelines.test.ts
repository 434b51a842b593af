import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { addDemoGitlabConnection, startQuietDemoGitlab } from "@/tests/demo-gitlab";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * The pipeline view against the demo GitLab: run a pipeline, a runner takes its first job and its pod
 * is recorded, the view shows the job with its pod, queue split and cost; retry and cancel work; the
 * cost report groups it by project, pipeline, branch, user and stage.
 */

let gitlab: DemoGitlab;
let db: typeof import("@/lib/db.server").db;
let pipelines: typeof import("@/lib/gitlab/pipelines.server");
let gitlabConnectionId: string;
let clusterId: string;
let runnerToken: string;
let pipelineId: number;

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startQuietDemoGitlab();
  db = (await import("@/lib/db.server")).db;
  pipelines = await import("@/lib/gitlab/pipelines.server");
  const service = await import("@/lib/gitlab/service.server");
  gitlabConnectionId = await addDemoGitlabConnection(gitlab);
  const stored = await service.storedClient(gitlabConnectionId);
  if (!stored.ok) throw new Error("no client");
  runnerToken = (
    await stored.value.client.createUserRunner({
      runnerType: "instance_type",
      description: "ask-ci",
      tagList: [],
      runUntagged: true,
      locked: false,
      paused: false,
    })
  ).token;
  const { encryptJson } = await import("@/lib/crypto/encryption.server");
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
});

afterAll(async () => {
  await gitlab?.stop();
});

async function runner(path: string, method: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gitlab.url}/api/v4${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json().catch(() => null) };
}

// A scenario: one pipeline run, its first job taken and finished, the next cancelled and retried,
// then the cost report over what happened. The demo GitLab hands out jobs oldest first across
// pipelines, so the steps share one GitLab on purpose and run in the order written, also when the
// suite is shuffled (docs/testing.md, "Order independence").
describe("pipeline view", { shuffle: false }, () => {
  it("runs a pipeline and stores it with its jobs", async () => {
    const result = await pipelines.runPipeline(gitlabConnectionId, 1, "main");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    pipelineId = result.value.pipelineId;
    const detail = await pipelines.pipelineDetail(gitlabConnectionId, pipelineId);
    expect(detail?.pipeline).toMatchObject({ projectPath: "eci/java-demo", ref: "main", source: "api" });
    expect(detail?.jobs.map((j) => j.stage)).toEqual(["package", "build", "deploy"]);
    expect(await pipelines.runPipeline(gitlabConnectionId, 1, "no-such-branch")).toMatchObject({
      ok: false,
      problem: { code: "rejected" },
    });
  });

  it("shows a finished job with its pod, the queue split and its cost", async () => {
    const taken = await runner("/jobs/request", "POST", { token: runnerToken, info: { name: "gitlab-runner" } });
    expect(taken.status).toBe(201);
    const job = taken.body as { id: number; token: string };
    await runner(
      `/jobs/${job.id}`,
      "PUT",
      { token: job.token, state: "success", exit_code: 0 },
      { "JOB-TOKEN": job.token },
    );
    const gitlabJob = (await pipelines.pipelineDetail(gitlabConnectionId, pipelineId))!.jobs.find(
      (j) => j.jobId === job.id,
    )!;
    const started = new Date(gitlabJob.startedAt!);
    // The monitor's record of the job's pod (as the recorder writes it from the runner's annotations).
    await db.jobRecord.create({
      data: {
        podUid: "pod-1",
        connectionId: clusterId,
        namespace: "gitlab-runner",
        podName: "runner-abc-project-1-concurrent-0-x7k2p9qz",
        projectId: "1",
        jobId: String(job.id),
        jobUrl: `${gitlab.url}/eci/java-demo/-/jobs/${job.id}`,
        phase: "Vanished",
        createdAt: new Date(started.getTime() + 1_000),
        startedAt: new Date(started.getTime() + 21_000),
        finishedAt: new Date(started.getTime() + 60_000),
        day: started.toISOString().slice(0, 10),
        billedSeconds: 59,
        vcpuMilli: 1000,
        memoryMiB: 2048,
        currency: "CNY",
        costMicros: 12_345,
      },
    });
    const detail = (await pipelines.pipelineDetail(gitlabConnectionId, pipelineId))!;
    const row = detail.jobs.find((j) => j.jobId === job.id)!;
    expect(row).toMatchObject({
      status: "success",
      pod: { name: "runner-abc-project-1-concurrent-0-x7k2p9qz", estimated: false },
      costMicros: 12_345,
      queue: { runnerPreparingMs: 1_000, podStartingMs: 20_000 },
    });
    expect(row.queue.waitingForRunnerMs).not.toBeNull();
    expect(detail.total).toEqual({ CNY: 12_345 });
    const record = await db.jobRecord.findUniqueOrThrow({ where: { podUid: "pod-1" } });
    expect(record).toMatchObject({ gitlabJobId: job.id, gitlabStatus: "success" });
  });

  it("cancels and retries a job", async () => {
    const detail = (await pipelines.pipelineDetail(gitlabConnectionId, pipelineId))!;
    const next = detail.jobs.find((j) => j.status === "pending" || j.status === "created")!;
    expect(await pipelines.jobAction(gitlabConnectionId, next.jobId, "cancel")).toMatchObject({ ok: true });
    const afterCancel = (await pipelines.pipelineDetail(gitlabConnectionId, pipelineId))!;
    expect(afterCancel.jobs.find((j) => j.jobId === next.jobId)?.status).toMatch(/^cancel/);
    expect(await pipelines.jobAction(gitlabConnectionId, next.jobId, "retry")).toMatchObject({ ok: true });
    const afterRetry = (await pipelines.pipelineDetail(gitlabConnectionId, pipelineId))!;
    expect(afterRetry.jobs.filter((j) => j.name === next.name)).toHaveLength(2);
    expect(await pipelines.jobAction(gitlabConnectionId, 999_999, "retry")).toMatchObject({
      ok: false,
      problem: { code: "notFound" },
    });
  });

  it("reports cost by project, pipeline, branch, user and stage", async () => {
    const report = await pipelines.gitlabCostReport(gitlabConnectionId);
    expect(report.jobs).toBe(1);
    expect(report.by.project).toEqual([
      { key: "eci/java-demo", currency: "CNY", costMicros: 12_345, jobs: 1, billedSeconds: 59 },
    ]);
    expect(report.by.stage[0]).toMatchObject({ key: "package" });
    expect(report.by.branch[0]).toMatchObject({ key: "main" });
    expect(report.by.pipeline[0]).toMatchObject({ key: `eci/java-demo#${pipelineId}` });
    expect(report.by.user[0].key).toBe("root");
    expect(report.topPipelines[0]).toMatchObject({ pipelineId, cost: { CNY: 12_345 } });
    const list = await pipelines.listPipelines(gitlabConnectionId);
    expect(list.find((p) => p.pipelineId === pipelineId)).toMatchObject({ cost: { CNY: 12_345 } });
  });
});
