import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

test.setTimeout(120_000);

test("a runner card opens the runner manager's own log and its Deployment's events", async ({ page }) => {
  await logIn(page);
  await page.goto("/monitor");
  const card = page.locator('[data-testid="runner-card"][data-runner="ask-ci-demo"]');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.getByRole("button", { name: "Logs & events" }).click();

  const panel = page.getByTestId("runner-panel");
  await expect(panel).toBeVisible();
  // The Deployment's rollout, its ReplicaSet's pod creation and the pod's start, each with its object.
  const events = panel.getByTestId("runner-events");
  await expect(events).toContainText("Deployment/ask-ci-demo ScalingReplicaSet", { timeout: 15_000 });
  await expect(events).toContainText(/ReplicaSet\/ask-ci-demo-[a-z0-9]+ SuccessfulCreate/);
  await expect(events).toContainText(/Pod\/ask-ci-demo-[a-z0-9]+-[a-z0-9]+ Started/);

  // The manager's log, with the same viewer as a job pod's: timestamps, search, download.
  await panel.getByLabel("Timestamps").check();
  const log = panel.getByTestId("pod-logs");
  // Loaded once per click (not followed): ask again until the runner has taken a job.
  await expect(async () => {
    await panel.getByRole("button", { name: "Show logs" }).click();
    await expect(log).toContainText("Checking for jobs... received", { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await expect(log).toContainText(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /m);
  await panel.getByLabel("Search the log").fill("Checking for jobs");
  await expect(panel.getByRole("status").filter({ hasText: "Matching lines" })).toBeVisible();
  const download = panel.getByRole("link", { name: "Download" });
  const href = (await download.getAttribute("href"))!;
  expect(href).toMatch(/^\/api\/monitor\/pods\/gitlab-runner\/ask-ci-demo-[a-z0-9]+-[a-z0-9]+\/logs\?/);
  const file = await page.request.get(href);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-disposition"]).toMatch(/attachment; filename="ask-ci-demo-.*-gitlab-runner\.log"/);
  expect(await file.text()).toContain("Checking for jobs... received");

  await panel.getByRole("button", { name: "Close" }).click();
  await expect(panel).toHaveCount(0);
});
