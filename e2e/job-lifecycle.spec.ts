import fs from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

// The demo cluster of the e2e server (scripts/e2e-server.ts): GitLab Runner 19.3.0 from our own
// generated manifests, registered in the demo GitLab and taking its pipelines' jobs, at speed 30 (a
// 60-minute job timeout is 2 minutes), spot notice 3 s.
const kubeconfig = new KubeConfig();
kubeconfig.loadFromFile(process.env.E2E_DEMO_KUBECONFIG!);
const core = kubeconfig.makeApiClient(CoreV1Api);
const NS = "gitlab-runner";

const VCPU_PER_SECOND = 0.000049;
const GIB_PER_SECOND = 0.00000613;

async function jobPods(runner: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({
    namespace: NS,
    labelSelector: `manager.runner.gitlab.com/name=${runner}`,
  });
  return list.items;
}

async function podOrNull(name: string): Promise<V1Pod | null> {
  try {
    return await core.readNamespacedPod({ namespace: NS, name });
  } catch {
    return null;
  }
}

async function annotate(name: string, annotations: Record<string, string>): Promise<void> {
  await core.patchNamespacedPod(
    { namespace: NS, name, body: { metadata: { annotations } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

/**
 * Pipelines of the demo GitLab's payments-api (compile, two tests, deploy): more jobs for the demo's
 * runners when they work for the demo GitLab, whose own pushes leave the spot runner few jobs. Runners
 * on the built-in stand-in ignore them.
 */
async function pushPipelines(count: number): Promise<void> {
  const info = JSON.parse(fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "demo-gitlab.json"), "utf8")) as {
    apiUrl: string;
    adminToken: string;
  };
  const headers = { "PRIVATE-TOKEN": info.adminToken, "Content-Type": "application/json" };
  const [project] = (await (await fetch(`${info.apiUrl}/projects?search=payments-api`, { headers })).json()) as Array<{
    id: number;
  }>;
  for (let i = 0; project && i < count; i++) {
    await fetch(`${info.apiUrl}/projects/${project.id}/pipeline`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ref: "main" }),
    });
  }
}

/** A job pod of `runner` that runs its job now (not yet being deleted). */
async function runningJobPod(
  runner: string,
  filter: (pod: V1Pod) => boolean = () => true,
  timeoutMs = 90_000,
): Promise<V1Pod> {
  let found: V1Pod | undefined;
  await expect
    .poll(
      async () => {
        found = (await jobPods(runner)).find(
          (p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp && filter(p),
        );
        return Boolean(found);
      },
      { timeout: timeoutMs, intervals: [1_000] },
    )
    .toBe(true);
  return found!;
}

async function historyRow(page: Page, podName: string) {
  await page.getByRole("tab", { name: "History" }).click();
  const row = page.locator(`[data-testid="history-row"][data-pod-name="${podName}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(row).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  return row;
}

test.beforeEach(async ({ page }) => {
  await logIn(page);
  await page.goto("/monitor");
  await expect(page.getByRole("status").and(page.locator("[data-state]"))).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
});

test("a job pod the runner deletes while Running is a finished job in History, billed until its grace period ended", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const pod = await runningJobPod("ask-ci-demo");
  const name = pod.metadata!.name!;
  // Watch it to its end: the runner deletes it still Running, with build and helper running.
  let deleting: V1Pod | null = null;
  await expect
    .poll(
      async () => {
        const current = await podOrNull(name);
        if (current?.metadata?.deletionTimestamp && !deleting) deleting = current;
        return current === null;
      },
      { timeout: 150_000, intervals: [500] },
    )
    .toBe(true);
  expect(deleting, "the pod was seen being deleted").not.toBeNull();
  const seen = deleting as unknown as V1Pod;
  expect(seen.status?.phase).toBe("Running");
  expect(seen.status?.containerStatuses?.find((c) => c.name === "build")?.state?.running).toBeTruthy();

  const row = await historyRow(page, name);
  await expect(row.getByTestId("history-status")).toHaveAttribute("data-status", "Finished");
  // The pod cannot tell the result: it is GitLab's. The demo's runner works for the demo GitLab,
  // which the dashboard is linked to, so History gets the job's result from there.
  await expect(async () => {
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(row).toHaveAttribute("data-result", /^(success|failed)$/, { timeout: 2_000 });
  }).toPass({ timeout: 90_000, intervals: [3_000] });
  // Billed from the instance's start to the end of the deletion's grace period.
  const start = new Date(seen.status!.startTime!).getTime();
  const end = new Date(seen.metadata!.deletionTimestamp!).getTime();
  const seconds = Number(await row.locator("[data-billed-seconds]").getAttribute("data-billed-seconds"));
  expect(Math.abs(seconds - (end - start) / 1000)).toBeLessThanOrEqual(1);
  const spec = row.locator("[data-vcpu]");
  const vcpu = Number(await spec.getAttribute("data-vcpu"));
  const memoryGiB = Number(await spec.getAttribute("data-memory-gib"));
  const exact = (vcpu * VCPU_PER_SECOND + memoryGiB * GIB_PER_SECOND) * seconds;
  const expected = exact >= 0.01 ? exact : exact >= 0.005 ? 0.01 : 0;
  const cost = Number(await row.getByTestId("history-cost").getAttribute("data-cost"));
  expect(Math.abs(cost - expected)).toBeLessThanOrEqual(0.0000005);
});

/**
 * Every version of a pod, in order, from the watch's start until `done` says enough (or it is
 * deleted). A watch, not polling: the runner deletes a pod the platform failed at its next status
 * poll (poll_interval, 3 s), so a poller can miss the version that says why.
 */
function watchPod(name: string, done: (pod: V1Pod, type: string) => boolean) {
  const versions: V1Pod[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const started = new Watch(kubeconfig).watch(
    `/api/v1/namespaces/${NS}/pods`,
    { fieldSelector: `metadata.name=${name}` },
    (type: string, pod: V1Pod) => {
      versions.push(pod);
      if (type === "DELETED" || done(pod, type)) finish();
    },
    () => finish(),
  );
  return {
    versions,
    /** Resolves when `done` or the deletion came, or after `timeoutMs`; the watch is closed. */
    async end(timeoutMs: number): Promise<V1Pod[]> {
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
      (await started).abort();
      return versions;
    },
  };
}

test("a spot reclaim shows as Vanished (SpotReclaimed)", async ({ page }) => {
  test.setTimeout(480_000);
  await pushPipelines(3);
  // The demo's fault injection: ECI warns (SpotToBeReleased), then releases the instance 3 s later
  // and keeps the pod Failed (BidFailed). A job that ends within those seconds is deleted by the
  // runner first (a finished job, rightly): then another running spot pod is tried.
  const tried = new Set<string>();
  let reclaimed: string | null = null;
  for (let attempt = 0; attempt < 4 && !reclaimed; attempt++) {
    const pod = await runningJobPod("ask-ci-demo-spot", (p) => !tried.has(p.metadata!.name!), 150_000);
    const name = pod.metadata!.name!;
    tried.add(name);
    expect(pod.metadata?.annotations?.["k8s.aliyun.com/eci-spot-strategy"]).toBe("SpotAsPriceGo");
    const watch = watchPod(
      name,
      (p) => p.status?.reason === "BidFailed" || (p.metadata?.deletionTimestamp !== undefined && !p.status?.reason),
    );
    // The watch has listed the pod before the fault is injected.
    await expect.poll(() => watch.versions.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await annotate(name, { "demo.ask-ci.dev/fail": "killed" });
    const versions = await watch.end(30_000);
    if (versions.some((p) => p.status?.reason === "BidFailed")) reclaimed = name;
  }
  expect(reclaimed, "a spot pod was reclaimed before its job ended").not.toBeNull();
  const row = await historyRow(page, reclaimed!);
  await expect(row.getByTestId("history-status")).toHaveAttribute("data-status", "Vanished");
  await expect(row.getByTestId("history-status")).toHaveAttribute("data-reason", "SpotReclaimed");
});

test("a job left behind by a runner that died overruns its deadline and shows as Vanished (DeadlineExceeded)", async ({
  page,
}) => {
  test.setTimeout(420_000);
  await runningJobPod("ask-ci-demo");
  // The runner process that runs now (not a replica being replaced) and its running jobs' pods.
  const runner = (
    await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/instance=ask-ci-demo" })
  ).items.find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp);
  expect(runner, "the runner's pod").toBeDefined();
  const runnerName = runner!.metadata!.name!;
  const orphans = (await jobPods("ask-ci-demo")).filter(
    (p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp,
  );
  expect(orphans.length).toBeGreaterThan(0);
  for (const pod of orphans) expect(pod.spec?.activeDeadlineSeconds).toBeGreaterThan(0);
  // The OOM killer takes the runner process: no clean-up, its job pods stay until their deadline.
  await annotate(runnerName, { "demo.ask-ci.dev/fail": "oom" });
  await expect
    .poll(
      async () => {
        const status = (await podOrNull(runnerName))?.status?.containerStatuses?.[0];
        return status?.state?.terminated?.reason ?? status?.lastState?.terminated?.reason;
      },
      { timeout: 15_000 },
    )
    .toBe("OOMKilled");
  // activeDeadlineSeconds (job timeout + 1, from the pod's start): the first orphan past it.
  let overrun: string | null = null;
  const longest = Math.max(...orphans.map((p) => p.spec!.activeDeadlineSeconds!));
  await expect
    .poll(
      async () => {
        for (const pod of orphans) {
          const current = await podOrNull(pod.metadata!.name!);
          if (current?.status?.reason === "DeadlineExceeded") overrun = pod.metadata!.name!;
        }
        return overrun;
      },
      { timeout: (longest + 30) * 1000, intervals: [2_000] },
    )
    .not.toBeNull();
  const row = await historyRow(page, overrun!);
  await expect(row.getByTestId("history-status")).toHaveAttribute("data-status", "Vanished");
  await expect(row.getByTestId("history-status")).toHaveAttribute("data-reason", "DeadlineExceeded");
});
