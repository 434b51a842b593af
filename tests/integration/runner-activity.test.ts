import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { AppsV1Api, KubeConfig, Log } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { loadRunnerActivity } from "@/lib/monitor/runner-events.server";

// The runner panel's reads against the demo cluster's API server, with its seeded runners: the
// Deployment, its ReplicaSet and pods, their events by involvedObject, and the manager's log.
const NAMESPACE = "gitlab-runner";
let cluster: DemoCluster;
let kc: KubeConfig;
let stateDir: string;

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-runner-activity-"));
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, stateDir, jobsPerMinute: 0, speed: 20 });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
});

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("a runner's activity from the demo cluster", () => {
  it("lists the manager pod and the Deployment's, ReplicaSet's and pod's events; the pod's log is the runner's", async () => {
    const deployments = await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NAMESPACE });
    const name = deployments.items.map((d) => d.metadata!.name!).find((n) => n === "ask-ci-demo")!;
    expect(name).toBe("ask-ci-demo");
    const activity = await until("the runner pod running with its events", async () => {
      const a = await loadRunnerActivity(kc, NAMESPACE, name);
      const kinds = new Set(a.events.map((e) => e.object.split("/")[0]));
      return a.pods[0]?.phase === "Running" && kinds.has("Deployment") && kinds.has("ReplicaSet") && kinds.has("Pod")
        ? a
        : undefined;
    });
    expect(activity.pods).toHaveLength(1);
    const [pod] = activity.pods;
    expect(pod.name.startsWith(`${name}-`)).toBe(true);
    expect(pod.containers.map((c) => c.name)).toContain("gitlab-runner");
    const deploymentEvent = activity.events.find((e) => e.object === `Deployment/${name}`)!;
    expect(deploymentEvent.reason).toBe("ScalingReplicaSet");
    expect(
      activity.events.some((e) => e.object.startsWith(`ReplicaSet/${name}-`) && e.reason === "SuccessfulCreate"),
    ).toBe(true);
    expect(activity.events.some((e) => e.object === `Pod/${pod.name}` && e.reason === "Started")).toBe(true);
    // Only this runner's objects: not the other seeded runner's.
    expect(activity.events.every((e) => e.object.includes(name) && !e.object.includes(`${name}-spot`))).toBe(true);

    // The manager's own log through pods/log, as the log viewer reads it.
    const text = await until("the runner's log", async () => {
      const sink = new PassThrough();
      let out = "";
      sink.on("data", (d: Buffer) => (out += d.toString()));
      await new Promise<void>((resolve, reject) => {
        void new Log(kc)
          .log(NAMESPACE, pod.name, "gitlab-runner", sink, { follow: false, tailLines: 200 })
          .catch(reject);
        sink.on("end", resolve);
        sink.on("finish", resolve);
      });
      return out.includes("Runner registered successfully") ? out : undefined;
    });
    expect(text).toContain("Runner registered successfully");
  });

  it("answers the API's 404 for a Deployment that does not exist", async () => {
    await expect(loadRunnerActivity(kc, NAMESPACE, "no-such-runner")).rejects.toMatchObject({ code: 404 });
  });
});
