import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

// The cluster cost report ("From your cluster") over a history with known numbers: the seed
// article's example, 240 jobs of 1 vCPU / 2 GiB on ECI, 10 minutes each, over the last 3 days
// (scripts/test/seed-cost-history.ts). Every expected figure is worked out here by hand from the
// China site's list prices, not read from the code that computes the report.
const JOBS = 240;
const SECONDS = 600;
// CNY per second at 1 vCPU / 2 GiB (docs/cost-model.md; the same prices as e2e/cost.spec.ts):
const PER_SECOND = {
  eci: 0.000049 + 2 * 0.00000613, // 0.00006126
  "eci-economy": 0.000027 + 2 * 0.00000613, // 0.00003926
  "acs-default": 0.00003336,
  "acs-best-effort": 0.00000664,
};
const COST_PER_JOB = PER_SECOND.eci * SECONDS; // 0.036756

function seedHistory(): string {
  const out = execFileSync("node_modules/.bin/tsx", ["scripts/test/seed-cost-history.ts"], {
    env: { ...process.env },
    encoding: "utf8",
  });
  return (JSON.parse(out.trim().split("\n").at(-1)!) as { connectionId: string }).connectionId;
}

test("the cluster report of a known history: totals, durations, every backend's cost and the break-even", async ({
  page,
}) => {
  const connectionId = seedHistory();
  await logIn(page);
  await page.goto(`/cost/cluster?connection=${connectionId}&days=30&ecs=139`);

  await expect(page.getByTestId("cluster-jobs")).toHaveText("240");
  const summary = page.getByRole("region", { name: /Last 30 days/ });
  // 240 × 0.036756 = 8.82144; per job 0.0368 at four decimals; every job took 10 minutes.
  await expect(summary).toContainText("¥8.82");
  await expect(summary).toContainText("¥0.0368 per job");
  await expect(summary).toContainText("10 min 0 s");

  // The history began 3 days ago: a rate per day is shown, over the span the page says it used.
  const span = page.getByTestId("observed-span");
  await expect(span).toHaveAttribute("data-enough", "true");
  await expect(span).toContainText("Based on 3 days of history.");
  const days = Number(await span.getAttribute("data-seconds")) / 86_400;
  expect(days).toBeGreaterThanOrEqual(3);
  expect(days).toBeLessThan(3.1);
  const perDay = JOBS / days;
  const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
  await expect(summary).toContainText(`${oneDecimal.format(perDay)} a day`);

  // ECS at 139 a month against ECI at 0.036756 a job: ECI is cheaper up to 139 / (30 × 0.036756) = 126.06 jobs a day.
  const eciMonthly = perDay * 30 * COST_PER_JOB;
  await expect(page.getByTestId("cluster-sentence")).toHaveText(
    `At the observed ${oneDecimal.format(perDay)} jobs a day, ECI costs about ¥${eciMonthly.toFixed(2)} a month, ` +
      "less than the ¥139.00 ECS. With these jobs ECI stays cheaper up to about 126 jobs a day.",
  );

  // What the same jobs cost on each option: 240 × 600 s × the option's price per second.
  const backends = page.getByTestId("cluster-backends");
  await expect(backends.locator('[data-option="recorded"]')).toContainText("¥8.82");
  for (const [option, perSecond] of Object.entries(PER_SECOND)) {
    await expect(backends.locator(`[data-option="${option}"]`)).toHaveAttribute(
      "data-cost",
      (JOBS * SECONDS * perSecond).toFixed(6),
    );
  }

  // Two projects, half the jobs each.
  const projects = page.getByTestId("cluster-projects");
  for (const project of ["eci/java-demo", "eci/web"]) {
    await expect(projects.getByRole("row", { name: new RegExp(project) })).toContainText("¥4.41");
  }
});
