import fs from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import { logIn, runPipelineFromDashboard } from "./helpers";

/**
 * The whole loop through the browser, on the demo as `npm run demo` starts it: a pipeline run from the
 * dashboard in the demo GitLab; its jobs taken by the demo cluster's own simulated runner (registered
 * in the demo GitLab, deployed from our manifests) over the runner protocol and run as job pods the
 * way gitlab-runner's Kubernetes executor does (deleted while Running, so the pod cannot tell the
 * result); the monitor's live row joined to the GitLab job and its pipeline; History with GitLab's
 * result; the pipeline view with each job's pod and cost.
 */

const dataDir = process.env.E2E_DATA_DIR!;
const NAMESPACE = "gitlab-runner";

interface DemoGitlabInfo {
  url: string;
  apiUrl: string;
  adminToken: string;
}

test("a pipeline run from the dashboard: the demo's runner runs its jobs as pods, joined live and in History to GitLab's jobs", async ({
  page,
}) => {
  test.setTimeout(480_000);
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-gitlab.json"), "utf8")) as DemoGitlabInfo;
  const gitlabApi = async <T>(apiPath: string): Promise<T> =>
    (await (await fetch(`${info.apiUrl}${apiPath}`, { headers: { "PRIVATE-TOKEN": info.adminToken } })).json()) as T;
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(process.env.E2E_DEMO_KUBECONFIG!);
  const core = kubeconfig.makeApiClient(CoreV1Api);

  // Run the pipeline from the dashboard (java-demo, the seed article's package → build → deploy).
  await logIn(page);
  await runPipelineFromDashboard(page, "1", "main");
  const pipelineUrl = page.url();
  const pipelineId = Number(pipelineUrl.split("/").pop());
  const jobIds = (await gitlabApi<Array<{ id: number }>>(`/projects/1/pipelines/${pipelineId}/jobs`)).map((j) =>
    String(j.id),
  );
  expect(jobIds.length).toBe(3);

  // The demo's own runner takes the first job: its pod, with gitlab-runner's labels and annotations.
  let podName = "";
  let jobId = "";
  await expect
    .poll(
      async () => {
        const pods = (await core.listNamespacedPod({ namespace: NAMESPACE })).items;
        const pod = pods.find((p) => jobIds.includes(p.metadata?.annotations?.["job.runner.gitlab.com/id"] ?? ""));
        podName = pod?.metadata?.name ?? "";
        jobId = pod?.metadata?.annotations?.["job.runner.gitlab.com/id"] ?? "";
        return pod?.metadata?.labels?.["manager.runner.gitlab.com/name"] ?? null;
      },
      { timeout: 120_000, intervals: [1_000] },
    )
    .toMatch(/^ask-ci-demo(-spot)?$/);

  // The monitor's live row of one of the pipeline's job pods, joined to its GitLab job and pipeline.
  await page.goto("/monitor");
  const joinedRow = page
    .locator('[data-testid="pod-row"]')
    .filter({ has: page.getByTestId("pod-gitlab-pipeline").filter({ hasText: `#${pipelineId}` }) })
    .first();
  await expect(joinedRow).toBeVisible({ timeout: 150_000 });
  // The pod exists only once GitLab gave its job to the runner: GitLab calls it running (or done). The
  // facts may have read it pending just before. The e2e server registers no webhooks (webhooks: false): the
  // status comes from the sync pass, which polls every 15 s while jobs are unfinished and every 60 s when
  // it last saw none (lib/gitlab/poll-policy.ts) — up to two idle intervals and a pass, not seconds.
  await expect(joinedRow).toHaveAttribute("data-gitlab-status", /^(running|success|failed)$/, { timeout: 150_000 });
  await expect(joinedRow.getByTestId("pod-gitlab-pipeline")).toHaveAttribute(
    "href",
    new RegExp(`^/pipelines/[^/]+/${pipelineId}$`),
  );

  // History: the first job's pod, deleted while Running by the runner, with GitLab's result.
  const job = await (async () => {
    for (let i = 0; i < 120; i++) {
      const current = await gitlabApi<{ status: string }>(`/projects/1/jobs/${jobId}`);
      if (current.status === "success" || current.status === "failed") return current;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error(`job ${jobId} did not finish`);
  })();
  await page.getByRole("tab", { name: "History" }).click();
  const historyRow = page.locator(`[data-testid="history-row"][data-pod-name="${podName}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(historyRow).toHaveAttribute("data-result", job.status, { timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  await expect(historyRow).toHaveAttribute("data-job-id", jobId);
  // Deleted by its runner, the pod is Finished. The demo also reclaims spot pods and loses instances at
  // random, as ECI can (CI of 2f0bb2b drew that for this pod: Vanished, InstanceGone); the runner then
  // fails the job, so GitLab's result must say so.
  const podStatus = await historyRow.getByTestId("history-status").getAttribute("data-status");
  expect(podStatus === "Finished" || (podStatus === "Vanished" && job.status === "failed")).toBe(true);
  await expect(historyRow.getByTestId("history-pipeline")).toContainText(`#${pipelineId}`);
  await expect(historyRow.getByTestId("history-result")).toContainText(job.status === "success" ? "passed" : "failed");

  // The pipeline view: the job with its pod and its cost.
  await page.goto(pipelineUrl);
  const jobRow = page.locator(`[data-testid="pipeline-jobs"] tr[data-job="${jobId}"]`);
  await expect(async () => {
    await page.reload();
    await expect(jobRow).toHaveAttribute("data-status", job.status, { timeout: 2_000 });
    await expect(jobRow).toContainText(podName, { timeout: 2_000 });
    await expect(jobRow.getByTestId("job-cost")).toContainText("¥", { timeout: 2_000 });
  }).toPass({ timeout: 90_000, intervals: [3_000] });
});
