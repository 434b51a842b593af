import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * The demo's fault injection (`demo.ask-ci.dev/fail`) against what the dashboard records, without a
 * browser: the demo cluster with its own runners from our generated manifests (speed 60: a 60-minute
 * job timeout is one minute; spot notice 3 s), the job recorder watching it over HTTPS into a fresh
 * database. A reclaimed spot pod is recorded Vanished (SpotReclaimed) and a job pod left behind by a
 * runner the OOM killer took Vanished (DeadlineExceeded), never Finished; each pod shows the state
 * the platform gave it before it went.
 */
const NS = "gitlab-runner";
const FAIL = "demo.ask-ci.dev/fail";

let cluster: DemoCluster;
let core: CoreV1Api;
let db: typeof import("@/lib/db.server").db;
let recorder: import("@/lib/monitor/job-recorder.server").JobRecorder;
/** Every version of every job pod the cluster wrote, in order (what a watch would deliver). */
const seen = new Map<string, Array<{ type: string; pod: V1Pod }>>();

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const jobPods = (runner: string) =>
  cluster.store
    .list({ apiVersion: "v1", kind: "Pod" }, { namespace: NS })
    .filter((p) => p.metadata.labels?.["manager.runner.gitlab.com/name"] === runner) as unknown as V1Pod[];

async function annotate(name: string, value: string): Promise<void> {
  await core.patchNamespacedPod(
    { namespace: NS, name, body: { metadata: { annotations: { [FAIL]: value } } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

const recordOf = (uid: string) => db.jobRecord.findUnique({ where: { podUid: uid } });

/** Each version of a job pod as "phase/reason", deleted ones marked. */
const versionsOf = (uid: string) =>
  (seen.get(uid) ?? []).map(
    (v) =>
      `${v.type === "DELETED" ? "deleted " : ""}${v.pod.status?.phase}/${v.pod.status?.reason ?? ""}${v.pod.metadata?.deletionTimestamp ? " (deleting)" : ""}`,
  );

beforeAll(async () => {
  useFreshDatabase();
  db = (await import("@/lib/db.server")).db;
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({
    port: 0,
    seed: 7,
    speed: 60,
    spotNoticeMs: 3000,
    jobsPerMinute: 12,
    failureRate: 0,
  });
  cluster.store.subscribe(({ type, object }) => {
    if (object.kind !== "Pod" || !object.metadata.labels?.["job.runner.gitlab.com/pod"]) return;
    const list = seen.get(object.metadata.uid!) ?? [];
    list.push({ type, pod: object as unknown as V1Pod });
    seen.set(object.metadata.uid!, list);
  });
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  const connectionId = (
    await db.connection.create({
      data: { name: "demo", server: cluster.url, authType: "token", credentials: "{}" },
    })
  ).id;
  const { JobRecorder } = await import("@/lib/monitor/job-recorder.server");
  const { PodStreamRegistry } = await import("@/lib/monitor/streams.server");
  recorder = new JobRecorder({
    registry: new PodStreamRegistry({ configFor: async () => kc, priceBook: async () => DEFAULT_PRICE_BOOKS.cn }),
    targets: async () => [{ connectionId, namespace: NS }],
    onError: (message) => console.warn(message),
  });
  recorder.start();
});

afterAll(async () => {
  recorder?.stop();
  await recorder?.drain();
  await cluster?.stop();
});

describe("faults injected into the demo cluster, as the job recorder records them", () => {
  it("a reclaimed spot pod is recorded Vanished (SpotReclaimed)", async () => {
    const pod = await until(
      "a running spot job pod",
      () => jobPods("ask-ci-demo-spot").find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp),
      90_000,
    );
    const uid = pod.metadata!.uid!;
    await annotate(pod.metadata!.name!, "killed");
    const record = await until("the job's record", () => recordOf(uid).then((r) => r ?? undefined), 60_000);
    expect(record).toMatchObject({ phase: "Vanished", reason: "SpotReclaimed" });
    // ECI keeps the pod Failed (BidFailed); the runner's next poll fails the job and deletes it.
    await until(
      "the runner to delete the pod",
      () => (seen.get(uid)?.at(-1)?.type === "DELETED" ? true : undefined),
      10_000,
    );
    const versions = versionsOf(uid);
    expect(versions).toContain("Failed/BidFailed");
    expect(versions.at(-1)).toBe("deleted Failed/BidFailed");
    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.uid=${uid}` });
    expect(events.items.map((e) => e.reason)).toContain("SpotToBeReleased");
  }, 150_000);

  it("a job pod left behind by a runner the OOM killer took is recorded Vanished (DeadlineExceeded)", async () => {
    const pod = await until(
      "a running job pod",
      () => jobPods("ask-ci-demo").find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp),
      90_000,
    );
    const uid = pod.metadata!.uid!;
    const runner = cluster.store
      .list({ apiVersion: "v1", kind: "Pod" }, { namespace: NS })
      .find((p) => p.metadata.labels?.["app.kubernetes.io/instance"] === "ask-ci-demo")!;
    // timeout + 1 (FF_USE_POD_ACTIVE_DEADLINE_SECONDS): at speed 60 the default hour is a minute.
    expect(pod.spec?.activeDeadlineSeconds).toBe(61);
    await annotate(runner.metadata.name, "oom");
    const record = await until("the job's record", () => recordOf(uid).then((r) => r ?? undefined), 100_000);
    expect(record).toMatchObject({ phase: "Vanished", reason: "DeadlineExceeded" });
    // Nobody deletes it: the dead runner cannot, the new runner process does not know it.
    expect(versionsOf(uid).at(-1)).toBe("Failed/DeadlineExceeded");
  }, 150_000);
});
