import fs from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import { parse as parseToml } from "smol-toml";
import { RUNNING_JOB_POD_ROWS, logIn } from "./helpers";

// The monitor's pod panel, History's filter and export, the stuck flag and the runner cards, in
// Chromium against the e2e server's demo cluster (scripts/e2e-server.ts), whose simulated runner
// starts job pods that write the job script to the build container's log (demo-cluster's job-stages.ts).

const kubeconfig = new KubeConfig();
kubeconfig.loadFromFile(process.env.E2E_DEMO_KUBECONFIG!);
const core = kubeconfig.makeApiClient(CoreV1Api);
const apps = kubeconfig.makeApiClient(AppsV1Api);
const NS = "gitlab-runner";

async function podOrNull(name: string): Promise<V1Pod | null> {
  try {
    return await core.readNamespacedPod({ namespace: NS, name });
  } catch {
    return null;
  }
}

test.beforeEach(async ({ page }) => {
  await logIn(page);
  await page.goto("/monitor");
  await expect(page.getByRole("status").and(page.locator("[data-state]"))).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
});

test("a running job pod opens with its containers, events and build log, and is deleted only once confirmed", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const panel = page.getByTestId("pod-detail");
  // One card per container, found by its name (the cards' other text, env names such as
  // CI_BUILDS_DIR among them, mentions "build" too).
  const container = (name: string) =>
    panel.getByTestId("container").filter({ has: page.getByText(name, { exact: true }) });
  // The newest running job pod: it has the longest to live while the panel is open. Its script's
  // commands reach the build log a few seconds into the job, after the helper's stages; a job can also
  // end first (its runner then deletes the pod: CI of 2b785dc followed one that never logged for 60 s),
  // so when the pod's row goes, take the newest one again.
  const running = page.locator(RUNNING_JOB_POD_ROWS).first();
  await expect(async () => {
    await expect(running).toBeVisible({ timeout: 30_000 });
    const name = (await running.getAttribute("data-pod-name"))!;
    const row = page.locator(`[data-testid="pod-row"][data-pod-name="${name}"]`);
    await row.getByRole("cell").first().click();
    await expect(panel.getByRole("heading", { name })).toBeVisible();
    await expect(container("build")).toHaveCount(1);
    await expect(container("helper")).toHaveCount(1);
    await expect(panel.getByTestId("pod-events")).toContainText("Scheduled", { timeout: 30_000 });
    for (let attempt = 0; attempt < 20; attempt++) {
      await panel.getByRole("button", { name: "Show logs" }).click();
      await expect(panel.getByTestId("pod-logs")).toBeVisible();
      if (/^\$ /m.test(await panel.getByTestId("pod-logs").innerText())) return;
      if ((await row.count()) === 0) break;
      await page.waitForTimeout(2_000);
    }
    throw new Error(`no script in the build log of ${name}`);
  }).toPass({ timeout: 150_000 });

  // The delete, on the newest running pod now: the first one's job may have ended (and its runner
  // deleted the pod) while its log was read. Delete asks first; Cancel sends nothing (checked on the
  // wire: whether the pod is still there says nothing, the runner may delete it at any moment).
  const target = (await running.getAttribute("data-pod-name"))!;
  await page.locator(`[data-testid="pod-row"][data-pod-name="${target}"]`).getByRole("cell").first().click();
  await expect(panel.getByRole("heading", { name: target })).toBeVisible();
  const deletes: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "DELETE") deletes.push(request.url());
  });
  await panel.getByRole("button", { name: "Delete pod" }).click();
  const confirm = panel.getByRole("alertdialog", { name: "Delete pod" });
  await expect(confirm).toContainText(`Delete pod ${target}? GitLab will mark its job as failed.`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  expect(deletes).toEqual([]);

  await panel.getByRole("button", { name: "Delete pod" }).click();
  const [deletion] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === "DELETE"),
    panel.getByRole("button", { name: "Yes, delete" }).click(),
  ]);
  expect(deletes).toHaveLength(1);
  expect(new URL(deletion.url()).pathname).toMatch(new RegExp(`/${target}$`));
  expect(deletion.status()).toBe(200);
  await expect(panel.getByRole("status").filter({ hasText: "Deletion requested." })).toBeVisible();
  await expect
    .poll(async () => {
      const pod = await podOrNull(target);
      return pod === null || Boolean(pod.metadata?.deletionTimestamp);
    })
    .toBe(true);
});

test("History filters by project, and exports exactly what the filter selects as CSV", async ({ page }) => {
  test.setTimeout(240_000);
  await page.getByRole("tab", { name: "History" }).click();
  const rows = page.getByTestId("history-row");
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(rows.first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [2_000] });

  // The project column of the newest row; the filter matches paths containing what is typed.
  const projectOf = (row: ReturnType<typeof rows.nth>) => row.getByRole("cell").nth(1).innerText();
  const project = await projectOf(rows.first());
  expect(project).toMatch(/\//);
  await page.getByLabel("Project").fill(project);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    new RegExp(`[?&]project=${encodeURIComponent(project)}(&|$)`),
  );
  await expect(rows.first()).toBeVisible();
  const listed = await rows.evaluateAll((elements) =>
    elements.map((e) => ({ pod: e.getAttribute("data-pod-name"), project: e.children[1]?.textContent ?? "" })),
  );
  expect(listed.length).toBeGreaterThan(0);
  for (const row of listed) expect(row.project).toContain(project);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ask-ci-jobs-.+\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const [header, ...lines] = csv.trimEnd().split("\r\n");
  const columns = header.split(",");
  expect(columns.slice(0, 3)).toEqual(["finished_at", "project", "job_id"]);
  const projectColumn = columns.indexOf("project");
  // Jobs may finish between the two reads: the export holds at least every listed one, all of the project.
  expect(lines.length).toBeGreaterThanOrEqual(listed.length);
  for (const line of lines) expect(line.split(",")[projectColumn]).toContain(project);
  for (const { pod } of listed) expect(csv).toContain(pod!);
});

test("a job pod whose image cannot be pulled is flagged stuck, counted, and found by the Stuck filter", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const name = `stuck-e2e-${Date.now()}`;
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        labels: { "job.runner.gitlab.com/pod": name, "manager.runner.gitlab.com/name": "stuck-runner" },
      },
      spec: {
        restartPolicy: "Never",
        containers: [{ name: "build", image: "registry.example.com/does-not-exist:1" }],
      },
    },
  });
  try {
    const row = page.locator(`[data-testid="pod-row"][data-pod-name="${name}"]`);
    await expect(row.getByTestId("stuck-flag")).toHaveText("⚠ Image pull failing", { timeout: 60_000 });
    const stuckFilter = page.getByRole("button", { name: /Stuck [1-9]\d*/ });
    await expect(stuckFilter).toBeVisible();
    await stuckFilter.click();
    await expect(row).toBeVisible();
    // Only stuck pods are left.
    const flags = await page
      .getByTestId("pod-row")
      .evaluateAll((elements) => elements.map((e) => e.querySelector('[data-testid="stuck-flag"]') !== null));
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every(Boolean)).toBe(true);
  } finally {
    await core.deleteNamespacedPod({ namespace: NS, name, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
});

test("the demo runner's card shows its readiness, pods, restarts and its config.toml's concurrency and job resources", async ({
  page,
}) => {
  // The demo's on-demand runner (scripts/demo-runner/settings.yaml), as e2e/runner-panel.spec.ts opens it.
  const runnerName = "ask-ci-demo";
  const runner = await apps.readNamespacedDeployment({ namespace: NS, name: runnerName });
  // What the card should read, straight from the cluster: the ConfigMap the Deployment mounts holds
  // config.toml (global settings: concurrent) and config.template.toml (the [[runners]] entries), split
  // the way the official Helm chart splits them (lib/manifests/config-toml.ts).
  const configMapName = runner.spec!.template.spec!.volumes!.find((v) => v.configMap)!.configMap!.name!;
  const configMap = await core.readNamespacedConfigMap({ namespace: NS, name: configMapName });
  const globalConfig = parseToml(configMap.data!["config.toml"]) as { concurrent?: number };
  const template = parseToml(configMap.data!["config.template.toml"]) as {
    runners: Array<{ name: string; kubernetes?: { cpu_limit?: string } }>;
  };
  const concurrent = String(globalConfig.concurrent);
  const names = template.runners.map((r) => r.name);
  const cpuLimit = template.runners[0]?.kubernetes?.cpu_limit;

  const card = page.locator(`[data-testid="runner-card"][data-runner="${runnerName}"]`);
  await expect(card).toBeVisible({ timeout: 30_000 });
  const field = (label: string) => card.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
  const replicas = runner.spec!.replicas ?? 1;
  await expect(card.locator("header")).toContainText(`${replicas}/${replicas} ready`);
  await expect(field("Pods")).toContainText("(Running)");
  // Restarts as the cluster counts them: an earlier spec (job-lifecycle's deadline overrun) kills this
  // runner's pod on purpose, so the count is not always 0.
  const selector = Object.entries(runner.spec!.selector.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const runnerPods = await core.listNamespacedPod({ namespace: NS, labelSelector: selector });
  const restarts = runnerPods.items
    .flatMap((pod) => [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])])
    .reduce((sum, status) => sum + status.restartCount, 0);
  await expect(field("Restarts")).toHaveText(String(restarts));
  await expect(field("Concurrent jobs")).toHaveText(concurrent);
  expect(names.length).toBeGreaterThan(0);
  await expect(field("Runner names")).toHaveText(names.join(", "));
  if (cpuLimit) await expect(field("Job resources")).toContainText(`/${cpuLimit},`);
  await expect(field("Last activity")).not.toHaveText("No job seen yet", { timeout: 60_000 });
});
