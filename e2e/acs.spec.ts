import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { logIn } from "./helpers";

// Written by scripts/e2e-server.ts: the demo cluster (registered as the connection "demo").
const kubeconfigPath = process.env.E2E_DEMO_KUBECONFIG!;
const NAMESPACE = "gitlab-runner";
// China-site ACS, Chinese mainland, general-purpose, default QoS (lib/cost/prices.ts), per second.
const ACS_VCPU_PER_SECOND = 0.0000167;
const ACS_GIB_PER_SECOND = 0.00000833;

function kubectl(input: string | null, ...args: string[]) {
  return spawnSync("/usr/bin/kubectl", ["--kubeconfig", kubeconfigPath, ...args], {
    encoding: "utf8",
    input: input ?? undefined,
    timeout: 20_000,
  });
}

/** A job pod as the runner's Kubernetes executor creates it with the wizard's ACS pod_labels. */
function acsJobPod(name: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: {
        "job.runner.gitlab.com/pod": "runner-e2eacs-project-1-concurrent-0",
        "manager.runner.gitlab.com/name": "e2e-acs",
        "alibabacloud.com/acs": "true",
        "alibabacloud.com/compute-class": "general-purpose",
        "alibabacloud.com/compute-qos": "default",
      },
      annotations: { "job.runner.gitlab.com/id": "9001", "job.runner.gitlab.com/name": "acs-build" },
    },
    spec: {
      restartPolicy: "Never",
      containers: [
        // 0.75 vCPU / 1.5 GiB: ACS normalises it to 1 vCPU / 2 GiB (0.5-vCPU steps, whole GiB).
        { name: "build", image: "busybox:1.36", resources: { limits: { cpu: "750m", memory: "1536Mi" } } },
      ],
    },
  });
}

test("a demo ACS job finishes and History shows it on ACS at ACS's price for the normalised spec", async ({ page }) => {
  test.setTimeout(240_000);
  const name = `e2e-acs-job-${Date.now()}`;
  const created = kubectl(acsJobPod(name), "create", "-f", "-");
  expect(created.status, created.stderr).toBe(0);

  // The demo cluster's virtual node writes what ACS writes.
  await expect
    .poll(() => kubectl(null, "get", "pod", name, "-n", NAMESPACE, "-o", "jsonpath={.metadata.annotations}").stdout, {
      timeout: 30_000,
    })
    .toContain('"alibabacloud.com/pod-use-spec":"1-2Gi"');

  await logIn(page);
  await page.goto("/monitor");
  await page.getByRole("tab", { name: "History" }).click();
  const historyRow = page.locator(`[data-testid="history-row"][data-pod-name="${name}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(historyRow).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [2_000] });

  const placement = historyRow.getByTestId("placement");
  await expect(placement).toHaveAttribute("data-backend", "acs");
  await expect(placement).toHaveAttribute("data-compute-class", "general-purpose");
  await expect(placement).toHaveAttribute("data-qos", "default");
  await expect(placement).toHaveText("ACS general-purpose · default");
  const spec = historyRow.locator("[data-vcpu]");
  await expect(spec).toHaveAttribute("data-vcpu", "1");
  await expect(spec).toHaveAttribute("data-memory-gib", "2");
  const seconds = Number(await historyRow.locator("[data-billed-seconds]").getAttribute("data-billed-seconds"));
  const cost = Number(await historyRow.getByTestId("history-cost").getAttribute("data-cost"));
  expect(seconds).toBeGreaterThan(0);
  // ACS has no published minimum charge: the exact fee, stored in integer micro-yuan.
  expect(Math.abs(cost - (ACS_VCPU_PER_SECOND + 2 * ACS_GIB_PER_SECOND) * seconds)).toBeLessThanOrEqual(0.0000005);

  kubectl(null, "delete", "pod", name, "-n", NAMESPACE, "--wait=false");
});
