import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { demoGitlabAdminApi, deployDemoRunner } from "@/tests/demo-gitlab";

/**
 * The simulated runner's job log and cancellation over the runner protocol, against the demo GitLab,
 * as gitlab-runner's network client does them (docs/runner-lifecycle.md, "Cancel and the job log"):
 * the log reaches GitLab in Content-Range increments while the job runs; a job canceled in GitLab is
 * seen canceling in the answer to the next trace patch, its script stops, the runner reports
 * job_canceled and deletes the pod while it is still Running (the abort on `Job-Status: canceled`
 * or a 403 is also covered by http-trace.test.ts against a scripted GitLab). A force-cancel in GitLab
 * (`force: true` on a job left canceling) makes the runner's next patch answer 403 with
 * `Job-Status: canceled`: the runner aborts the build (nothing more runs, nothing more reaches
 * GitLab) and deletes the pod while it is still Running. Real HTTP on loopback; the demo cluster at
 * speed 2, so a job runs 15 s or more.
 */
let gitlab: DemoGitlab;
let cluster: DemoCluster;
let projectId: number;
const runnerIds: number[] = [];

// Bound at call time: gitlab is started in beforeAll.
const api: ReturnType<typeof demoGitlabAdminApi> = (path, init) => demoGitlabAdminApi(gitlab)(path, init);

/** Reading the log through the API is also what makes GitLab ask for updates every 3 s (a watched trace). */
const traceOf = async (jobId: number) =>
  (
    await fetch(`${gitlab.url}/api/v4/projects/${projectId}/jobs/${jobId}/trace`, {
      headers: { "private-token": gitlab.info.adminToken },
    })
  ).text();

type KubeObject = ReturnType<DemoCluster["store"]["list"]>[number];

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A runner created in GitLab, deployed from our manifests; its first job pod, Running, and every state it is seen in. */
async function runningJob(namespace: string) {
  // The runners of earlier tests take no more jobs: this test's jobs go to its own runner.
  for (const id of runnerIds) await api(`/runners/${id}`, { method: "PUT", body: { paused: true } });
  const { id, token } = await api<{ id: number; token: string }>("/user/runners", {
    method: "POST",
    body: { runner_type: "instance_type", run_untagged: true, description: namespace },
  });
  runnerIds.push(id);
  deployDemoRunner(cluster, gitlab, { namespace, token, concurrent: 1 });
  await api(`/projects/${projectId}/pipeline`, {
    method: "POST",
    body: { ref: "main" },
  });
  const seen: KubeObject[] = [];
  const unsubscribe = cluster.store.subscribe(({ object }) => {
    if (object.kind === "Pod" && object.metadata.namespace === namespace) seen.push(object);
  });
  const pod = await until(
    () =>
      cluster.store
        .list({ apiVersion: "v1", kind: "Pod" }, { namespace })
        .find(
          (p) =>
            p.metadata.labels?.["job.runner.gitlab.com/pod"] && (p.status as { phase?: string })?.phase === "Running",
        ),
    60_000,
  );
  const jobId = Number(pod.metadata.annotations?.["job.runner.gitlab.com/id"]);
  const deletedWhileRunning = () =>
    until(() => {
      const deleting = seen.find((p) => p.metadata.name === pod.metadata.name && p.metadata.deletionTimestamp);
      return deleting ? (deleting.status as { phase?: string }).phase : undefined;
    }, 60_000);
  return { jobId, podName: pod.metadata.name, deletedWhileRunning, unsubscribe };
}

const jobStatus = async (jobId: number) =>
  (await api<{ status: string; failure_reason?: string }>(`/projects/${projectId}/jobs/${jobId}`)).status;

beforeAll(async () => {
  const { startDemoGitlab } = await import("@ask-ci/demo-gitlab");
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  gitlab = await startDemoGitlab({ port: 0, host: "127.0.0.1", stateDir: null, pushesPerHour: 0, longPollSeconds: 2 });
  cluster = await startDemoCluster({
    port: 0,
    host: "127.0.0.1",
    seedWorkload: false,
    speed: 2,
    failureRate: 0,
    jobsPerMinute: 0,
  });
  [{ id: projectId }] = await api<Array<{ id: number }>>("/projects?search=java-demo");
});

afterAll(async () => {
  await cluster?.stop();
  await gitlab?.stop();
});

describe("job log and cancel over the runner protocol", () => {
  it("the log arrives while the job runs; a cancel in GitLab stops the script, the job ends canceled, the pod is deleted Running", async () => {
    const job = await runningJob("ci-cancel");
    try {
      // Incremental trace: the script's first line is in GitLab while the job is still running.
      const partial = await until(async () => {
        const text = await traceOf(job.jobId);
        return text.includes("$ mvn clean package -DskipTests") ? text : undefined;
      }, 30_000);
      expect(await jobStatus(job.jobId)).toBe("running");
      expect(partial).not.toMatch(/Job succeeded|Job failed/);

      await api(`/projects/${projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
      // The runner announced cancel_gracefully: GitLab waits in "canceling" for its report.
      expect(await jobStatus(job.jobId)).toBe("canceling");
      await until(async () => ((await jobStatus(job.jobId)) === "canceled" ? true : undefined), 30_000);
      expect(await job.deletedWhileRunning()).toBe("Running");
      const log = await traceOf(job.jobId);
      expect(log.startsWith(partial)).toBe(true);
      expect(log).toContain("WARNING: script canceled externally (UI, API)");
      // What follows a failed script still ran, then the runner's verdict.
      expect(log).toContain("Uploading artifacts for failed job");
      expect(log.trimEnd().endsWith("ERROR: Job failed: canceled")).toBe(true);
      expect(log).not.toContain("Job succeeded");
    } finally {
      job.unsubscribe();
    }
  }, 120_000);

  it("a force-cancel in GitLab aborts the job over the protocol: nothing more runs, the pod is deleted Running", async () => {
    const job = await runningJob("ci-abort");
    try {
      const partial = await until(async () => {
        const text = await traceOf(job.jobId);
        return text.includes("$ mvn clean package -DskipTests") ? text : undefined;
      }, 30_000);
      // Canceling, then forced before the runner's next trace patch (every 3 s while the log is read).
      await api(`/projects/${projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
      const forced = await api<{ status: string }>(`/projects/${projectId}/jobs/${job.jobId}/cancel`, {
        method: "POST",
        body: { force: true },
      });
      expect(forced.status).toBe("canceled");
      expect(await job.deletedWhileRunning()).toBe("Running");
      // The runner heard it from GitLab's 403 (Job-Status: canceled) and stopped the build: its own
      // log ends the job as canceled (a runner that ignored the answer would run it to success).
      const runnerPod = cluster.store
        .list({ apiVersion: "v1", kind: "Pod" }, { namespace: "ci-abort" })
        .find((p) => !p.metadata.labels?.["job.runner.gitlab.com/pod"])!;
      const endOfJob = await until(
        () =>
          (cluster.logs.read("ci-abort", runnerPod.metadata.name, "gitlab-runner") ?? []).find(
            (l) => l.includes(`job=${job.jobId} `) && /Job succeeded|Job failed/.test(l),
          ),
        15_000,
      );
      expect(endOfJob).toMatch(/^ERROR: Job failed: canceled /);
      // Nothing after the abort reached GitLab: no on-failure stages, no verdict; the job stays canceled.
      const log = await traceOf(job.jobId);
      expect(log.startsWith(partial)).toBe(true);
      expect(log).not.toContain("script canceled externally");
      expect(log).not.toContain("Uploading artifacts for failed job");
      expect(log).not.toMatch(/Job succeeded|Job failed/);
      expect(await jobStatus(job.jobId)).toBe("canceled");
      // Nor did the stages that follow a failed script run in the pod.
      const helperLog = cluster.logs.read("ci-abort", job.podName, "helper") ?? [];
      expect(helperLog.join("\n")).not.toContain("Uploading artifacts for failed job");
    } finally {
      job.unsubscribe();
    }
  }, 120_000);
});
