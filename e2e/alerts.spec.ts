import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

interface Received {
  path: string;
  body: { kind?: string; title?: string; key?: string };
}

// A test webhook receiver on 127.0.0.1, an ephemeral port, for this file only.
const received: Received[] = [];
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({ path: request.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") });
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
let hookUrl: string;

test.beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/e2e-secret-token`;
});

test.afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const budgetAlerts = () => received.filter((r) => r.body.kind === "budget");

test("a budget set low fires exactly one alert to a webhook; send test works; the URL never comes back", async ({
  page,
}) => {
  // The demo's jobs must finish and be recorded first; evaluation runs every 2 s in e2e.
  test.setTimeout(180_000);
  await logIn(page);
  await page.goto("/cost/budgets");
  await expect(page.getByRole("heading", { name: "Budgets", exact: true })).toBeVisible();

  // A generic JSON channel pointing at the receiver.
  await page.getByLabel("Name", { exact: true }).fill("e2e receiver");
  await page.getByLabel("Format").selectOption("json");
  await page.getByLabel("Webhook URL").fill(hookUrl);
  await page.getByRole("button", { name: "Add channel" }).click();
  const channels = page.getByTestId("alert-channels");
  await expect(channels).toContainText("e2e receiver");
  await expect(channels).toContainText(`http://127.0.0.1:${new URL(hookUrl).port}/…`);
  // Neither the page nor its payload carries the URL's secret part.
  expect(await page.content()).not.toContain("e2e-secret-token");

  await page.getByRole("button", { name: "Send a test alert to e2e receiver" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test delivered (HTTP 200)." })).toBeVisible();
  expect(received.filter((r) => r.body.kind === "test")).toHaveLength(1);
  expect(received[0].path).toBe("/hook/e2e-secret-token");

  // A daily budget of one micro-yuan on the demo cluster: the first recorded job crosses it.
  await page.getByLabel("Cluster connection").selectOption({ label: "demo (CNY)" });
  await page.getByLabel("Period").selectOption("day");
  await page.getByLabel("Amount").fill("0.000001");
  await page.getByRole("button", { name: "Add budget" }).click();
  await expect(page.getByTestId("budgets")).toContainText("demo / all projects");

  await expect.poll(() => budgetAlerts().length, { timeout: 150_000, intervals: [1_000] }).toBe(1);
  expect(budgetAlerts()[0].body).toMatchObject({ kind: "budget", title: "Budget crossed: demo, daily" });

  // Many more evaluation rounds (and more jobs recorded) later: still exactly one.
  await page.waitForTimeout(10_000);
  expect(budgetAlerts()).toHaveLength(1);

  await page.reload();
  await expect(page.getByTestId("budgets")).toContainText("crossed");
  const history = page.getByTestId("alert-history");
  await expect(history.getByRole("row").filter({ hasText: "Budget crossed: demo, daily" })).toHaveCount(1);
  await expect(history.getByRole("row").filter({ hasText: "Test alert from ask-ci" })).toHaveCount(1);
});
