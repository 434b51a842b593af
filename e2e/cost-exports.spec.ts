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

  // The same jobs as History's own CSV export (the same filters), read afterwards: it may hold jobs
  // recorded meanwhile, never fewer. FOCUS restates each of them, figure for figure.
  const historyUrl = (await focus.getAttribute("href"))!.replace(
    "/api/monitor/history/focus?",
    "/api/monitor/history/export?",
  );
  const historyResponse = await page.request.get(historyUrl);
  expect(historyResponse.status()).toBe(200);
  const [historyHeader, ...historyRows] = parseCsv(await historyResponse.text());
  const history = new Map(
    historyRows.map((row) => {
      const value = (column: string) => row[historyHeader.indexOf(column)];
      return [`${value("namespace")}/${value("pod")}` as string, value] as const;
    }),
  );
  const cell = (row: string[], column: string) => row[header.indexOf(column)];
  for (const row of rows) {
    expect(row).toHaveLength(header.length);
    const job = history.get(cell(row, "ResourceName"));
    expect(job, `${cell(row, "ResourceName")} in History's export`).toBeDefined();
    // A short ECI job may bill 0: below half of the 0.01 CNY minimum charge the fee rounds to 0
    // (docs/cost-model.md; a 40-second job at 1 vCPU / 2 GiB comes to 0.0027).
    expect(Number(cell(row, "BilledCost"))).toBe(Number(job!("cost")));
    expect(Number(cell(row, "EffectiveCost"))).toBe(Number(job!("cost")));
    expect(cell(row, "BillingCurrency")).toBe(job!("currency"));
    expect(Number(cell(row, "PricingQuantity"))).toBe(Number(job!("billed_seconds")));
    expect(cell(row, "ChargePeriodEnd")).toBe(new Date(job!("finished_at")).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(cell(row, "ServiceName")).toBe(
      job!("backend") === "acs" ? "Container Compute Service" : "Elastic Container Instance",
    );
    expect(JSON.parse(cell(row, "Tags"))).toHaveProperty(["kubernetes.namespace"], job!("namespace"));
  }
});
