import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { addDemoGitlabConnection, startQuietDemoGitlab } from "@/tests/demo-gitlab";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * The whole GitLab loop on the dashboard's own code, against both simulators: a pipeline run in the
 * demo GitLab, its job taken through the runner protocol by a runner created the wizard's way and run
 * as a job pod in the demo cluster with gitlab-runner's labels and annotations, the pod deleted while
 * Running (so the pod cannot tell the result), the job recorder recording it from its watch, the sync
 * pass joining it to GitLab's job: History has GitLab's result, the pipeline view the job's pod and cost,
 * and a later pass records nothing twice. The test is the runner (the demo cluster's simulated runner
 * does not take the demo GitLab's jobs yet).
 */

const NAMESPACE = "gitlab-runner";
let gitlab: DemoGitlab;
let cluster: DemoCluster;
let stateDir: string;
let kc: KubeConfig;
let db: typeof import("@/lib/db.server").db;
let recorder: import("@/lib/monitor/job-recorder.server").JobRecorder;
let gitlabConnectionId: string;
let clusterId: string;
let runnerToken: string;

beforeAll(async () => {
  useFreshDatabase();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-gitlab-loop-"));
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  gitlab = await startQuietDemoGitlab();
  cluster = await startDemoCluster({ port: 0, stateDir, jobsPerMinute: 0, persistDelayMs: 50 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  db = (await import("@/lib/db.server")).db;
  gitlabConnectionId = await addDemoGitlabConnection(gitlab);
  const { encryptJson, decryptJson } = await import("@/lib/crypto/encryption.server");
  clusterId = (
    await db.connection.create({
      data: { name: "demo", server: "https://127.0.0.1", authType: "token", credentials: encryptJson({ token: "k" }) },
    })
  ).id;
  const profile = await db.runnerProfile.create({
    data: {
      name: "java",
      connectionId: clusterId,
      settings: JSON.stringify({ cluster: { namespace: NAMESPACE }, gitlab: { runnerName: "loop-runner" } }),
    },
  });
  const runners = await import("@/lib/gitlab/runners.server");
  const created = await runners.createRunnerForProfile(profile.id, gitlabConnectionId, {
    runnerType: "instance_type",
    description: "ask-ci loop",
    tagList: [],
    runUntagged: true,
    locked: false,
    paused: false,
  });
  if (!created.ok) throw new Error(created.problem.code);
  const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: profile.id } });
  runnerToken = decryptJson<{ runnerToken: string }>(row.secrets!).runnerToken;

  const { JobRecorder } = await import("@/lib/monitor/job-recorder.server");
  const { PodStreamRegistry } = await import("@/lib/monitor/streams.server");
  recorder = new JobRecorder({
    registry: new PodStreamRegistry({ configFor: async () => kc, priceBook: async () => DEFAULT_PRICE_BOOKS.cn }),
    targets: async () => [{ connectionId: clusterId, namespace: NAMESPACE }],
    onError: (message) => console.warn(message),
  });
  recorder.start();
});

afterAll(async () => {
  recorder?.stop();
  await recorder?.drain();
  await Promise.all([gitlab?.stop(), cluster?.stop()]);
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

async function runnerCall(apiPath: string, method: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gitlab.url}/api/v4${apiPath}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json().catch(() => null) };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface JobPayload {
  id: number;
  token: string;
  job_info: { name: string; project_id: number; project_full_path: string; pipeline_id: number };
  git_info: { ref: string; sha: string };
}

describe("the GitLab loop", () => {
  it(
    "pipeline → job pod → recorded, joined to GitLab's result, with its cost on the pipeline view",
    { timeout: 180_000 },
    async () => {
      const pipelines = await import("@/lib/gitlab/pipelines.server");
      const sync = await import("@/lib/gitlab/sync.server");
      const history = await import("@/lib/job-history/list.server");
      const run = await pipelines.runPipeline(gitlabConnectionId, 1, "main");
      if (!run.ok) throw new Error(run.problem.code);

      const taken = await runnerCall("/jobs/request", "POST", { token: runnerToken, info: { name: "gitlab-runner" } });
      expect(taken.status).toBe(201);
      const job = taken.body as JobPayload;
      expect(job.job_info.pipeline_id).toBe(run.value.pipelineId);

      // The job pod, as gitlab-runner's Kubernetes executor labels and annotates it.
      const core = kc.makeApiClient(CoreV1Api);
      const podName = `runner-loop-project-${job.job_info.project_id}-concurrent-0-${job.id}`;
      const resources = { requests: { cpu: "16", memory: "32Gi" }, limits: { cpu: "16", memory: "32Gi" } };
      await core.createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: {
            name: podName,
            labels: {
              "job.runner.gitlab.com/pod": `runner-loop-project-${job.job_info.project_id}-concurrent-0`,
              "manager.runner.gitlab.com/name": "loop-runner",
              "project.runner.gitlab.com/id": String(job.job_info.project_id),
            },
            annotations: {
              "job.runner.gitlab.com/id": String(job.id),
              "job.runner.gitlab.com/url": `${gitlab.url}/${job.job_info.project_full_path}/-/jobs/${job.id}`,
              "job.runner.gitlab.com/name": job.job_info.name,
              "job.runner.gitlab.com/ref": job.git_info.ref,
              "job.runner.gitlab.com/sha": job.git_info.sha,
              "project.runner.gitlab.com/id": String(job.job_info.project_id),
            },
          },
          spec: {
            restartPolicy: "Never",
            containers: [{ name: "build", image: "alpine:3.20", command: ["sleep", "3600"], resources }],
          },
        },
      });
      await until("the pod running", async () => {
        const pod = await core.readNamespacedPod({ namespace: NAMESPACE, name: podName });
        return pod.status?.phase === "Running";
      });
      // Long enough to pass ECI's minimum charge: a job that cost nothing would prove little.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const put = await runnerCall(
        `/jobs/${job.id}`,
        "PUT",
        { token: job.token, state: "failed", failure_reason: "script_failure", exit_code: 1 },
        { "JOB-TOKEN": job.token },
      );
      expect(put.status).toBe(200);
      // Cleanup: the runner deletes the pod while it still runs.
      await core.deleteNamespacedPod({ namespace: NAMESPACE, name: podName });

      const record = await until("the pod's job record", () =>
        db.jobRecord.findFirst({ where: { podName, connectionId: clusterId } }),
      );
      expect(record.costMicros).toBeGreaterThan(0);

      const report = await sync.syncGitlabConnection(gitlabConnectionId);
      expect(report.problem).toBeNull();
      expect(await db.jobRecord.findMany({ where: { jobId: String(job.id) } })).toEqual([
        expect.objectContaining({
          podName,
          gitlabConnectionId,
          gitlabJobId: job.id,
          gitlabStatus: "failed",
          source: "pod",
        }),
      ]);

      const page = await history.queryJobHistory(clusterId, { page: 1, pageSize: 50 });
      expect(page.rows).toEqual([
        expect.objectContaining({
          podName,
          result: "failed",
          failureReason: "script_failure",
          pipelineId: run.value.pipelineId,
          stage: "package",
          source: "pod",
        }),
      ]);

      const detail = await pipelines.pipelineDetail(gitlabConnectionId, run.value.pipelineId);
      const row = detail!.jobs.find((j) => j.jobId === job.id)!;
      expect(row).toMatchObject({
        status: "failed",
        pod: expect.objectContaining({ name: podName, estimated: false }),
      });
      expect(row.costMicros).toBe(Number(record.costMicros));

      // The dashboard keeps running: later passes (backfill included) record nothing twice.
      await sync.syncGitlabConnection(gitlabConnectionId, new Date(Date.now() + 30 * 60_000));
      expect(await db.jobRecord.count()).toBe(1);
    },
  );
});
