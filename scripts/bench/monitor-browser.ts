/**
 * Monitor benchmark in headless Chromium (not part of `npm test`): `npm run bench -- monitor-browser`.
 * Needs a production build (`npm run build`); BENCH_APP_DIR points at another checkout's build.
 *
 *   1. initial render: from navigation to /monitor until the first row is on screen and the
 *      "All" chip counts every one of PODS pods;
 *   2. event → screen: RATE merge patches/s for SECONDS over the pods whose rows are on screen,
 *      time from sending each patch until the row's data-resource-version reaches that version
 *      (a MutationObserver in the page), next to `kubectl get pods -w` seeing the same versions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "@playwright/test";
import {
  BENCH_NAMESPACE as NAMESPACE,
  benchJobPod as jobPod,
  kubeRequester as requester,
  percentileOrNaN as percentile,
} from "./lib/bench-kube";

const PODS = Number(process.env.BENCH_PODS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3217);
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? process.cwd());
const PASSWORD = "bench-admin-password";
const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-bench-browser-"));
  const children: ChildProcess[] = [];
  const tsx = path.join(APP_DIR, "node_modules", "tsx", "dist", "cli.mjs");
  try {
    const kubeconfigFile = path.join(dir, "kubeconfig");
    children.push(
      spawn(
        process.execPath,
        [
          tsx,
          "packages/demo-cluster/src/cli.ts",
          "--port",
          "0",
          "--kubeconfig",
          kubeconfigFile,
          "--state",
          path.join(dir, "cluster"),
          "--no-simulation",
          "--empty",
          "--watch-window",
          "200000",
        ],
        { cwd: APP_DIR, stdio: ["ignore", "ignore", "inherit"] },
      ),
    );
    await waitFor("the demo cluster", () => fs.existsSync(kubeconfigFile));
    await new Promise((r) => setTimeout(r, 500));
    const kubeconfig = fs.readFileSync(kubeconfigFile, "utf8");
    const request = requester(kubeconfig);
    await request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    for (let i = 0; i < PODS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, PODS - i) }, (_, j) =>
          request("POST", `/api/v1/namespaces/${NAMESPACE}/pods`, jobPod(i + j)),
        ),
      );
    }
    console.log(`created ${PODS} pods`);

    const app = spawn(process.execPath, [tsx, "scripts/start.ts"], {
      cwd: APP_DIR,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PORT: String(PORT),
        ASK_CI_DATA_DIR: path.join(dir, "data"),
        ADMIN_PASSWORD: PASSWORD,
        ASK_CI_BOOTSTRAP_KUBECONFIG: kubeconfigFile,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    children.push(app);
    const base = `http://127.0.0.1:${PORT}`;
    await waitFor("the dashboard", async () => (await fetch(`${base}/login`).catch(() => null))?.ok === true);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/login`);
    await page.getByLabel(/Username/).fill("admin");
    await page.getByLabel(/^Password$/).fill(PASSWORD);
    await page.getByRole("button", { name: /Sign in/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    // Warm-up visit so the measured one does not include the first compile of server modules.
    await page.goto(`${base}/monitor?namespace=${NAMESPACE}`);
    await page.locator('[data-testid="pod-row"]').first().waitFor({ timeout: 120_000 });
    const started = Date.now();
    await page.goto(`${base}/monitor?namespace=${NAMESPACE}`);
    await page.locator('[data-testid="pod-row"]').first().waitFor({ timeout: 120_000 });
    const firstRow = Date.now() - started;
    await page.getByRole("button", { name: new RegExp(`^All ${PODS}$`) }).waitFor({ timeout: 120_000 });
    console.log(`initial render of ${PODS} pods: first row ${firstRow} ms, all counted ${Date.now() - started} ms`);

    const visible = await page
      .locator('[data-testid="pod-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pod-name")!));
    await page.evaluate(() => {
      const seen: Array<[string, number, number]> = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver((records) => {
        const at = performance.timeOrigin + performance.now();
        for (const record of records) {
          const el = record.target as HTMLElement;
          seen.push([el.getAttribute("data-pod-name") ?? "", Number(el.getAttribute("data-resource-version")), at]);
        }
      }).observe(document.querySelector('[data-testid="pod-table-body"]')!, {
        subtree: true,
        attributes: true,
        attributeFilter: ["data-resource-version"],
      });
    });

    const kubectl = spawn(
      KUBECTL,
      [
        "--kubeconfig",
        kubeconfigFile,
        "get",
        "pods",
        "-n",
        NAMESPACE,
        "-w",
        "--watch-only",
        "-o",
        "custom-columns=NAME:.metadata.name,RV:.metadata.resourceVersion",
        "--no-headers",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(kubectl);
    const kubectlSeen: Array<[string, number, number]> = [];
    createInterface(kubectl.stdout!).on("line", (line) => {
      const [name, rv] = line.trim().split(/\s+/);
      kubectlSeen.push([name, Number(rv), Date.now()]);
    });
    await new Promise((r) => setTimeout(r, 1500));

    const sent: Array<[string, number, number]> = [];
    const pending: Array<Promise<void>> = [];
    const t0 = performance.now();
    for (let k = 0; k < RATE * SECONDS; k++) {
      const wait = t0 + (k * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const name = visible[k % visible.length];
      const at = Date.now();
      pending.push(
        request(
          "PATCH",
          `/api/v1/namespaces/${NAMESPACE}/pods/${name}`,
          { metadata: { annotations: { "bench/seq": String(k) } } },
          "application/merge-patch+json",
        ).then((pod) => void sent.push([name, Number(pod.metadata!.resourceVersion), at])),
      );
    }
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 3000));
    const pageSeen = await page.evaluate(
      () => (window as unknown as { __seen: Array<[string, number, number]> }).__seen,
    );

    // A version counts as on screen once its row shows it or a newer one (batches coalesce).
    const latencies = (seen: Array<[string, number, number]>) => {
      const byName = new Map<string, Array<[number, number]>>();
      for (const [name, rv, at] of seen) byName.set(name, [...(byName.get(name) ?? []), [rv, at]]);
      return sent.flatMap(([name, rv, at]) => {
        const hit = byName.get(name)?.find(([seenRv]) => seenRv >= rv);
        return hit ? [hit[1] - at] : [];
      });
    };
    const row = (label: string, values: number[]) =>
      console.log(
        `${label.padEnd(24)} n=${values.length}/${sent.length}  p50 ${percentile(values, 50).toFixed(0)} ms  p99 ${percentile(values, 99).toFixed(0)} ms`,
      );
    console.log(
      `event → screen at ${RATE} patches/s for ${SECONDS} s, ${visible.length} rows on screen, ${PODS} pods:`,
    );
    row("Chromium /monitor row", latencies(pageSeen));
    row("kubectl get pods -w", latencies(kubectlSeen));
    const metrics = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    if (metrics) console.log(`page JS heap: ${(metrics / 2 ** 20).toFixed(0)} MB`);
    await browser.close();
  } finally {
    for (const child of children.reverse()) {
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
