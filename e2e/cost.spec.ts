import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

const SEED_EXAMPLE = "/cost?vcpu=1&mem=2&minutes=10&ecs=139&jobs=80&days=30&site=cn";

test.beforeEach(async ({ page }) => {
  await logIn(page);
});

test("the seed's example gives 126 jobs a day; a longer job moves the number and the chart", async ({ page }) => {
  await page.goto("/cost");
  await page.getByRole("link", { name: "Open this example" }).click();
  await expect(page).toHaveURL(/minutes=10/);
  await expect(page.getByTestId("break-even")).toHaveText("126 jobs/day");
  await expect(page.getByTestId("ecs-monthly")).toHaveText("¥139.00");
  await expect(page.getByTestId("eci-monthly")).toHaveText("¥88.21");
  const chart = page.getByTestId("break-even-chart");
  await expect(chart).toHaveAttribute("data-crossing", "126.06");
  // ECI, ECI economy, ECI spot, ACS default, ACS best-effort and the ECS.
  await expect(chart.locator(".recharts-line-curve")).toHaveCount(6);
  await expect(chart).toHaveAttribute("data-crossings", /^eci:126\.06 /);

  const minutes = page.getByLabel("Average job length (minutes)");
  await minutes.fill("20");
  await expect(page).toHaveURL(/minutes=20/);
  await expect(page.getByTestId("break-even")).toHaveText("63 jobs/day");
  await expect(chart).toHaveAttribute("data-crossing", "63.03");
  // Every option's break-even halves with a job twice as long (the axis follows, so the lines' shapes do not change).
  await expect(chart).toHaveAttribute("data-crossings", /^eci:63\.03 .*acs-best-effort:581\.49$/);
  await expect(page.getByTestId("cost-sentence")).toContainText("ECI costs ¥176.43 a month");

  // The URL alone reproduces the view.
  await page.goto(page.url());
  await expect(page.getByTestId("break-even")).toHaveText("63 jobs/day");
  await expect(minutes).toHaveValue("20");
});

test("the seed's example shows every backend's break-even, in the card, the table and on the chart", async ({
  page,
}) => {
  await page.goto("/cost");
  // N* = 139 / (30 × 600 s × price per second) on each option, 1 vCPU / 2 GiB:
  const expected = {
    eci: "126", // 0.00006126 CNY/s
    "eci-economy": "196", // 0.00003926
    "eci-spot": "100", // runs as 2 vCPU / 2 GiB, 30% off: 0.000077182
    "acs-default": "231", // 0.00003336
    "acs-best-effort": "1,162", // 0.00000664
  };
  const card = page.getByTestId("seed-backends");
  for (const [id, n] of Object.entries(expected)) {
    if (id !== "eci") await expect(card.getByTestId(`seed-break-even-${id}`)).toContainText(`${n}/day`);
  }
  await page.getByRole("link", { name: "Open this example" }).click();
  const table = page.getByTestId("backend-table");
  for (const [id, n] of Object.entries(expected)) {
    await expect(table.getByTestId(`break-even-${id}`)).toHaveText(`${n} jobs/day`);
  }
  await expect(table.getByTestId("backend-acs-best-effort")).toContainText("¥9.56");
  await expect(table.getByTestId("backend-ecs")).toContainText("¥139.00");
  await expect(page.getByTestId("break-even-chart")).toHaveAttribute(
    "data-crossings",
    "eci:126.06 eci-economy:196.69 eci-spot:100.05 acs-default:231.48 acs-best-effort:1162.99",
  );

  // The international site publishes no economy price: the row says so instead of a number.
  await page.getByLabel("Price book").selectOption("intl");
  await expect(table.getByTestId("backend-eci-economy")).toContainText("No published price");
  await expect(table.getByTestId("break-even-acs-default")).toBeVisible();
});

test("the runner pod lowers the break-even", async ({ page }) => {
  await page.goto(SEED_EXAMPLE);
  await page.getByRole("link", { name: "Open it with the runner pod" }).click();
  await expect(page.getByTestId("break-even")).toHaveText("90 jobs/day");
  await expect(page.getByLabel("Runner manager pod (always on)")).toHaveValue("0.25-0.5Gi");
  await page.getByLabel("Runner manager pod (always on)").selectOption("");
  await expect(page.getByTestId("break-even")).toHaveText("126 jobs/day");
});

test("bad input gets a field message, never NaN or a crash", async ({ page }) => {
  await page.goto(SEED_EXAMPLE);
  const minutes = page.getByLabel("Average job length (minutes)");
  const message = page.getByText("Enter the average job length in minutes: a number more than 0 and at most 1440.");
  for (const bad of ["-5", "0", "ten", "99999999"]) {
    await minutes.fill(bad);
    await expect(message).toBeVisible();
    await expect(minutes).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Nothing to compare yet")).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText("NaN");
  }
  await minutes.fill("10");
  await expect(message).toBeHidden();
  await expect(page.getByTestId("break-even")).toHaveText("126 jobs/day");

  await page.goto("/cost?vcpu=abc&mem=-2&ecs=0&jobs=1e12&days=1000&site=mars&runner=huge");
  for (const text of [
    "Enter the job pod’s vCPU: a number more than 0 and at most 24.",
    "Enter the job pod’s memory in GiB: a number more than 0 and at most 192.",
    "Enter the ECS monthly price: a number more than 0 and at most 10,000,000.",
    "Enter the jobs per day: a number from 0 to 1,000,000.",
    "Enter the days per month: a number more than 0 and at most 31.",
    "Choose the China site or the international site.",
    "Choose a runner pod spec, or leave it out.",
  ]) {
    await expect(page.getByText(text)).toBeVisible();
  }
  await expect(page.getByRole("main")).not.toContainText("NaN");
});

test("the comparison exports as CSV", async ({ page }) => {
  const response = await page.request.get(`/api/cost/export?${SEED_EXAMPLE.split("?")[1]}`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const csv = await response.text();
  expect(csv).toContain("break_even_jobs_per_day,126.0565");
  const bad = await page.request.get("/api/cost/export?minutes=-1");
  expect(bad.status()).toBe(422);
  expect((await bad.json()).fields.minutes).toBeTruthy();
});

test("pasting the job pod's resources fills in the billed spec", async ({ page }) => {
  await page.goto(SEED_EXAMPLE);
  await page.getByText("Paste the job pod’s resources").click();
  await page
    .getByRole("textbox", { name: "Paste the job pod’s resources" })
    .fill("limits:\n  cpu: 1500m\n  memory: 3Gi\n");
  await page.getByRole("button", { name: "Use this spec" }).click();
  await expect(page.getByText("ECI bills 2 vCPU / 4 GiB (from the limits).")).toBeVisible();
  await expect(page).toHaveURL(/vcpu=2&mem=4/);
  await expect(page.getByTestId("break-even")).toHaveText("63 jobs/day");
});

test("Chinese labels and the same numbers", async ({ page }) => {
  await page.goto(SEED_EXAMPLE);
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByTestId("break-even")).toHaveText("每天 126 个作业");
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByTestId("break-even")).toHaveText("126 jobs/day");
});

test("the cluster view answers with a report or an empty state, and flags a bad period", async ({ page }) => {
  await page.goto("/cost/cluster?days=abc");
  await expect(page.getByRole("link", { name: "From your cluster" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Choose a period of 1 to 366 days; showing 30.")).toBeVisible();
  await expect(page.getByRole("main").getByRole("heading", { level: 2 }).first()).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("NaN");
});

test("settings: a region's ECI prices and an ECS price can be saved and removed", async ({ page }) => {
  await page.goto("/settings");
  const cn = page.getByTestId("price-book-cn");
  await expect(cn.getByText("Default prices")).toBeVisible();
  // A region override, so the site-wide prices other tests rely on stay untouched.
  await cn.getByLabel("Region").fill("cn-e2e");
  await cn.getByLabel("vCPU per second (CNY)").fill("nope");
  await cn.getByRole("button", { name: "Save prices" }).click();
  await expect(cn.getByText("Enter a price more than 0 and at most 1 per second, e.g. 0.000049.")).toBeVisible();
  await cn.getByLabel("Region").fill("cn-e2e");
  await cn.getByLabel("vCPU per second (CNY)").fill("0.00004");
  await cn.getByRole("button", { name: "Save prices" }).click();
  await expect(page.getByText("cn-e2e (China site (aliyun.com, CNY)):")).toBeVisible();
  await page.getByRole("button", { name: "Reset cn-e2e" }).click();
  await expect(page.getByText("cn-e2e (China site (aliyun.com, CNY)):")).toBeHidden();

  const name = `e2e-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Monthly price").fill("-1");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText("Enter a monthly price more than 0 and at most 10,000,000.")).toBeVisible();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Monthly price").fill("139");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("¥139.00");
  await row.getByRole("link", { name: "Compare on Cost" }).click();
  await expect(page.getByTestId("ecs-monthly")).toHaveText("¥139.00");
  await page.goto("/settings");
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
});
