import { PassThrough } from "node:stream";
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemoryPodLogSource } from "@ask-ci/demo-cluster";
import { startTestCluster, type TestCluster } from "../../packages/demo-cluster/test/demo-cluster-helpers";
import { expectOk } from "@/tests/expect-ok";
import { useFreshDatabase } from "@/tests/test-db";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import type { WatchEventType } from "@/lib/monitor/watch-cache";

// lib/monitor/pod-access.server.ts, runners.server.ts and pod-notices.server.ts: what the pod panel and the runner cards read from a cluster (pod detail, delete, events, logs,
// runner Deployments), against the demo cluster over HTTPS with a stored connection.

let cluster: TestCluster;
let access: typeof import("@/lib/monitor/pod-access.server") & typeof import("@/lib/monitor/pod-notices.server");
let runners: typeof import("@/lib/monitor/runners.server");
let connectionId: string;
let core: CoreV1Api;
let apps: AppsV1Api;
let config: KubeConfig;

const NS = "team-a";

function pod(name: string, labels: Record<string, string> = {}) {
  return {
    metadata: { name, namespace: NS, labels },
    spec: { containers: [{ name: "build", image: "alpine:3.20" }] },
  };
}

function event(name: string, podName: string, reason: string) {
  return {
    metadata: { name, namespace: NS },
    involvedObject: { kind: "Pod", name: podName, namespace: NS },
    reason,
    message: `${reason} for ${podName}`,
    type: "Normal",
  };
}

/** A stored connection with the demo cluster's viewer token (reads pods and events in gitlab-runner only). */
async function addViewerConnection(name: string): Promise<string> {
  const service = await import("@/lib/connections/service.server");
  const saved = await service.addConnection({
    name,
    credentials: { method: "kubeconfig", kubeconfig: cluster.cluster.limitedKubeconfig, skipTlsVerify: false },
    makeDefault: false,
  });
  return expectOk(saved).id;
}

beforeAll(async () => {
  useFreshDatabase();
  cluster = await startTestCluster();
  const service = await import("@/lib/connections/service.server");
  const saved = await service.addConnection({
    name: "demo",
    credentials: { method: "kubeconfig", kubeconfig: cluster.cluster.kubeconfig, skipTlsVerify: false },
    makeDefault: true,
  });
  connectionId = expectOk(saved).id;
  access = {
    ...(await import("@/lib/monitor/pod-access.server")),
    ...(await import("@/lib/monitor/pod-notices.server")),
  };
  runners = await import("@/lib/monitor/runners.server");
  config = new KubeConfig();
  config.loadFromString(cluster.cluster.kubeconfig);
  core = config.makeApiClient(CoreV1Api);
  apps = config.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespace({ body: { metadata: { name: "team-b" } } });
});

afterAll(async () => {
  await cluster?.stop();
});

describe("readPod and deletePod", () => {
  it("reads a pod as the monitor's Pod type, and refuses one that is not there", async () => {
    await core.createNamespacedPod({ namespace: NS, body: pod("reader", { app: "x" }) });
    const read = await access.readPod(connectionId, NS, "reader");
    expect(read).toMatchObject({ metadata: { name: "reader", namespace: NS, labels: { app: "x" } } });
    expect(read.spec?.containers.map((c) => c.name)).toEqual(["build"]);
    await expect(access.readPod(connectionId, NS, "nobody")).rejects.toMatchObject({ code: 404 });
  });

  it("deletes the pod named, and only it", async () => {
    await core.createNamespacedPod({ namespace: NS, body: pod("doomed") });
    await core.createNamespacedPod({ namespace: NS, body: pod("bystander") });
    await access.deletePod(connectionId, NS, "doomed");
    const gone = async () =>
      core.readNamespacedPod({ namespace: NS, name: "doomed" }).then(
        (p) => p.metadata?.deletionTimestamp !== undefined,
        (error: { code?: number }) => error.code === 404,
      );
    expect(await gone()).toBe(true);
    expect(
      (await core.readNamespacedPod({ namespace: NS, name: "bystander" })).metadata?.deletionTimestamp,
    ).toBeFalsy();
  });
});

describe("podEventsSource", () => {
  it("lists and watches the events about one pod only", async () => {
    await core.createNamespacedEvent({ namespace: NS, body: event("e1", "watched", "Scheduled") });
    await core.createNamespacedEvent({ namespace: NS, body: event("e2", "other", "Scheduled") });
    const source = access.podEventsSource(config, NS, "watched");
    const listed = await source.list();
    expect(listed.items.map((e) => e.reason)).toEqual(["Scheduled"]);
    expect(listed.resourceVersion).toMatch(/^\d+$/);

    const seen: Array<[WatchEventType, string | undefined]> = [];
    const handle = await source.watch(
      listed.resourceVersion,
      (type, object) => seen.push([type, (object as { reason?: string }).reason]),
      () => undefined,
    );
    await core.createNamespacedEvent({ namespace: NS, body: event("e3", "other", "Pulled") });
    await core.createNamespacedEvent({ namespace: NS, body: event("e4", "watched", "Started") });
    const deadline = Date.now() + 5000;
    while (!seen.some(([, reason]) => reason === "Started") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    handle.abort();
    expect(seen.filter(([type]) => type !== "BOOKMARK")).toEqual([["ADDED", "Started"]]);
  });

  it("hears nothing more once the watch is aborted", async () => {
    const source = access.podEventsSource(config, NS, "aborted");
    const listed = await source.list();
    const reasons = (into: string[]) => (type: WatchEventType, object: unknown) => {
      if (type !== "BOOKMARK") into.push(String((object as { reason?: string }).reason));
    };
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const seen: string[] = [];
    const handle = await source.watch(listed.resourceVersion, reasons(seen), () => undefined);
    await core.createNamespacedEvent({ namespace: NS, body: event("a1", "aborted", "Scheduled") });
    await until(() => seen.includes("Scheduled"));
    handle.abort();
    // A watch still open hears the next event; the aborted one must not.
    const heard: string[] = [];
    const open = await source.watch(listed.resourceVersion, reasons(heard), () => undefined);
    await core.createNamespacedEvent({ namespace: NS, body: event("a2", "aborted", "Pulled") });
    await until(() => heard.includes("Pulled"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    open.abort();
    expect(heard).toEqual(["Scheduled", "Pulled"]);
    expect(seen).toEqual(["Scheduled"]);
  });
});

describe("streamPodLog", () => {
  /** The log text streamPodLog writes for these options, once its stream has ended. */
  async function readLog(options: Parameters<typeof access.streamPodLog>[3]): Promise<string> {
    const sink = new PassThrough();
    let text = "";
    sink.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise((resolve) => sink.on("end", resolve));
    await access.streamPodLog(connectionId, NS, "logger", options, sink);
    await ended;
    return text;
  }

  // Both tests read this pod's log: made once here, so neither depends on running after the other.
  beforeAll(async () => {
    await core.createNamespacedPod({ namespace: NS, body: pod("logger") });
    const logs = cluster.cluster.logs as MemoryPodLogSource;
    logs.append(NS, "logger", "build", "one", "two", "three");
  });

  it("reads a container's log with the options asked for", async () => {
    expect(await readLog({ container: "build", follow: false, previous: false, tailLines: 2 })).toBe("two\nthree\n");
  });

  it("prefixes timestamps when asked", async () => {
    expect(
      await readLog({ container: "build", follow: false, previous: false, tailLines: 1, timestamps: true }),
    ).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/);
  });
});

describe("runner Deployments", () => {
  function deployment(name: string, namespace: string, image: string, configMap?: string) {
    const labels = { app: name, tier: "ci" };
    return {
      metadata: { name, namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: "runner", image }],
            volumes: configMap ? [{ name: "config", configMap: { name: configMap } }] : [],
          },
        },
      },
    };
  }

  beforeAll(async () => {
    await core.createNamespacedConfigMap({
      namespace: "team-b",
      body: {
        metadata: { name: "runner-config", namespace: "team-b" },
        data: { "config.toml": 'concurrent = 4\n[[runners]]\nname = "eci"\n[runners.kubernetes]\ncpu_request = "1"\n' },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: "team-b",
      body: deployment("runner", "team-b", "gitlab/gitlab-runner:v17.11.0", "runner-config"),
    });
    await apps.createNamespacedDeployment({
      namespace: "team-b",
      body: deployment("lost-config", "team-b", "gitlab/gitlab-runner:v17.11.0", "missing"),
    });
    await apps.createNamespacedDeployment({ namespace: "team-b", body: deployment("web", "team-b", "nginx:1.27") });
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment("ns-runner", NS, "registry.example.com/gitlab-runner:v17.11.0"),
    });
    await core.createNamespacedPod({
      namespace: "team-b",
      body: {
        ...pod("runner-abc"),
        metadata: { name: "runner-abc", namespace: "team-b", labels: { app: "runner", tier: "ci" } },
      },
    });
    // Matches one of the selector's two labels only: not the runner's.
    await core.createNamespacedPod({
      namespace: "team-b",
      body: { ...pod("runner-old"), metadata: { name: "runner-old", namespace: "team-b", labels: { app: "runner" } } },
    });
    await core.createNamespacedPod({
      namespace: "team-b",
      body: { ...pod("web-abc"), metadata: { name: "web-abc", namespace: "team-b", labels: { app: "web" } } },
    });
  });

  it("loads a namespace's runners with their pods and config, tolerating a missing ConfigMap", async () => {
    const loaded = await runners.loadRunners(connectionId, "team-b");
    expect(loaded.map((r) => r.name).sort()).toEqual(["lost-config", "runner"]);
    const runner = loaded.find((r) => r.name === "runner")!;
    expect(runner).toMatchObject({ namespace: "team-b", desired: 2 });
    expect(runner.pods.map((p) => p.name)).toEqual(["runner-abc"]);
    expect(runner.config).toEqual({
      concurrent: 4,
      runners: [{ name: "eci", cpuRequest: "1", cpuLimit: null, memoryRequest: null, memoryLimit: null }],
    });
    const lost = loaded.find((r) => r.name === "lost-config")!;
    expect(lost.pods).toEqual([]);
    expect(lost.config).toBeNull();
  });

  it("loads every namespace's runners, each with its own namespace", async () => {
    const loaded = await runners.loadRunners(connectionId, ALL_NAMESPACES);
    expect(loaded.map((r) => `${r.namespace}/${r.name}`).sort()).toEqual([
      "team-a/ns-runner",
      "team-b/lost-config",
      "team-b/runner",
    ]);
    // Each runner's pods and config are read in its own namespace, not in "all".
    const runner = loaded.find((r) => r.name === "runner")!;
    expect(runner.pods.map((p) => p.name)).toEqual(["runner-abc"]);
    expect(runner.config?.concurrent).toBe(4);
  });

  it("answers no namespaces, not a failure, when the credentials may not list Deployments cluster-wide", async () => {
    const viewer = await addViewerConnection("viewer for runner namespaces");
    await expect(runners.runnerNamespaces(viewer)).resolves.toBeNull();
  });

  it("counts the runner Deployments per namespace for the picker", async () => {
    expect(await runners.runnerNamespaces(connectionId)).toEqual(
      new Map([
        [NS, 1],
        ["team-b", 2],
      ]),
    );
  });
});

describe("podNotices", () => {
  const warning = (
    name: string,
    namespace: string,
    reason: string,
    involved: Record<string, string>,
    type = "Warning",
  ) => ({
    metadata: { name, namespace },
    involvedObject: { namespace, ...involved },
    reason,
    message: `${reason}: ${name}`,
    type,
    lastTimestamp: new Date("2026-12-07T00:00:00Z"),
  });

  beforeAll(async () => {
    for (const ns of ["team-c", "team-d"]) await core.createNamespace({ body: { metadata: { name: ns } } });
    const events = [
      warning("n1", "team-c", "SpotToBeReleased", { kind: "Pod", name: "p1", uid: "uid-1" }),
      warning("n2", "team-c", "BestEffortPodToBeEvicted", { kind: "Pod", name: "p2" }),
      warning("n3", "team-c", "BackOff", { kind: "Pod", name: "p3" }),
      warning("n4", "team-c", "SpotToBeReleased", { kind: "Pod", name: "p4" }, "Normal"),
      warning("n5", "team-c", "SpotToBeReleased", { kind: "Node", name: "node-1" }),
      warning("n6", "team-d", "SpotToBeReleased", { kind: "Pod", name: "p6" }),
    ];
    for (const body of events) await core.createNamespacedEvent({ namespace: body.metadata.namespace, body });
  });

  const summary = (notices: Array<{ kind: string; namespace: string; podName: string; podUid: string | null }>) =>
    notices.map((n) => `${n.kind} ${n.namespace}/${n.podName} ${n.podUid ?? "-"}`).sort();

  it("are the platform's warnings of a pod's coming end, in one namespace or all", async () => {
    const t = Date.parse("2026-12-07T01:00:00Z");
    expect(summary(await access.podNotices(connectionId, "team-c", t))).toEqual([
      "bestEffortToBeEvicted team-c/p2 -",
      "spotToBeReleased team-c/p1 uid-1",
    ]);
    // Other tests add notices in their own namespaces (the suite runs shuffled): only these six events' pods count here.
    const seeded = (lines: string[]) => lines.filter((line) => / team-[cd]\/p[1-6] /.test(line));
    expect(seeded(summary(await access.podNotices(connectionId, ALL_NAMESPACES, t)))).toEqual([
      "bestEffortToBeEvicted team-c/p2 -",
      "spotToBeReleased team-c/p1 uid-1",
      "spotToBeReleased team-d/p6 -",
    ]);
  });

  it("reuse one answer per connection and namespace for five seconds", async () => {
    const t = Date.parse("2026-12-07T02:00:00Z");
    const first = access.podNotices(connectionId, "team-d", t);
    expect(access.podNotices(connectionId, "team-d", t + 4_999)).toBe(first);
    await first;
    await core.createNamespacedEvent({
      namespace: "team-d",
      body: warning("n7", "team-d", "SpotToBeReleased", { kind: "Pod", name: "p7" }),
    });
    expect(summary(await access.podNotices(connectionId, "team-d", t + 4_999))).toHaveLength(1);
    const later = access.podNotices(connectionId, "team-d", t + 5_000);
    expect(later).not.toBe(first);
    expect(summary(await later)).toEqual(["spotToBeReleased team-d/p6 -", "spotToBeReleased team-d/p7 -"]);
  });

  it("ask again at once after a failed answer, not five seconds later", async () => {
    const ns = "team-e";
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedEvent({
      namespace: ns,
      body: warning("n8", ns, "SpotToBeReleased", { kind: "Pod", name: "p8" }),
    });
    const viewer = await addViewerConnection("viewer for notices");
    const t = Date.parse("2026-12-07T03:00:00Z");
    await expect(access.podNotices(viewer, ns, t)).rejects.toMatchObject({ statusCode: 403 });
    // The viewer is let read the namespace's events: the next ask, a second later, sees them.
    const rbac = { apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "events-reader", namespace: ns } };
    await config.makeApiClient(RbacAuthorizationV1Api).createNamespacedRole({
      namespace: ns,
      body: { ...rbac, rules: [{ apiGroups: [""], resources: ["events"], verbs: ["list"] }] },
    });
    await config.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace: ns,
      body: {
        ...rbac,
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "events-reader" },
        subjects: [{ kind: "ServiceAccount", name: "ask-ci-viewer", namespace: "gitlab-runner" }],
      },
    });
    expect(summary(await access.podNotices(viewer, ns, t + 1_000))).toEqual(["spotToBeReleased team-e/p8 -"]);
  });
});
