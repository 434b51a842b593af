import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

// China-site default prices (lib/cost/prices.ts): what the e2e server prices job pods with.
const VCPU_PER_SECOND = 0.000049;
const GIB_PER_SECOND = 0.00000613;
const MINIMUM_CHARGE = 0.01;

/** spec × price × billed seconds, with the China site's per-instance minimum-charge rounding. */
function expectedCost(vcpu: number, memoryGiB: number, seconds: number): number {
  const exact = (vcpu * VCPU_PER_SECOND + memoryGiB * GIB_PER_SECOND) * seconds;
  if (exact >= MINIMUM_CHARGE) return exact;
  return exact >= MINIMUM_CHARGE / 2 ? MINIMUM_CHARGE : 0;
}

test("a job pod appears live, its cost ticks, and once finished it is in History at spec × price × billed time", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await logIn(page);
  await page.goto("/monitor");
  await expect(page.getByRole("status").and(page.locator("[data-state]"))).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });

  // A running job pod of the demo's on-demand runner (its spot runner's pods are priced at a spot
  // estimate): the oldest one (rows are newest first), as it finishes soonest, but not one the runner
  // is already deleting (its job is over: its cost may have stopped ticking).
  const running = page
    .locator('[data-testid="pod-row"][data-phase="Running"]:not([data-deleting])[data-runner="ask-ci-demo"]')
    .last();
  await expect(running).toBeVisible({ timeout: 90_000 });
  const name = (await running.getAttribute("data-pod-name"))!;
  const row = page.locator(`[data-testid="pod-row"][data-pod-name="${name}"]`);
  const costOf = async () => Number(await row.getByTestId("pod-cost").getAttribute("data-cost"));

  const first = await costOf();
  await expect.poll(costOf, { timeout: 5_000 }).toBeGreaterThan(first);
  await expect(row.getByTestId("pod-cost")).toHaveAttribute("data-final", "false");

  // It finishes (the runner deletes it while Running; the grace period ends it); History shows it with its final cost.
  await page.getByRole("tab", { name: "History" }).click();
  const historyRow = page.locator(`[data-testid="history-row"][data-pod-name="${name}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(historyRow).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [2_000] });

  const spec = historyRow.locator("[data-vcpu]");
  const vcpu = Number(await spec.getAttribute("data-vcpu"));
  const memoryGiB = Number(await spec.getAttribute("data-memory-gib"));
  const seconds = Number(await historyRow.locator("[data-billed-seconds]").getAttribute("data-billed-seconds"));
  const cost = Number(await historyRow.getByTestId("history-cost").getAttribute("data-cost"));
  expect(vcpu).toBeGreaterThan(0);
  expect(seconds).toBeGreaterThan(0);
  expect(await historyRow.getByTestId("history-cost").getAttribute("data-currency")).toBe("CNY");
  // Stored in integer micro-yuan: equal to within half a micro-unit.
  expect(Math.abs(cost - expectedCost(vcpu, memoryGiB, seconds))).toBeLessThanOrEqual(0.0000005);
  await expect(page.getByTestId("history-total")).toContainText("¥");
});

test("the monitor refuses an unknown cluster with a plain message", async ({ page }) => {
  await logIn(page);
  await page.goto("/monitor?cluster=no-such-cluster");
  await expect(page.getByRole("heading", { name: /No cluster called/ })).toBeVisible();
});

test("the pod panel stays open on the final state, logs included, when the job ends and the runner deletes the pod", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await logIn(page);
  await page.goto("/monitor");
  const running = page.locator('[data-testid="pod-row"][data-phase="Running"]').last();
  await expect(running).toBeVisible({ timeout: 90_000 });
  const name = (await running.getAttribute("data-pod-name"))!;
  const row = page.locator(`[data-testid="pod-row"][data-pod-name="${name}"]`);
  await row.getByRole("cell").first().click();
  const panel = page.getByTestId("pod-detail");
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  await panel.getByLabel("Follow").check();
  await panel.getByRole("button", { name: "Show logs" }).click();
  await expect(panel.getByTestId("pod-logs")).not.toBeEmpty({ timeout: 30_000 });

  // The runner deletes the pod once its job is over; the row goes (or turns Vanished), the panel stays.
  await expect
    // Read the rows without waiting: the row can go between two calls, and getAttribute on a row that is gone
    // waits for it (no action timeout) until the poll itself times out.
    .poll(
      async () => {
        const phases = await row.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-phase")));
        return phases.length === 0 || phases[0] === "Vanished";
      },
      {
        timeout: 200_000,
        intervals: [1_000],
      },
    )
    .toBe(true);
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  await expect(panel.getByTestId("pod-logs")).not.toBeEmpty();
  if ((await row.count()) === 0) await expect(panel.getByTestId("pod-ended")).toContainText("final state");
  await panel.getByRole("button", { name: "Close" }).click();
  await expect(panel).toHaveCount(0);
});

test("every namespace with runners is a choice, all of them by default; filters and sort live in the URL", async ({
  page,
}) => {
  await logIn(page);
  await page.goto("/monitor");
  const picker = page.getByTestId("monitor-target").getByLabel("Namespace");
  await expect(picker).toHaveValue("*");
  await expect(picker).toContainText("All namespaces");
  await expect(picker).toContainText(/gitlab-runner \(\d+ runners?\)/);
  await expect(page.getByTestId("runner-card").first()).toContainText("gitlab-runner/");
  await expect(page.locator('[data-testid="pod-row"]').first()).toBeVisible({ timeout: 60_000 });

  // Filters and sort go into the address; a reload (or a shared link) shows the same view.
  await page.getByTestId("count-Running").click();
  await page.getByRole("columnheader", { name: /Cost/ }).getByRole("button").click();
  await page.getByLabel("Search").fill("runner");
  await expect(page).toHaveURL(/phase=Running/);
  await expect(page).toHaveURL(/sort=cost&order=desc/);
  await expect(page).toHaveURL(/q=runner/);
  await page.reload();
  await expect(page.getByTestId("count-Running")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("columnheader", { name: /Cost/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByLabel("Search")).toHaveValue("runner");

  // One namespace: the picker narrows the view and says so in the URL too.
  await page.getByTestId("monitor-target").getByLabel("Namespace").selectOption("gitlab-runner");
  await page.getByTestId("monitor-target").getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/namespace=gitlab-runner/);
  await expect(page.getByTestId("runner-card").first()).not.toContainText("gitlab-runner/");
});

test("at 1024×768 the pod table's cost column is on screen", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await logIn(page);
  await page.goto("/monitor");
  const cost = page.getByRole("columnheader", { name: /Cost/ });
  await expect(cost).toBeVisible();
  const box = (await cost.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(1024);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
