import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "yaml";
import { logIn } from "./helpers";

// Written by scripts/e2e-server.ts: the demo cluster's admin kubeconfig, and (in its state dir) the viewer's.
const kubeconfigPath = process.env.E2E_DEMO_KUBECONFIG!;
const readKubeconfig = (file: string) => fs.readFileSync(file, "utf8");
const tokenOf = (kubeconfig: string): string => parse(kubeconfig).users[0].user.token;

async function openAddForm(page: Page) {
  await logIn(page);
  await page.goto("/clusters/new");
  await expect(page.getByRole("heading", { name: "Add a cluster", level: 1 })).toBeVisible();
}

test("the demo cluster is registered on start as the default connection, and healthy", async ({ page }) => {
  await logIn(page);
  await page.goto("/clusters");
  const row = page.getByTestId("connection-demo");
  await expect(row).toContainText("default");
  await expect(row.getByTestId("health")).toHaveAttribute("data-healthy", "true", { timeout: 20_000 });
  await expect(row).toContainText(/Kubernetes v1\.\d+/);
});

test("add the demo cluster by pasting its kubeconfig: test, save, healthy, no token in any page, delete", async ({
  page,
}) => {
  const kubeconfig = readKubeconfig(kubeconfigPath);
  const token = tokenOf(kubeconfig);
  await openAddForm(page);
  await page.getByLabel("Name", { exact: true }).fill("pasted-demo");
  await page.getByRole("textbox", { name: "Kubeconfig", exact: true }).fill(kubeconfig);
  await expect(page.getByText("1 context found")).toBeVisible();

  await page.getByRole("button", { name: "Test connection" }).click();
  const report = page.getByTestId("test-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report).toContainText("Connected");
  await expect(report).toContainText(/v1\.\d+/);
  await expect(report).toContainText("verified");
  await expect(report).toContainText("gitlab-runner");
  await expect(page.getByTestId("wizard-verdict")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("monitor-verdict")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("permission-monitor-pods")).toContainText("list, watch, delete");

  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  const row = page.getByTestId("connection-pasted-demo");
  await expect(row.getByTestId("health")).toHaveAttribute("data-healthy", "true", { timeout: 20_000 });

  // The token must not reach the browser: not in the HTML, the RSC payload, or the APIs.
  expect(await page.content()).not.toContain(token);
  for (const url of ["/clusters", "/clusters/new", "/api/connections"]) {
    const plain = await page.request.get(url);
    expect(await plain.text()).not.toContain(token);
    const rsc = await page.request.get(url, { headers: { RSC: "1" } });
    expect(await rsc.text()).not.toContain(token);
  }
  await row.getByRole("link", { name: "pasted-demo" }).click();
  await expect(page.getByRole("heading", { name: "Edit pasted-demo" })).toBeVisible();
  expect(await page.content()).not.toContain(token);
  await page.goto("/clusters");

  // Deleting says what goes (the job history, when there is some, can be kept: see the component test).
  await page.getByTestId("connection-pasted-demo").getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete the connection “pasted-demo”?");
  const impact = dialog.getByTestId("delete-impact");
  await expect(impact).toContainText("This deletes:");
  await expect(impact).toContainText("the connection and its encrypted credentials");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("connection-pasted-demo")).toHaveCount(0);
  await expect(page.getByTestId("connection-demo")).toBeVisible();
});

test("the limited token's permission report lists what is missing with the RBAC to grant it", async ({ page }) => {
  const viewer = parse(readKubeconfig(path.join(path.dirname(kubeconfigPath), "demo-cluster", "viewer.kubeconfig")));
  await openAddForm(page);
  await page.getByText("URL + token").click();
  await page.getByLabel("API server URL").fill(viewer.clusters[0].cluster.server);
  await page.getByLabel("Bearer token").fill(viewer.users[0].user.token);
  await page
    .getByLabel("CA certificate (PEM)")
    .fill(Buffer.from(viewer.clusters[0].cluster["certificate-authority-data"], "base64").toString());
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-report")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("wizard-verdict")).toHaveAttribute("data-ok", "false");
  await expect(page.getByTestId("permission-monitor-pods/log")).toHaveAttribute("data-missing", "false");
  await expect(page.getByTestId("permission-wizard-deployments")).toHaveAttribute("data-missing", "true");
  await expect(page.getByTestId("rbac-yaml")).toContainText("kind: Role");
  await expect(page.getByTestId("rbac-yaml")).toContainText("deployments");
});

test("bad input gets a specific message and stores nothing", async ({ page }) => {
  const kubeconfig = readKubeconfig(kubeconfigPath);
  await openAddForm(page);
  await page.getByLabel("Name", { exact: true }).fill("bad-input");
  const cases: [string, RegExp][] = [
    ["clusters: [\n  - name: a\n    cluster: {server: x", /not valid YAML/],
    [kubeconfig.replace(/server: https:/, "server: http:"), /must start with https:\/\//],
    [kubeconfig.replace(/token: .*/, "token: not-the-token"), /401 Unauthorized/],
    [
      kubeconfig.replace(
        /token: .*/,
        "exec:\n        apiVersion: client.authentication.k8s.io/v1beta1\n        command: aliyun",
      ),
      /ServiceAccount token/,
    ],
    ["#".repeat(5 * 1024 * 1024), /larger than 256 KiB/],
  ];
  for (const [text, message] of cases) {
    await page.getByRole("textbox", { name: "Kubeconfig", exact: true }).fill(text);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(message)).toBeVisible({ timeout: 20_000 });
    await expect(page).toHaveURL(/\/clusters\/new$/);
  }
  const list = await page.request.get("/api/connections");
  const names = ((await list.json()) as { connections: { name: string }[] }).connections.map((c) => c.name);
  expect(names).not.toContain("bad-input");
});
