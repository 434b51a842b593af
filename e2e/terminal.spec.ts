import { expect, test, type Page } from "@playwright/test";
import { RUNNING_JOB_POD_ROWS, logIn } from "./helpers";

/** The newest running job pod's panel (the runner deletes job pods as their jobs end: retry on the next). */
async function openRunningPod(page: Page): Promise<string> {
  await page.goto("/monitor");
  await expect(page.getByRole("status").and(page.locator("[data-state]"))).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  let name = "";
  await expect(async () => {
    // A job pod (it has a runner; a runner manager's own pod has no /builds/), not one being deleted.
    const running = page.locator(RUNNING_JOB_POD_ROWS).first();
    await expect(running).toBeVisible({ timeout: 10_000 });
    name = (await running.getAttribute("data-pod-name"))!;
    await running.click();
    await expect(page.getByRole("button", { name: "Open terminal" })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  return name;
}

// The terminal opens below the pod panel: the product scrolls it into view, because xterm.js does
// not render while out of view (a late, long panel once left the prompt unseen for whole runs).
test("an operator opens a terminal in a running job pod, runs a command, sees its output, closes it; the audit log shows the session", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page);
  let pod = "";
  // A job pod can finish while the test types; then the terminal says so and we take a newer pod.
  await expect(async () => {
    pod = await openRunningPod(page);
    await page.getByRole("button", { name: "Open terminal" }).click();
    const terminal = page.getByTestId("pod-terminal");
    await expect(terminal).toHaveAttribute("data-state", "open", { timeout: 15_000 });
    // As the operator looks at it: xterm.js draws nothing while out of view, and the panel above
    // may have grown (events, logs) since the terminal scrolled itself into view.
    await terminal.scrollIntoViewIfNeeded();
    await expect(terminal.locator(".xterm-rows")).toContainText("/builds/", { timeout: 10_000 });
    await terminal.locator(".xterm").click();
    await page.keyboard.type("ls; echo done-$CI_JOB_ID");
    await page.keyboard.press("Enter");
    await expect(terminal.locator(".xterm-rows")).toContainText("README.md", { timeout: 10_000 });
    await expect(terminal.locator(".xterm-rows")).toContainText(/done-\d+/);
    // env lists the job's variables (never a Secret's value), PWD last: in view.
    await page.keyboard.type("env");
    await page.keyboard.press("Enter");
    await expect(terminal.locator(".xterm-rows")).toContainText("PWD=/builds/", { timeout: 10_000 });
  }).toPass({ timeout: 150_000 });

  await page.getByRole("button", { name: "Close terminal" }).click();
  await expect(page.getByTestId("pod-terminal")).toHaveCount(0);

  await page.goto("/settings/audit?action=pod.exec");
  const opened = page.getByTestId("audit-row").filter({ hasText: pod }).filter({ hasText: "container build" });
  await expect(opened.first()).toBeVisible();
  // A retry above may have opened a session on the same pod before (leaving the page closed it): every
  // session opened on the pod is audited as closed by the user, one end for each start.
  const sessions = await opened.count();
  await expect(async () => {
    await page.goto("/settings/audit?action=pod.exec-end");
    await expect(
      page.getByTestId("audit-row").filter({ hasText: pod }).filter({ hasText: "closed by the user" }),
    ).toHaveCount(sessions, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
});

test("a forged terminal ticket opens no socket", async ({ page }) => {
  await logIn(page);
  const outcome = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/ws/shell?ticket=forged`);
        ws.onopen = () => resolve("open");
        ws.onerror = () => resolve("refused");
      }),
  );
  expect(outcome).toBe("refused");
});
