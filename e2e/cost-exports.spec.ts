import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks), as lib/csv.ts writes them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

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
  const [header, ...rows] = parseCsv(fs.readFileSync(await download.path(), "utf8"));
  for (const column of ["BilledCost", "BillingCurrency", "ChargePeriodStart", "ServiceName", "SkuId", "Tags"])
    expect(header).toContain(column);
  expect(rows.length).toBeGreaterThan(0);
  const cell = (row: string[], column: string) => row[header.indexOf(column)];
  let total = 0;
  for (const row of rows) {
    expect(row).toHaveLength(header.length);
    expect(cell(row, "BillingCurrency")).toBe("CNY");
    expect(["Elastic Container Instance", "Container Compute Service"]).toContain(cell(row, "ServiceName"));
    // A short ECI job bills nothing: below half the 0.01 CNY minimum charge the fee rounds to 0
    // (docs/cost-model.md; the demo's 40-second 1 vCPU jobs come to 0.0027). None bills less than nothing.
    const billed = Number(cell(row, "BilledCost"));
    expect(billed).toBeGreaterThanOrEqual(0);
    expect(Number(cell(row, "EffectiveCost"))).toBe(billed);
    expect(Number.isInteger(Number(cell(row, "PricingQuantity")))).toBe(true);
    expect(JSON.parse(cell(row, "Tags"))).toHaveProperty(["kubernetes.namespace"]);
    total += billed;
  }
  // The demo's jobs (and its seeded history) cost money.
  expect(total).toBeGreaterThan(0);
});
