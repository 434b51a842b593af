import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

// Written by scripts/e2e-server.ts: the demo cluster (registered as the connection "demo").
const kubeconfigPath = process.env.E2E_DEMO_KUBECONFIG!;
const NAMESPACE = "e2e-setup";
const INSTANCE = "e2e-runner";

function kubectl(...args: string[]) {
  return spawnSync("/usr/bin/kubectl", ["--kubeconfig", kubeconfigPath, ...args], {
    encoding: "utf8",
    timeout: 20_000,
  });
}

const next = (page: Page) => page.getByRole("button", { name: "Save and continue" }).click();
const stepHeading = (page: Page, name: string) =>
  expect(page.getByRole("heading", { name: new RegExp(`: ${name}$`) })).toBeVisible();
const alert = (page: Page, text: string | RegExp) =>
  expect(page.getByRole("alert").filter({ hasText: text }).first()).toBeVisible();

test("bad input at each step is refused with the schema's message; then dry run, apply, runner Running, download, uninstall", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // A small laptop screen: results below the buttons must scroll into view by themselves.
  await page.setViewportSize({ width: 1024, height: 768 });
  await logIn(page);
  await page.goto("/setup/new");

  // 1. Cluster
  await page.getByLabel("Profile name").fill("");
  await page.getByLabel("Namespace", { exact: true }).fill("Bad_Namespace");
  await next(page);
  await alert(page, "Give the profile a name");
  await alert(page, /Namespace may contain only lowercase letters/);
  await expect(page.getByLabel("Cluster", { exact: true })).toContainText("demo");
  await page.getByLabel("Profile name").fill("e2e runner");
  await page.getByLabel("Namespace", { exact: true }).fill(NAMESPACE);
  await page.getByLabel("Instance name").fill(INSTANCE);
  await next(page);

  // 2. GitLab: a legacy registration token is refused with how to create a runner
  await stepHeading(page, "GitLab");
  await page.getByLabel("GitLab URL").fill("not a url");
  await page.getByLabel("Runner authentication token").fill("GR1348941abcdefghijklmnopqrs");
  await next(page);
  await alert(page, /GitLab URL must be a full URL/);
  await alert(page, /legacy registration token.*New runner/);
  await page.getByLabel("GitLab URL").fill("https://gitlab.example.com/");
  await page.getByLabel("Runner authentication token").fill("glrt-e2e_setup_token_0123456789");
  await page.getByLabel("Runner name").fill("e2e-eci-runner");
  await next(page);

  // 3. Job pods: billed spec and price update while typing
  await stepHeading(page, "Job pods");
  const price = page.getByTestId("job-pod-price");
  await expect(price.getByTestId("billed-spec")).toHaveText("1 vCPU / 2 GiB");
  await expect(price.getByTestId("price-per-minute")).toContainText("¥0.0037");
  const buildCpuLimit = page.getByRole("group", { name: "Build container" }).getByLabel("CPU limit");
  await buildCpuLimit.fill("1750m");
  await expect(price.getByTestId("billed-spec")).toHaveText("2 vCPU / 2 GiB");
  await buildCpuLimit.fill("lots");
  await expect(price).toContainText("Fix the values");
  await next(page);
  await alert(page, /Build CPU limit must be a Kubernetes quantity/);
  await buildCpuLimit.fill("750m");
  await expect(price.getByTestId("billed-spec")).toHaveText("1 vCPU / 2 GiB");
  await page.getByLabel("Extra pod annotations").fill("ci.example.com/team=platform");
  await next(page);

  // 4. Storage
  await stepHeading(page, "Caches & storage");
  await page.getByRole("button", { name: "Add volume" }).click();
  await page.getByLabel("Size").fill("1Mi");
  await page.getByLabel("NAS mount target").fill("0123abcd-xyz12.cn-hangzhou.nas.aliyuncs.com");
  await page.getByLabel("NAS path").fill("/ci/cache");
  await next(page);
  await alert(page, "Size must be at least 1Gi");
  await page.getByLabel("Size").fill("50Gi");
  await next(page);

  // 5. Registry auth
  await stepHeading(page, "Registry auth");
  await page.getByLabel("Push images to a registry").check();
  await page.getByLabel("Registry server").fill("https://registry.example.com");
  await next(page);
  await alert(page, /Registry server is a host name/);
  await alert(page, "Registry username is required");
  await page.getByLabel("Registry server").fill("registry.cn-hangzhou.aliyuncs.com");
  await page.getByLabel("Username").fill("ci-pusher");
  await page.getByLabel("Password", { exact: true }).fill("e2e-registry-password");
  await next(page);

  // 6. Image cache
  await stepHeading(page, "Image cache");
  await page.getByLabel("Create an ECI image cache").check();
  await page.getByLabel("Size (GiB, at least 20)").fill("5");
  await next(page);
  await alert(page, "An image cache is at least 20 GiB");
  await page.getByLabel("Size (GiB, at least 20)").fill("20");
  await next(page);

  // Nothing reached the cluster while the wizard was filled in.
  expect(kubectl("get", "namespace", NAMESPACE).stderr).toMatch(/NotFound/);

  // 7. Review: objects, redacted YAML, monthly cost
  await stepHeading(page, "Review & apply");
  await expect(page).toHaveURL(/\/setup\/[a-z0-9]+$/);
  await expect(page.getByTestId("review-objects")).toContainText(`Deployment ${NAMESPACE}/${INSTANCE}`);
  await expect(page.getByTestId("monthly-cost")).toContainText("0.25 vCPU / 0.5 GiB");
  await page.getByText("All objects as YAML").click();
  const yaml = page.getByTestId("review-yaml");
  await expect(yaml).toContainText("<redacted>");
  await expect(yaml).not.toContainText("e2e-registry-password");

  // Dry run: every object would be created, nothing is.
  await page.getByRole("button", { name: "Dry run (diff)" }).click();
  await expect(page.getByTestId("apply-progress")).toBeInViewport();
  await expect(page.getByTestId("run-result")).toContainText("Dry run finished", { timeout: 30_000 });
  await expect(page.getByTestId("run-result")).toBeInViewport();
  await expect(page.locator('[data-testid="apply-object"] [data-outcome="created"]').first()).toBeVisible();
  expect(kubectl("get", "namespace", NAMESPACE).stderr).toMatch(/NotFound/);

  // Apply: per-object progress, then the runner Running.
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByTestId("run-result")).toContainText("Applied. The runner is running.", { timeout: 120_000 });
  await expect(page.getByTestId("run-result")).toBeInViewport();
  await expect(page.getByTestId("watch-live")).toHaveAttribute(
    "href",
    `/monitor?cluster=demo&namespace=${NAMESPACE}&runner=e2e-eci-runner`,
  );
  const outcomes = await page
    .locator("[data-testid=apply-object] [data-outcome]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-outcome")));
  expect(outcomes.length).toBeGreaterThan(8);
  expect(outcomes.every((o) => o === "created")).toBe(true);
  await expect(page.getByTestId("rollout")).toContainText(/Running.*ready/);
  await expect(page.getByTestId("runner-status")).toContainText("Running: 1/1 available");
  // Opened again later, the profile shows the runner as it is in the cluster.
  await page.reload();
  await expect(page.getByTestId("runner-status")).toContainText("Running: 1/1 available");
  expect(
    kubectl("-n", NAMESPACE, "get", "deployment", INSTANCE, "-o", "jsonpath={.status.availableReplicas}").stdout,
  ).toBe("1");

  // From the profile to the runner's live view, and from its card back to the profile.
  const profileUrl = page.url();
  await page.getByTestId("runner-monitor-link").click();
  await expect(page).toHaveURL(new RegExp(`/monitor\\?cluster=demo&namespace=${NAMESPACE}&runner=e2e-eci-runner$`));
  const card = page.locator(`[data-testid="runner-card"][data-runner="${INSTANCE}"]`);
  await expect(card).toContainText("1/1 ready");
  await card.getByRole("link", { name: "Profile “e2e runner”" }).click();
  await expect(page).toHaveURL(profileUrl);
  await stepHeading(page, "Review & apply");

  // Download the YAML: every object, secrets redacted.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download YAML" }).click();
  const download = await downloadPromise;
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(download.suggestedFilename()).toBe(`${INSTANCE}.yaml`);
  expect(text).toContain("kind: Deployment");
  expect(text).toContain("<redacted>");
  expect(text).not.toContain(Buffer.from("glrt-e2e_setup_token_0123456789").toString("base64"));

  // Uninstall, with confirmation: nothing of the runner is left.
  await page.getByRole("button", { name: "Uninstall" }).click();
  const confirm = page.getByRole("button", { name: "Delete what ask-ci created" });
  await expect(confirm).toBeDisabled();
  await page.getByLabel("Instance name").fill(INSTANCE);
  await confirm.click();
  await expect(page.getByTestId("run-result")).toContainText("Uninstalled", { timeout: 90_000 });
  await expect(page.getByTestId("runner-status")).toHaveAttribute("data-state", "notInstalled");
  expect(kubectl("get", "namespace", NAMESPACE).stderr).toMatch(/NotFound/);
});

test("editing one step of a finished profile leaves the later steps open, and it reopens at its review", async ({
  page,
}) => {
  await logIn(page);
  await page.goto("/setup/new");
  await page.getByLabel("Profile name").fill("e2e edit one step");
  await page.getByLabel("Namespace", { exact: true }).fill("e2e-edit-step");
  await next(page);
  await stepHeading(page, "GitLab");
  await page.getByLabel("GitLab URL").fill("https://gitlab.example.com/");
  await page.getByLabel("Runner authentication token").fill("glrt-e2e_edit_step_token_0123456789");
  await page.getByLabel("Runner name").fill("e2e-edit-runner");
  await next(page);
  for (const name of ["Job pods", "Caches & storage", "Registry auth", "Image cache"]) {
    await stepHeading(page, name);
    await next(page);
  }
  await stepHeading(page, "Review & apply");

  // Back to step 2, change the runner's name, save: every later step stays reachable.
  const steps = page.getByRole("navigation", { name: "Wizard steps" });
  await steps.getByRole("button", { name: /GitLab/ }).click();
  await stepHeading(page, "GitLab");
  await page.getByLabel("Runner name").fill("e2e-edit-runner-2");
  await next(page);
  await stepHeading(page, "Job pods");
  for (const name of ["Caches & storage", "Registry auth", "Image cache", "Review & apply"]) {
    await expect(steps.getByRole("button", { name: new RegExp(name) })).toBeEnabled();
  }
  await steps.getByRole("button", { name: /Review & apply/ }).click();
  await stepHeading(page, "Review & apply");
  await expect(page.getByTestId("review-objects")).toBeVisible();

  await page.reload();
  await stepHeading(page, "Review & apply");
});
