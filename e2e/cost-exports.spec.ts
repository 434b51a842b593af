import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

test("the cost page exports the cluster's jobs as FinOps FOCUS beside the CSV", async ({ page }) => {
  // The demo's first jobs must be recorded before the report (and its exports) exist.
  test.setTimeout(180_000);
  await logIn(page);
  const focus = page.getByRole("link", { name: "Export FOCUS" });
  await expect(async () => {
    await page.goto("/cost/cluster?days=7");
    await expect(focus).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 150_000, intervals: [3_000] });
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), focus.click()]);
  expect(download.suggestedFilename()).toMatch(/^ask-ci-focus-demo\.csv$/);
  const lines = fs
    .readFileSync(await download.path(), "utf8")
    .trim()
    .split("\r\n");
  const header = lines[0].split(",");
  for (const column of ["BilledCost", "BillingCurrency", "ChargePeriodStart", "ServiceName", "SkuId", "Tags"])
    expect(header).toContain(column);
  expect(lines.length).toBeGreaterThan(1);
  const row = lines[1].split(",");
  expect(row[header.indexOf("BillingCurrency")]).toBe("CNY");
  expect(["Elastic Container Instance", "Container Compute Service"]).toContain(row[header.indexOf("ServiceName")]);
  expect(Number(row[header.indexOf("BilledCost")])).toBeGreaterThan(0);
});
