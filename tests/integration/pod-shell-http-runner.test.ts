import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { openPodShell } from "@/lib/shell/exec.server";
import { demoGitlabAdminApi, deployDemoRunner } from "@/tests/demo-gitlab";
import { until } from "../../packages/demo-cluster/test/demo-cluster-helpers";

/**
 * The terminal's own path to a pod — client-node's exec with a TTY and stdin, as the dashboard opens
 * it — into a job pod of a runner deployed from our manifests that takes its jobs from the demo GitLab
 * over HTTP (the e2e server's kind): the shell's prompt arrives without any input, then a command's
 * output. Written while the e2e terminal spec was failing late in whole runs, to rule this layer out.
 */
let gitlab: DemoGitlab;
let cluster: DemoCluster;
const api: ReturnType<typeof demoGitlabAdminApi> = (path, init) => demoGitlabAdminApi(gitlab)(path, init);

beforeAll(async () => {
  const { startDemoGitlab } = await import("@ask-ci/demo-gitlab");
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  gitlab = await startDemoGitlab({ port: 0, host: "127.0.0.1", stateDir: null, pushesPerHour: 0, longPollSeconds: 2 });
  cluster = await startDemoCluster({
    port: 0,
    host: "127.0.0.1",
    seedWorkload: false,
    speed: 1,
    failureRate: 0,
    jobsPerMinute: 0,
  });
});

afterAll(async () => {
  await cluster?.stop();
  await gitlab?.stop();
});

describe("a terminal into a job pod of a runner that takes its jobs from GitLab over HTTP", () => {
  it("shows the prompt and a command's output", async () => {
    const { token } = await api<{ token: string }>("/user/runners", {
      method: "POST",
      body: { runner_type: "instance_type", run_untagged: true, description: "ask-ci via http" },
    });
    deployDemoRunner(cluster, gitlab, { namespace: "ci-http", token, concurrent: 2 });
    const [project] = await api<Array<{ id: number }>>("/projects?search=java-demo");
    await api(`/projects/${project.id}/pipeline`, { method: "POST", body: { ref: "main" } });
    const config = new KubeConfig();
    config.loadFromString(cluster.kubeconfig);
    const core = config.makeApiClient(CoreV1Api);
    const pod = await until(
      "a running job pod",
      async () =>
        (await core.listNamespacedPod({ namespace: "ci-http" })).items.find(
          (p) => p.metadata?.labels?.["job.runner.gitlab.com/pod"] && p.status?.phase === "Running",
        ),
      90_000,
    );
    let output = "";
    const ended: unknown[] = [];
    const shell = await openPodShell(
      config,
      { namespace: "ci-http", pod: pod.metadata!.name!, container: "build", cols: 120, rows: 30 },
      { output: (data) => (output += data), ended: (end) => ended.push(end) },
    );
    await until("the prompt", () => output.includes("/builds/"), 5_000).catch(() => {
      throw new Error(`no prompt; output so far: ${JSON.stringify(output)}; ended: ${JSON.stringify(ended)}`);
    });
    shell.write("echo hello-$CI_JOB_ID\r");
    await until("the command's output", () => /hello-\d+/.test(output), 5_000);
    shell.close();
    expect(ended).toEqual([]);
  }, 120_000);
});
