import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDemoCluster, type DemoCluster, type DemoClusterOptions } from "../src/index";

export const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";
export const hasKubectl = existsSync(KUBECTL);

export interface TestCluster {
  cluster: DemoCluster;
  dir: string;
  adminConfig: string;
  viewerConfig: string;
  stop(): Promise<void>;
}

/** A demo cluster on a random port with a throwaway state dir and kubeconfig files for both tokens. */
export async function startTestCluster(options: DemoClusterOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "demo-cluster-test-"));
  const stateDir = options.stateDir ?? path.join(dir, "state");
  const cluster = await startDemoCluster({
    port: 0,
    simulate: false,
    gracefulDeletionMaxMs: 300,
    ...options,
    stateDir,
  });
  const adminConfig = path.join(dir, "admin.kubeconfig");
  const viewerConfig = path.join(dir, "viewer.kubeconfig");
  writeFileSync(adminConfig, cluster.kubeconfig);
  writeFileSync(viewerConfig, cluster.limitedKubeconfig);
  return {
    cluster,
    dir,
    adminConfig,
    viewerConfig,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against a kubeconfig; never throws on a non-zero exit. */
export function kubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
  timeoutMs = 20_000,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ["--kubeconfig", kubeconfig, ...args],
      { timeout: timeoutMs, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: process.env.HOME ?? os.tmpdir() } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Starts a long-running kubectl (get -w, logs -f) and collects its output lines. */
export function kubectlStream(
  kubeconfig: string,
  args: string[],
): { child: ChildProcess; lines: string[]; exited: Promise<number> } {
  const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, ...args], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  const lines: string[] = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code) => {
      if (buf) lines.push(buf);
      resolve(code ?? -1);
    }),
  );
  return { child, lines, exited };
}

export async function until<T>(
  what: string,
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
