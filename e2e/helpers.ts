import { expect, type Page } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

export async function logIn(page: Page, credentials = ADMIN) {
  await page.goto("/login");
  await page.getByLabel(/Username|用户名/).fill(credentials.username);
  await page.getByLabel(/^(Password|密码)$/).fill(credentials.password);
  await page.getByRole("button", { name: /Sign in|登录/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Runs a pipeline of the demo GitLab's project from the dashboard's form; ends on the new pipeline's page. */
export async function runPipelineFromDashboard(page: Page, project: string, ref: string) {
  await page.goto("/pipelines");
  const form = page.getByTestId("run-pipeline");
  await form.getByLabel("Project", { exact: true }).fill(project);
  await form.getByLabel("Ref", { exact: true }).fill(ref);
  await form.getByRole("button", { name: "Run pipeline" }).click();
  await expect(page).toHaveURL(/\/pipelines\/[^/]+\/\d+$/, { timeout: 30_000 });
}

/**
 * The monitor's rows of running job pods (a runner's pods, not its manager's) that are not being
 * deleted: the runner deletes a job pod as its job ends, so a test follows one of these.
 */
export const RUNNING_JOB_POD_ROWS = '[data-testid="pod-row"][data-phase="Running"][data-runner]:not([data-deleting])';
