import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { RUNNING_JOB_POD_ROWS, logIn } from "./helpers";

interface DemoGitlabInfo {
  users: Array<{ username: string; name: string; password: string }>;
}

/** The demo GitLab's users and passwords, written by the e2e server (scripts/e2e-server.ts → runDemo). */
function demoGitlab(): DemoGitlabInfo {
  return JSON.parse(fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "demo-gitlab.json"), "utf8"));
}

/** Through "Sign in with GitLab": the demo GitLab's own sign-in and consent pages, then back. */
async function signInWithGitlab(page: Page, user: { username: string; password: string }) {
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with GitLab" }).click();
  await page.getByLabel("Username or primary email").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function openRunningPod(page: Page): Promise<string> {
  // Home may be turning itself into the monitor at this moment, which aborts our own navigation
  // (net::ERR_ABORTED in CI of 2b785dc): go again.
  await expect(async () => {
    await page.goto("/monitor");
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole("status").and(page.locator("[data-state]"))).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  // The newest running job pod: the furthest from finishing. The runner deletes a job pod as its
  // job ends, so the row can go between reading it and clicking it: then take the next one.
  let name = "";
  await expect(async () => {
    const running = page.locator(RUNNING_JOB_POD_ROWS).first();
    await expect(running).toBeVisible({ timeout: 10_000 });
    name = (await running.getAttribute("data-pod-name"))!;
    await running.click();
    await expect(page.getByRole("complementary").getByText(name).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  return name;
}

test("a new GitLab user is a viewer and refused a pod deletion; made an operator by an admin, the deletion works and the audit log shows both names", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const carol = demoGitlab().users.find((user) => user.username === "carol")!;
  const userContext = await browser.newContext({ baseURL });
  const page = await userContext.newPage();

  await signInWithGitlab(page, carol);
  await expect(page.getByTestId("signed-in-as")).toHaveText(/carol \(viewer\)/);

  // A viewer sees the monitor and the costs…
  const refusedPod = await openRunningPod(page);
  await page.goto("/cost");
  await expect(page.getByRole("heading", { name: "Cost", level: 1 })).toBeVisible();

  // …but has no delete button, and the server refuses the deletion anyway.
  await openRunningPod(page);
  await expect(page.getByRole("button", { name: "Delete pod" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Open terminal" })).toHaveCount(0);
  const refused = await page.request.delete(`/api/monitor/pods/gitlab-runner/${refusedPod}?cluster=demo`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toMatch(/operator role/);

  // An admin makes carol an operator.
  const adminContext = await browser.newContext({ baseURL });
  const admin = await adminContext.newPage();
  await logIn(admin);
  await admin.goto("/settings/users");
  const row = admin.getByTestId("user-carol");
  await row.getByLabel("Role of carol").selectOption("operator");
  await row.getByRole("button", { name: "Save role" }).click();
  await expect(row.getByRole("status")).toHaveText("Saved.");

  // Her next request has the new role: no new sign-in.
  const deleted = await openRunningPod(page);
  await expect(page.getByTestId("signed-in-as")).toHaveText(/carol \(operator\)/);
  await page.getByRole("button", { name: "Delete pod" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByText("Deletion requested.")).toBeVisible();

  // The audit log: carol's refused and successful deletions, and the admin's role change naming carol.
  await admin.goto("/settings/audit?action=pod.delete");
  const rows = admin.getByTestId("audit-row");
  await expect(rows.filter({ hasText: deleted }).filter({ hasText: "carol" }).filter({ hasText: "ok" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "carol" }).filter({ hasText: "refused" }).first()).toBeVisible();
  await admin.goto("/settings/audit?action=user.role");
  await expect(
    admin
      .getByTestId("audit-row")
      .filter({ hasText: "admin" })
      .filter({ hasText: "carol" })
      .filter({ hasText: "viewer → operator" }),
  ).toHaveCount(1);

  await userContext.close();
  await adminContext.close();
});

test("a GitLab user sees and ends their own sessions", async ({ browser, baseURL }) => {
  const dave = demoGitlab().users.find((user) => user.username === "dave")!;
  const first = await browser.newContext({ baseURL });
  const second = await browser.newContext({ baseURL });
  const pageA = await first.newPage();
  const pageB = await second.newPage();
  await signInWithGitlab(pageA, dave);
  await signInWithGitlab(pageB, dave);

  await pageA.goto("/settings/sessions");
  const rows = pageA.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  // End the other browser's session; this one stays.
  await rows
    .filter({ hasNotText: "this browser" })
    .getByRole("button", { name: /End the session/ })
    .click();
  await expect(rows).toHaveCount(1);
  await pageB.goto("/monitor");
  await expect(pageB).toHaveURL(/\/login$/);
  await expect(pageA.getByTestId("signed-in-as")).toHaveText(/dave/);
  await first.close();
  await second.close();
});

test("a GitLab sign-in that fails says why and starts no session", async ({ page }) => {
  // The callback without the sealed request this browser would hold: a forged or replayed answer.
  await page.goto("/login/gitlab/callback?code=forged&state=forged");
  await expect(page).toHaveURL(/\/login\?error=request$/);
  // Next.js's route announcer is a role=alert too: the page's own alert is the one with the message.
  await expect(page.getByRole("alert").filter({ hasText: "GitLab sign-in failed" })).toContainText(
    "The sign-in request expired or was started in another browser",
  );
  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(401);
});
