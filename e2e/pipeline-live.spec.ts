import { expect, test } from "@playwright/test";
import { logIn, runPipelineFromDashboard } from "./helpers";

/**
 * The open pipeline page follows the store without a reload: a pipeline run from the dashboard, its
 * page left open while the demo's runner runs the first job; the job's row turns finished by itself
 * (the e2e server registers no webhooks, so the change reaches the store by the GitLab link's pass,
 * woken by the run and then every 15 s, and the page by its stream), and the page says it is live.
 */
test("an open pipeline page shows a job's new status without a reload", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page);
  await runPipelineFromDashboard(page, "1", "main");

  const live = page.getByTestId("pipeline-live").getByRole("status");
  await expect(live).toHaveAttribute("data-state", "live", { timeout: 15_000 });
  await expect(live).toHaveText("Live");
  // Marks this document: a reload (or a navigation) would lose it.
  await page.evaluate(() => ((window as unknown as { liveMark?: number }).liveMark = 1));

  const firstJob = page.getByTestId("pipeline-jobs").locator("tbody tr").first();
  await expect(firstJob).toHaveAttribute("data-status", /^(success|failed)$/, { timeout: 180_000 });
  expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(1);
  await expect(live).toHaveAttribute("data-state", "live");
});
