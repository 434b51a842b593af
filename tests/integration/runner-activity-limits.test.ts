import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoClusterOptions } from "@ask-ci/demo-cluster";
import { startTestCluster, type TestCluster } from "../../packages/demo-cluster/test/demo-cluster-helpers";
import { loadRunnerActivity } from "@/lib/monitor/runner-events.server";

// The runner panel (lib/monitor/runner-events.server.ts) against a demo cluster without its
// controllers: ReplicaSets and pods made by hand, each a second newer than the one before (the
// cluster's clock is moved on; creationTimestamp has whole seconds), so the panel's order and limits
// show: the newest 5 ReplicaSets, the newest 10 of their pods, init containers not in the log picker.

let cluster: TestCluster;
let apps: AppsV1Api;
let core: CoreV1Api;
let config: KubeConfig;
let offsetMs = 0;

const clock: NonNullable<DemoClusterOptions["clock"]> = {
  now: () => Date.now() + offsetMs,
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, Math.max(0, ms));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

/** The next object the cluster makes is a second newer than the last. */
const tick = () => (offsetMs += 1_000);

beforeAll(async () => {
  cluster = await startTestCluster({ clock });
  config = new KubeConfig();
  config.loadFromString(cluster.cluster.kubeconfig);
  apps = config.makeApiClient(AppsV1Api);
  core = config.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await cluster?.stop();
});

const owner = (kind: string, name: string, uid: string, apiVersion: string) => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
});

/** A namespace with a runner Deployment selected by one label (`app=<name>`); returns its uid. */
async function runnerDeployment(namespace: string, name: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const labels = { app: name };
  const created = await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "runner", image: "gitlab/gitlab-runner" }] } },
      },
    },
  });
  return created.metadata!.uid!;
}

async function replicaSet(namespace: string, deployment: string, deploymentUid: string, name: string): Promise<string> {
  tick();
  const labels = { app: deployment };
  const created = await apps.createNamespacedReplicaSet({
    namespace,
    body: {
      metadata: {
        name,
        namespace,
        labels,
        ownerReferences: [owner("Deployment", deployment, deploymentUid, "apps/v1")],
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "runner", image: "gitlab/gitlab-runner" }] } },
      },
    },
  });
  return created.metadata!.uid!;
}

async function runnerPod(namespace: string, deployment: string, rs: { name: string; uid: string }, name: string) {
  tick();
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: {
        name,
        namespace,
        labels: { app: deployment },
        ownerReferences: [owner("ReplicaSet", rs.name, rs.uid, "apps/v1")],
      },
      spec: {
        initContainers: [{ name: "config-init", image: "busybox" }],
        containers: [{ name: "gitlab-runner", image: "gitlab/gitlab-runner" }],
      },
    },
  });
}

describe("the runner panel's pods", () => {
  it("are the newest 10 pods of the newest 5 ReplicaSets, newest first", async () => {
    const ns = "runner-limits";
    const deployment = "runner";
    const uid = await runnerDeployment(ns, deployment);
    // Seven ReplicaSets, oldest first (names in the same order): rs-a and rs-b are too old to show.
    const sets: Array<{ name: string; uid: string }> = [];
    for (const letter of "abcdefg") {
      const name = `${deployment}-rs-${letter}`;
      sets.push({ name, uid: await replicaSet(ns, deployment, uid, name) });
    }
    const [a, b, c, d, e, f, g] = sets;
    // Twelve pods of the five newest, made round the ReplicaSets (newest first), then one each of
    // the two old ReplicaSets, newest of all.
    const order = [g, f, e, d, c, g, f, e, d, c, g, f];
    const made: string[] = [];
    for (const [i, rs] of order.entries()) {
      const name = `${rs.name}-pod-${String(i).padStart(2, "0")}`;
      await runnerPod(ns, deployment, rs, name);
      made.push(name);
    }
    await runnerPod(ns, deployment, a, `${a.name}-pod-old`);
    await runnerPod(ns, deployment, b, `${b.name}-pod-old`);

    const activity = await loadRunnerActivity(config, ns, deployment);
    expect(activity.pods.map((p) => p.name)).toEqual(made.toReversed().slice(0, 10));
  });

  it("offer their containers' logs, not their init containers'", async () => {
    const ns = "runner-init";
    const deployment = "runner";
    const uid = await runnerDeployment(ns, deployment);
    const rs = { name: `${deployment}-rs`, uid: "" };
    rs.uid = await replicaSet(ns, deployment, uid, rs.name);
    await runnerPod(ns, deployment, rs, `${rs.name}-pod`);

    const activity = await loadRunnerActivity(config, ns, deployment);
    expect(activity.pods).toEqual([
      { name: `${rs.name}-pod`, phase: "Pending", containers: [{ name: "gitlab-runner", hasPrevious: false }] },
    ]);
  });
});
