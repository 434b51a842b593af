import fs from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { useFreshDatabase } from "@/tests/test-db";

/**
 * `npm run demo` out of the box, on both simulators and the dashboard's own code: the demo cluster's
 * own simulated runners are registered in the demo GitLab (scripts/demo-runner/in-demo-gitlab.ts) and
 * deployed from our manifests; the dashboard's first start registers the cluster, the GitLab and the
 * runners as profiles linked to them (the three bootstrap steps). A pipeline run from the dashboard's
 * code becomes a job pod of the demo's runner through the runner protocol; the live monitor's GitLab
 * facts join the pod to its job and pipeline; the recorder records the pod, deleted while Running, as
 * Finished; the sync pass gives History GitLab's result. The demo cluster at speed 30 (~1 minute).
 */

const NAMESPACE = "gitlab-runner";
let dataDir: string;
let cluster: DemoCluster;
let gitlab: DemoGitlab;
let runnersPath: string;
let kc: KubeConfig;
let db: typeof import("@/lib/db.server").db;
let recorder: import("@/lib/monitor/job-recorder.server").JobRecorder;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  dataDir = useFreshDatabase().dir;
  const { startDemoBackends } = await import("@/scripts/demo");
  const backends = await startDemoBackends(dataDir, {
    clusterPort: 0,
    gitlabPort: 0,
    seed: 7,
    speed: 30,
    failureRate: 0,
    // Only the pipeline the test runs: no pushes of the demo's simulated developers.
    pushesPerHour: 0,
  });
  ({ cluster, gitlab, runnersPath } = backends);
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  process.env.ASK_CI_BOOTSTRAP_KUBECONFIG = backends.kubeconfigPath;
  process.env.ASK_CI_BOOTSTRAP_GITLAB = backends.gitlabInfoPath;
  process.env.ASK_CI_BOOTSTRAP_RUNNERS = runnersPath;
  db = (await import("@/lib/db.server")).db;
  const quiet = () => {};
  await (await import("@/lib/connections/bootstrap.server")).registerBootstrapConnection(quiet);
  await (await import("@/lib/gitlab/bootstrap.server")).registerBootstrapGitlab(quiet);
  await (await import("@/lib/wizard/bootstrap.server")).registerBootstrapRunners(quiet);
});

afterAll(async () => {
  recorder?.stop();
  await recorder?.drain();
  await Promise.all([gitlab?.stop(), cluster?.stop()]);
  for (const name of ["ASK_CI_BOOTSTRAP_KUBECONFIG", "ASK_CI_BOOTSTRAP_GITLAB", "ASK_CI_BOOTSTRAP_RUNNERS"])
    delete process.env[name];
});

describe("npm run demo: the demo's own runners work for the demo GitLab", () => {
  it("registers its runners in the demo GitLab and as linked runner profiles; the tokens stay in the 0600 file", async () => {
    const file = JSON.parse(fs.readFileSync(runnersPath, "utf8")) as {
      runners: Array<{ name: string; gitlabRunnerId: number; settings: { gitlab: { url: string } } }>;
    };
    expect(fs.statSync(runnersPath).mode & 0o777).toBe(0o600);
    expect(file.runners.map((r) => r.name)).toEqual(["ask-ci-demo", "ask-ci-demo-spot"]);
    const gitlabConnection = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } });
    for (const runner of file.runners) {
      expect(runner.settings.gitlab.url).toBe(`${gitlab.url}/`);
      const response = await fetch(`${gitlab.url}/api/v4/runners/${runner.gitlabRunnerId}`, {
        headers: { "private-token": gitlab.info.adminToken },
      });
      expect(((await response.json()) as { description: string }).description).toBe(runner.name);
      expect(await db.runnerProfile.findUniqueOrThrow({ where: { name: runner.name } })).toMatchObject({
        status: "applied",
        gitlabConnectionId: gitlabConnection.id,
        gitlabRunnerId: runner.gitlabRunnerId,
      });
    }
    // The cluster runs those runners with GitLab's tokens and URL (our generated config).
    const config = cluster.store.get({ apiVersion: "v1", kind: "ConfigMap" }, NAMESPACE, "ask-ci-demo-config");
    expect(JSON.stringify(config?.data)).toContain(`url = \\"${gitlab.url}/\\"`);
  });

  it(
    "a pipeline run from the dashboard: the demo's runner takes its job, the live row is joined to job and pipeline, History gets GitLab's result",
    { timeout: 180_000 },
    async () => {
      const clusterId = (await db.connection.findUniqueOrThrow({ where: { name: "demo" } })).id;
      const gitlabConnectionId = (await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } })).id;
      const { JobRecorder } = await import("@/lib/monitor/job-recorder.server");
      const { PodStreamRegistry } = await import("@/lib/monitor/streams.server");
      recorder = new JobRecorder({
        registry: new PodStreamRegistry({ configFor: async () => kc, priceBook: async () => DEFAULT_PRICE_BOOKS.cn }),
        targets: async () => [{ connectionId: clusterId, namespace: NAMESPACE }],
        onError: (message) => console.warn(message),
      });
      recorder.start();

      const pipelines = await import("@/lib/gitlab/pipelines.server");
      const sync = await import("@/lib/gitlab/sync.server");
      const facts = await import("@/lib/gitlab/monitor-facts.server");
      const history = await import("@/lib/job-history/list.server");
      const run = await pipelines.runPipeline(gitlabConnectionId, 1, "main");
      if (!run.ok) throw new Error(run.problem.code);
      const pipelineId = run.value.pipelineId;

      const jobsResponse = await fetch(`${gitlab.url}/api/v4/projects/1/pipelines/${pipelineId}/jobs`, {
        headers: { "private-token": gitlab.info.adminToken },
      });
      const jobIds = ((await jobsResponse.json()) as Array<{ id: number }>).map((j) => String(j.id));

      // The demo cluster's own runner takes the job over the runner protocol and runs it in a job pod.
      const pod = await until("a job pod of the pipeline", async () =>
        cluster.store
          .list({ apiVersion: "v1", kind: "Pod" }, { namespace: NAMESPACE })
          .find((p) => jobIds.includes(p.metadata.annotations?.["job.runner.gitlab.com/id"] ?? "")),
      );
      const jobId = Number(pod.metadata.annotations!["job.runner.gitlab.com/id"]);
      expect(pod.metadata.labels?.["manager.runner.gitlab.com/name"]).toMatch(/^ask-ci-demo(-spot)?$/);
      expect(pod.metadata.annotations?.["job.runner.gitlab.com/url"]).toBe(
        `${gitlab.url}/eci/java-demo/-/jobs/${jobId}`,
      );

      // The live row's join: the sync pass reads the linked runner's jobs; the monitor's facts name
      // the pod's job with its pipeline and status.
      await until("GitLab's job in the monitor's facts", async () => {
        await sync.syncGitlabConnection(gitlabConnectionId);
        const known = await facts.monitorGitlabFacts(clusterId, NAMESPACE, { jobIds: [jobId] });
        return known.jobs.find((j) => j.jobId === jobId && j.pipelineId === pipelineId);
      });

      // The job ends; the runner deletes the pod while Running; History has GitLab's result.
      const finished = await until(
        "the job finished in GitLab",
        async () => {
          const response = await fetch(`${gitlab.url}/api/v4/projects/1/jobs/${jobId}`, {
            headers: { "private-token": gitlab.info.adminToken },
          });
          const job = (await response.json()) as { status: string };
          return job.status === "success" || job.status === "failed" ? job : null;
        },
        90_000,
      );
      const row = await until(
        "History's row with GitLab's result",
        async () => {
          await sync.syncGitlabConnection(gitlabConnectionId);
          const page = await history.queryJobHistory(clusterId, { page: 1, pageSize: 50 });
          return page.rows.find((r) => r.podName === pod.metadata.name && r.result === finished.status);
        },
        90_000,
      );
      expect(row).toMatchObject({ pipelineId, stage: "package", source: "pod" });
      const record = await db.jobRecord.findFirstOrThrow({ where: { podName: pod.metadata.name } });
      expect(record.phase).toBe("Finished");
      expect(fs.existsSync(path.join(dataDir, "bootstrap-runners.json"))).toBe(true);
    },
  );

  it(
    "ECI's SpotToBeReleased on a pod that still runs is a warning on its live row, not an end",
    { timeout: 60_000 },
    async () => {
      const clusterId = (await db.connection.findUniqueOrThrow({ where: { name: "demo" } })).id;
      const name = "spot-job-warned";
      cluster.store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: NAMESPACE,
          labels: { "job.runner.gitlab.com/pod": "runner-x-project-1-concurrent-0" },
          annotations: {
            "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
            "k8s.aliyun.com/eci-image-cache": "true",
          },
        },
        spec: {
          restartPolicy: "Never",
          containers: [{ name: "build", image: "alpine:3.20", command: ["sleep", "600"] }],
        },
      });
      const running = () =>
        cluster.store.get({ apiVersion: "v1", kind: "Pod" }, NAMESPACE, name) as
          import("@/lib/kube/pod").Pod | undefined;
      await until("the pod running", async () => running()?.status?.phase === "Running");
      // The demo's fault injection: ECI warns now and reclaims after the notice (3 minutes here).
      const pod = running()!;
      cluster.store.update({
        ...pod,
        metadata: { ...pod.metadata, annotations: { ...pod.metadata!.annotations, "demo.ask-ci.dev/fail": "killed" } },
      } as never);
      const { podNotices } = await import("@/lib/monitor/pod-notices.server");
      const { noticeForPod } = await import("@/lib/monitor/pod-notices");
      const { toPodSummary } = await import("@/lib/monitor/pod-summary");
      const notices = await until("the notice", async () => {
        const found = await podNotices(clusterId, NAMESPACE);
        return found.some((n) => n.podName === name) ? found : null;
      });
      const row = toPodSummary(running()!, DEFAULT_PRICE_BOOKS.cn);
      expect(row.phase).toBe("Running");
      expect(noticeForPod(row, notices)).toMatchObject({ kind: "spotToBeReleased", podUid: pod.metadata!.uid });
    },
  );
});
