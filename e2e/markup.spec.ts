import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

// Values from the cluster (and from GitLab, through the runner's annotations) stay text everywhere:
// no markup rendered, no script run, a javascript: job URL never a link, formulas neutral in CSV.

const kubeconfigPath = process.env.E2E_DEMO_KUBECONFIG!;
const NAME = "markup-test-pod";
const JOB_NAME = "<img src=x onerror=window.__pwned=1>";
const REF = "<script>window.__pwned=2</script>";
const JOB_ID = '=HYPERLINK("http://evil.example","x")';

function kubectl(args: string[], input?: string) {
  return spawnSync("/usr/bin/kubectl", ["--kubeconfig", kubeconfigPath, ...args], {
    encoding: "utf8",
    input,
    timeout: 20_000,
  });
}

test("labels, annotations, job names and URLs from the cluster render as text, and export as neutral CSV", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: NAME,
      namespace: "gitlab-runner",
      labels: { "job.runner.gitlab.com/pod": NAME, "manager.runner.gitlab.com/name": "markup-runner" },
      annotations: {
        "job.runner.gitlab.com/name": JOB_NAME,
        "job.runner.gitlab.com/ref": REF,
        "job.runner.gitlab.com/id": JOB_ID,
        "job.runner.gitlab.com/url": "javascript:window.__pwned=3//https://gitlab.example.com/g/p/-/jobs/1",
        "ci.example.com/note": "<b>bold</b>",
      },
    },
    spec: { containers: [{ name: "build", image: "alpine:3.20" }] },
  };
  const created = kubectl(["apply", "-f", "-"], JSON.stringify(pod));
  expect(created.stderr).toBe("");

  await logIn(page);
  await page.goto("/monitor");
  const row = page.locator(`[data-testid="pod-row"][data-pod-name="${NAME}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(JOB_NAME);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);

  await row.click();
  await expect(page.getByText("<b>bold</b>")).toBeVisible();
  await expect(page.locator("b", { hasText: "bold" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

  // Gone while running: recorded, and History shows the same text.
  kubectl(["delete", "pod", "-n", "gitlab-runner", NAME, "--wait=false"]);
  await page.getByRole("tab", { name: "History" }).click();
  const historyRow = page.locator(`[data-testid="history-row"][data-pod-name="${NAME}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(historyRow).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(historyRow).toContainText(JOB_NAME);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

  const href = await page.getByRole("link", { name: /CSV/ }).getAttribute("href");
  const csv = await (await page.request.get(href!)).text();
  const line = csv.split("\r\n").find((l) => l.includes(NAME))!;
  expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  expect(line).toContain(JOB_NAME);
});
