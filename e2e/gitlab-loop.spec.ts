import fs from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

/**
 * The GitLab loop through the browser: a pipeline run from the dashboard in the demo GitLab, its first
 * job taken through the runner protocol and run as a job pod in the demo cluster the way gitlab-runner's
 * Kubernetes executor does it (its labels and annotations; the pod deleted while Running, so the pod
 * cannot tell the result), then History shows the pod with GitLab's result and the pipeline view the
 * job with its pod and cost. The test is the runner here: the demo cluster's simulated runner does
 * not take the demo GitLab's jobs yet (docs/gitlab.md, "Not done").
 */

const dataDir = process.env.E2E_DATA_DIR!;
const NAMESPACE = "gitlab-runner";

interface DemoGitlabInfo {
  url: string;
  apiUrl: string;
  adminToken: string;
}

async function gitlabApi(info: DemoGitlabInfo, method: string, apiPath: string, body?: unknown, headers = {}) {
  const response = await fetch(`${info.apiUrl}${apiPath}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json().catch(() => null) };
}

interface JobPayload {
  id: number;
  token: string;
  job_info: { name: string; project_id: number; project_full_path: string; pipeline_id: number };
  git_info: { ref: string; sha: string };
}

test("a pipeline run from the dashboard: its job's pod, GitLab's result in History, the cost on the pipeline view", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-gitlab.json"), "utf8")) as DemoGitlabInfo;
  const admin = { "PRIVATE-TOKEN": info.adminToken };
  const created = await gitlabApi(
    info,
    "POST",
    "/user/runners",
    { runner_type: "instance_type", description: "e2e runner", run_untagged: true },
    admin,
  );
  expect(created.status).toBe(201);
  const runnerToken = (created.body as { token: string }).token;

  // Run the pipeline from the dashboard.
  await logIn(page);
  await page.goto("/pipelines");
  const form = page.getByTestId("run-pipeline");
  await form.getByLabel("Project").fill("1");
  await form.getByLabel("Ref").fill("main");
  await form.getByRole("button", { name: "Run pipeline" }).click();
  await expect(page).toHaveURL(/\/pipelines\/[^/]+\/\d+$/, { timeout: 30_000 });
  const pipelineId = Number(page.url().split("/").pop());

  // The runner: ask for jobs until this pipeline's first one comes (older pending jobs of the demo's
  // scheduled pipelines come first, oldest first; they are finished as they come).
  let job: JobPayload | null = null;
  for (let attempt = 0; attempt < 60 && !job; attempt++) {
    const taken = await gitlabApi(info, "POST", "/jobs/request", {
      token: runnerToken,
      info: { name: "gitlab-runner" },
    });
    if (taken.status === 204) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    expect(taken.status).toBe(201);
    const payload = taken.body as JobPayload;
    if (payload.job_info.pipeline_id === pipelineId) job = payload;
    else
      await gitlabApi(
        info,
        "PUT",
        `/jobs/${payload.id}`,
        { token: payload.token, state: "success" },
        { "JOB-TOKEN": payload.token },
      );
  }
  expect(job).not.toBeNull();
  const { id: jobId, job_info: jobInfo } = job!;

  // Its job pod, as the Kubernetes executor makes it.
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(process.env.E2E_DEMO_KUBECONFIG!);
  const core = kubeconfig.makeApiClient(CoreV1Api);
  const podName = `runner-e2eloop-project-${jobInfo.project_id}-concurrent-0-${jobId}`;
  const resources = { requests: { cpu: "16", memory: "32Gi" }, limits: { cpu: "16", memory: "32Gi" } };
  await core.createNamespacedPod({
    namespace: NAMESPACE,
    body: {
      metadata: {
        name: podName,
        labels: {
          "job.runner.gitlab.com/pod": `runner-e2eloop-project-${jobInfo.project_id}-concurrent-0`,
          "manager.runner.gitlab.com/name": "e2e-runner",
          "project.runner.gitlab.com/id": String(jobInfo.project_id),
        },
        annotations: {
          "job.runner.gitlab.com/id": String(jobId),
          "job.runner.gitlab.com/url": `${info.url}/${jobInfo.project_full_path}/-/jobs/${jobId}`,
          "job.runner.gitlab.com/name": jobInfo.name,
          "job.runner.gitlab.com/ref": job!.git_info.ref,
          "job.runner.gitlab.com/sha": job!.git_info.sha,
          "project.runner.gitlab.com/id": String(jobInfo.project_id),
        },
      },
      spec: {
        restartPolicy: "Never",
        containers: [
          { name: "build", image: "alpine:3.20", command: ["sh", "-c", "sleep 3600"], resources },
          {
            name: "helper",
            image: "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.11.0",
          },
        ],
      },
    },
  });
  await expect
    .poll(async () => (await core.readNamespacedPod({ namespace: NAMESPACE, name: podName })).status?.phase, {
      timeout: 60_000,
    })
    .toBe("Running");
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  // The job ends as GitLab will record it; then the runner deletes the pod while it still runs.
  const put = await gitlabApi(
    info,
    "PUT",
    `/jobs/${jobId}`,
    { token: job!.token, state: "failed", failure_reason: "script_failure", exit_code: 1 },
    { "JOB-TOKEN": job!.token },
  );
  expect(put.status).toBe(200);
  await core.deleteNamespacedPod({ namespace: NAMESPACE, name: podName });

  // The pipeline view: the job with its pod and its cost.
  const jobRow = page.locator(`[data-testid="pipeline-jobs"] tr[data-job="${jobId}"]`);
  await expect(async () => {
    await page.reload();
    await expect(jobRow).toHaveAttribute("data-status", "failed", { timeout: 2_000 });
    await expect(jobRow).toContainText(podName, { timeout: 2_000 });
    await expect(jobRow.getByTestId("job-cost")).toContainText("¥", { timeout: 2_000 });
  }).toPass({ timeout: 90_000, intervals: [3_000] });

  // History: the pod with GitLab's result (the pod itself was deleted while Running).
  await page.goto("/monitor");
  await page.getByRole("tab", { name: "History" }).click();
  const historyRow = page.locator(`[data-testid="history-row"][data-job-id="${jobId}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(historyRow).toHaveAttribute("data-result", "failed", { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(historyRow).toHaveAttribute("data-pod-name", podName);
  await expect(historyRow.getByTestId("history-pipeline")).toContainText(`#${pipelineId}`);
  await expect(historyRow.getByTestId("history-result")).toContainText("failed");
});
