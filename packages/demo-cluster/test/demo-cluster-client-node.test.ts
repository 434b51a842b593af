import { PassThrough } from "node:stream";
import {
  AppsV1Api,
  Log,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MemoryPodLogSource } from "../src/index";
import { startTestCluster, until, type TestCluster } from "./demo-cluster-helpers";

// @kubernetes/client-node 1.4, unmodified, against the demo cluster over HTTPS.

function kubeConfig(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

function statusCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

function errorBody(err: unknown): Record<string, unknown> {
  const body = (err as { body?: unknown }).body;
  return typeof body === "string"
    ? (JSON.parse(body) as Record<string, unknown>)
    : ((body ?? {}) as Record<string, unknown>);
}

describe("demo cluster with @kubernetes/client-node", () => {
  let t: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;

  // A cluster of its own for each test: none depends on objects another one made.
  beforeEach(async () => {
    t = await startTestCluster({ watchWindow: 20 });
    kc = kubeConfig(t.cluster.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    await t?.stop();
  });

  const createCn1 = () =>
    core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cn-1" }, data: { a: "1" } } });

  it("lists, creates and patches (merge, strategic, JSON patch) core objects", async () => {
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(["default", "gitlab-runner", "kube-system"]),
    );
    expect(Number(namespaces.metadata?.resourceVersion)).toBeGreaterThan(0);

    const created = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "cn-1", labels: { app: "x" } }, data: { a: "1" } },
    });
    expect(created.metadata?.uid).toBeTruthy();

    const merged = await core.patchNamespacedConfigMap(
      { name: "cn-1", namespace: "default", body: { data: { b: "2" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: "1", b: "2" });

    const jsonPatched = await core.patchNamespacedConfigMap({
      name: "cn-1",
      namespace: "default",
      body: [{ op: "remove", path: "/data/a" }],
    });
    expect(jsonPatched.data).toEqual({ b: "2" });

    const pod = await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "p1" },
        spec: {
          containers: [
            { name: "build", image: "alpine", env: [{ name: "A", value: "1" }] },
            { name: "helper", image: "helper" },
          ],
        },
      },
    });
    expect(pod.status?.phase).toBe("Pending");
    const smp = await core.patchNamespacedPod(
      {
        name: "p1",
        namespace: "default",
        body: { spec: { containers: [{ name: "build", image: "alpine:3.20", env: [{ name: "B", value: "2" }] }] } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(smp.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["build=alpine:3.20", "helper=helper"]);
    expect(smp.spec?.containers[0].env?.map((e) => e.name)).toEqual(["A", "B"]);

    const selected = await core.listNamespacedConfigMap({ namespace: "default", labelSelector: "app in (x,y)" });
    expect(selected.items.map((c) => c.metadata?.name)).toEqual(["cn-1"]);
    const byField = await core.listPodForAllNamespaces({ fieldSelector: "status.phase=Pending,metadata.name=p1" });
    expect(byField.items).toHaveLength(1);
  });

  it("returns Status errors: 404, 409 AlreadyExists, 409 Conflict, 422 Invalid, 401, 403", async () => {
    const expectError = async (p: Promise<unknown>, code: number, reason: string, message?: string) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(statusCode(err)).toBe(code);
      const body = errorBody(err);
      expect(body.kind).toBe("Status");
      expect(body.reason).toBe(reason);
      if (message) expect(body.message).toBe(message);
      return body;
    };
    await createCn1();
    await expectError(
      core.readNamespacedConfigMap({ name: "nope", namespace: "default" }),
      404,
      "NotFound",
      'configmaps "nope" not found',
    );
    await expectError(
      core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cn-1" } } }),
      409,
      "AlreadyExists",
      'configmaps "cn-1" already exists',
    );
    const current = await core.readNamespacedConfigMap({ name: "cn-1", namespace: "default" });
    await core.replaceNamespacedConfigMap({
      name: "cn-1",
      namespace: "default",
      body: { ...current, data: { c: "3" } },
    });
    await expectError(
      core.replaceNamespacedConfigMap({ name: "cn-1", namespace: "default", body: { ...current, data: { d: "4" } } }),
      409,
      "Conflict",
      'Operation cannot be fulfilled on configmaps "cn-1": the object has been modified; please apply your changes to the latest version and try again',
    );
    const invalid = await expectError(
      core.createNamespacedPod({ namespace: "default", body: { metadata: { name: "bad" }, spec: { containers: [] } } }),
      422,
      "Invalid",
    );
    expect((invalid.details as { causes: unknown[] }).causes).toEqual([
      { type: "FieldValueRequired", message: "Required value", field: "spec.containers" },
    ]);

    // client-node does not keep the body of a 401; the Status itself is checked with fetch below.
    const wrong = kubeConfig(t.cluster.kubeconfig.replace(t.cluster.adminToken, "not-a-token")).makeApiClient(
      CoreV1Api,
    );
    expect(statusCode(await wrong.listNamespace().catch((e: unknown) => e))).toBe(401);
    const viewer = kubeConfig(t.cluster.limitedKubeconfig).makeApiClient(CoreV1Api);
    await expectError(
      viewer.listNamespacedSecret({ namespace: "gitlab-runner" }),
      403,
      "Forbidden",
      'secrets is forbidden: User "system:serviceaccount:gitlab-runner:ask-ci-viewer" cannot list resource "secrets" in API group "" in the namespace "gitlab-runner"',
    );
    const podsForViewer = await viewer.listNamespacedPod({ namespace: "gitlab-runner" });
    expect(podsForViewer.items).toBeDefined();
  });

  it("server-side applies through patch with the apply content type, with conflicts and force", async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const deployment = (replicas: number) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "ssa-web", namespace: "default" },
      spec: {
        replicas,
        selector: { matchLabels: { app: "ssa-web" } },
        template: {
          metadata: { labels: { app: "ssa-web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      },
    });
    const applied = await apps.patchNamespacedDeployment(
      { name: "ssa-web", namespace: "default", body: deployment(2), fieldManager: "wizard" },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    expect(applied.spec?.replicas).toBe(2);
    expect(applied.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(["wizard/Apply"]);

    const err = await apps
      .patchNamespacedDeployment(
        { name: "ssa-web", namespace: "default", body: deployment(5), fieldManager: "autoscaler" },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      )
      .catch((e: unknown) => e);
    expect(statusCode(err)).toBe(409);
    expect(errorBody(err).message).toBe('Apply failed with 1 conflict: conflict with "wizard": .spec.replicas');

    const forced = await apps.patchNamespacedDeployment(
      { name: "ssa-web", namespace: "default", body: deployment(5), fieldManager: "autoscaler", force: true },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    expect(forced.spec?.replicas).toBe(5);

    const dry = await apps.patchNamespacedDeployment(
      { name: "ssa-web", namespace: "default", body: deployment(7), fieldManager: "autoscaler", dryRun: "All" },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    expect(dry.spec?.replicas).toBe(7);
    expect((await apps.readNamespacedDeployment({ name: "ssa-web", namespace: "default" })).spec?.replicas).toBe(5);
  });

  it("reads and follows pod logs with readNamespacedPodLog and Log", async () => {
    const logs = t.cluster.logs as MemoryPodLogSource;
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "logs-1" },
        spec: { nodeName: "virtual-kubelet-cn-hangzhou-k", containers: [{ name: "build", image: "alpine" }] },
      },
    });
    logs.append("default", "logs-1", "build", "line 1", "line 2", "line 3");
    const text = await core.readNamespacedPodLog({ name: "logs-1", namespace: "default", tailLines: 2 });
    expect(text).toBe("line 2\nline 3\n");

    const out = new PassThrough();
    let received = "";
    out.on("data", (d: Buffer) => (received += d.toString()));
    const req = await new Log(kc).log("default", "logs-1", "build", out, { follow: true, tailLines: 1 });
    await until("the tail", () => received === "line 3\n");
    logs.append("default", "logs-1", "build", "line 4");
    await until("a followed line", () => received === "line 3\nline 4\n");
    logs.end("default", "logs-1", "build");
    await until("the stream to end", () => out.writableEnded || out.destroyed);
    req.abort();
  });

  it("creates ImageCache custom resources and validates them against the CRD schema", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ic = (await custom.createClusterCustomObject({
      group: "eci.alibabacloud.com",
      version: "v1",
      plural: "imagecaches",
      body: {
        apiVersion: "eci.alibabacloud.com/v1",
        kind: "ImageCache",
        metadata: { name: "runner-images" },
        spec: { images: ["alpine:3.20"], imageCacheSize: 20 },
      },
    })) as { metadata: { name: string } };
    expect(ic.metadata.name).toBe("runner-images");
    const bad = await custom
      .createClusterCustomObject({
        group: "eci.alibabacloud.com",
        version: "v1",
        plural: "imagecaches",
        body: { apiVersion: "eci.alibabacloud.com/v1", kind: "ImageCache", metadata: { name: "bad" }, spec: {} },
      })
      .catch((e: unknown) => e);
    expect(statusCode(bad)).toBe(422);
    expect(errorBody(bad).message).toBe(
      'ImageCache.eci.alibabacloud.com "bad" is invalid: spec.images: Required value',
    );
  });

  it("watches with Watch from a resourceVersion and gets 410 Expired when it is too old", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    const rv = list.metadata!.resourceVersion!;
    const seen: string[] = [];
    const watch = new Watch(kc);
    const done = new Promise<unknown>((resolve) => {
      void watch
        .watch(
          "/api/v1/namespaces/default/configmaps",
          { resourceVersion: rv, allowWatchBookmarks: true },
          (type, obj: V1ConfigMap) => seen.push(`${type} ${obj.metadata?.name}`),
          resolve,
        )
        .then((req) => {
          watchReq = req;
        });
    });
    let watchReq: AbortController | undefined;
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "watched-1" } } });
    await core.deleteNamespacedConfigMap({ name: "watched-1", namespace: "default" });
    await until("watch events", () => seen.length >= 2);
    expect(seen).toEqual(["ADDED watched-1", "DELETED watched-1"]);
    watchReq?.abort();
    await done;

    // Push the window (20 events, trimmed with some slack) well past rv, then watch from it.
    for (let i = 0; i < 60; i++)
      t.cluster.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `filler-${i}`, namespace: "kube-public" },
      });
    const events: Array<{ type: string; obj: Record<string, unknown> }> = [];
    const ended = await new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(
        "/api/v1/namespaces/default/configmaps",
        { resourceVersion: rv },
        (type, obj) => events.push({ type, obj }),
        resolve,
      );
    });
    expect(ended).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe("ERROR");
    expect(events[0].obj).toMatchObject({ kind: "Status", status: "Failure", reason: "Expired", code: 410 });
    expect(String(events[0].obj.message)).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("runs makeInformer, which relists after a 410 and misses nothing", async () => {
    let lists = 0;
    const informer = makeInformer(kc, "/api/v1/namespaces/default/configmaps", () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: "default" });
    });
    const added = new Set<string>();
    const errors: unknown[] = [];
    let connects = 0;
    informer.on("add", (o: V1ConfigMap) => added.add(o.metadata!.name!));
    informer.on("error", (e: unknown) => errors.push(e));
    informer.on("connect", () => connects++);
    await createCn1();
    await informer.start();
    await until("initial list", () => added.has("cn-1"));

    // The server drops the watch (as on an apiserver timeout); before the informer reconnects,
    // more events happen than the window keeps, so its resourceVersion is gone: 410, then relist.
    t.cluster.closeWatches();
    for (let i = 0; i < 60; i++)
      t.cluster.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `gap-${i}`, namespace: "kube-public" },
      });
    t.cluster.store.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after-gap", namespace: "default" },
    });
    await until("object created during the gap", () => added.has("after-gap"));
    expect(connects).toBeGreaterThanOrEqual(2);
    expect(lists).toBe(2);

    // And it keeps watching after the relist.
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "after-relist" } } });
    await until("object created after the relist", () => added.has("after-relist"));
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(
      expect.arrayContaining(["cn-1", "after-gap", "after-relist"]),
    );
    expect(errors).toEqual([]);
    await informer.stop();
  });
});

describe("demo cluster kill and restart", () => {
  it("keeps objects and resourceVersion, and a watcher resumes without losing an event", async () => {
    const first = await startTestCluster({ persistDelayMs: 20 });
    const { dir } = first;
    const stateDir = `${dir}/state`;
    const port = Number(new URL(first.cluster.url).port);
    let cluster = first.cluster;
    const kc = kubeConfig(cluster.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const startRv = (await core.listNamespacedConfigMap({ namespace: "default" })).metadata!.resourceVersion!;

    // A watcher that reconnects from its last resourceVersion, as a reflector does.
    const seen: Array<{ type: string; name: string; rv: number }> = [];
    let lastRv = startRv;
    let stopped = false;
    let current: AbortController | undefined;
    const loop = (async () => {
      while (!stopped) {
        await new Promise<void>((resolve) => {
          void new Watch(kc)
            .watch(
              "/api/v1/namespaces/default/configmaps",
              { resourceVersion: lastRv, allowWatchBookmarks: true },
              (type, obj: V1ConfigMap) => {
                lastRv = obj.metadata!.resourceVersion!;
                if (type !== "BOOKMARK") seen.push({ type, name: obj.metadata!.name!, rv: Number(lastRv) });
              },
              () => resolve(),
            )
            .then((c) => (current = c))
            .catch(() => resolve());
        });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "before-restart" }, data: { k: "v" } },
    });
    await until("event before restart", () => seen.some((e) => e.name === "before-restart"));
    const uid = (await core.readNamespacedConfigMap({ name: "before-restart", namespace: "default" })).metadata!.uid;
    const rvBefore = cluster.store.resourceVersion;

    await cluster.stop();
    const { startDemoCluster } = await import("../src/index");
    cluster = await startDemoCluster({ port, stateDir, simulate: false, persistDelayMs: 20 });
    try {
      // Written before the watcher is back: it must come from the retained window.
      cluster.store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "while-away", namespace: "default" },
      });
      expect(cluster.store.resourceVersion).toBeGreaterThan(rvBefore);
      await until("event written while the watcher was away", () => seen.some((e) => e.name === "while-away"));
      await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "after-restart" } } });
      await until("event after restart", () => seen.some((e) => e.name === "after-restart"));

      expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual([
        "ADDED before-restart",
        "ADDED while-away",
        "ADDED after-restart",
      ]);
      const rvs = seen.map((e) => e.rv);
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      const kept = await core.readNamespacedConfigMap({ name: "before-restart", namespace: "default" });
      expect(kept.metadata?.uid).toBe(uid);
      expect(kept.data).toEqual({ k: "v" });
    } finally {
      stopped = true;
      current?.abort();
      await cluster.stop();
      await loop;
      await first.stop();
    }
  });
});
