import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { demoGitlabAdminApi, deployDemoRunner } from "@/tests/demo-gitlab";

/**
 * The demo cluster's simulated runner against the demo GitLab over the runner protocol, deployed
 * from our own generated manifests as the wizard would deploy it: only a token GitLab issued gets
 * jobs, the job pod runs GitLab's job and is deleted while Running, and GitLab has the result and
 * the log. Real HTTP on loopback, the demo cluster at speed 30 (~30 s).
 */
let gitlab: DemoGitlab;
let cluster: DemoCluster;

// Bound at call time: gitlab is started in beforeAll.
const api: ReturnType<typeof demoGitlabAdminApi> = (path, init) => demoGitlabAdminApi(gitlab)(path, init);

type KubeObject = ReturnType<DemoCluster["store"]["list"]>[number];
const podsIn = (namespace: string): KubeObject[] =>
  cluster.store.list({ apiVersion: "v1", kind: "Pod" }, { namespace });

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const { startDemoGitlab } = await import("@ask-ci/demo-gitlab");
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  gitlab = await startDemoGitlab({ port: 0, host: "127.0.0.1", stateDir: null, pushesPerHour: 0, longPollSeconds: 2 });
  cluster = await startDemoCluster({
    port: 0,
    host: "127.0.0.1",
    seedWorkload: false,
    speed: 30,
    failureRate: 0,
    jobsPerMinute: 0,
  });
});

afterAll(async () => {
  await cluster?.stop();
  await gitlab?.stop();
});

describe("simulated runner ↔ demo GitLab over the runner protocol", () => {
  it("runs GitLab's job in a pod it deletes while Running; GitLab gets the result and the log", async () => {
    const { token, id: runnerId } = await api<{ token: string; id: number }>("/user/runners", {
      method: "POST",
      body: { runner_type: "instance_type", run_untagged: true, description: "ask-ci via http" },
    });
    deployDemoRunner(cluster, gitlab, { namespace: "ci-http", token, concurrent: 2 });
    const [project] = await api<Array<{ id: number }>>("/projects?search=java-demo");
    const pipeline = await api<{ id: number }>(`/projects/${project.id}/pipeline`, {
      method: "POST",
      body: { ref: "main" },
    });

    // Every state of the job pods, so the deletion is seen with the pod as it was then.
    const seen: KubeObject[] = [];
    const unsubscribe = cluster.store.subscribe(({ object }) => {
      if (object.kind === "Pod" && object.metadata.labels?.["job.runner.gitlab.com/pod"]) seen.push(object);
    });
    try {
      const pod = await until(
        () => podsIn("ci-http").find((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"]),
        60_000,
      );
      const jobId = Number(pod.metadata.annotations?.["job.runner.gitlab.com/id"]);
      const [first] = await api<Array<{ id: number; name: string }>>(
        `/projects/${project.id}/pipelines/${pipeline.id}/jobs`,
      );
      expect(jobId).toBe(first.id);
      expect(pod.metadata.annotations?.["job.runner.gitlab.com/url"]).toBe(
        `${gitlab.url}/eci/java-demo/-/jobs/${jobId}`,
      );
      expect(pod.metadata.labels?.["project.runner.gitlab.com/id"]).toBe(String(project.id));

      const finished = await until(async () => {
        const job = await api<{ status: string; runner?: { id: number } }>(`/projects/${project.id}/jobs/${jobId}`);
        return job.status === "success" || job.status === "failed" ? job : undefined;
      }, 90_000);
      expect(finished.runner?.id).toBe(runnerId);
      const deleting = await until(
        () => seen.find((p) => p.metadata.name === pod.metadata.name && p.metadata.deletionTimestamp),
        30_000,
      );
      expect((deleting.status as { phase?: string }).phase).toBe("Running");

      const trace = await (
        await fetch(`${gitlab.url}/api/v4/projects/${project.id}/jobs/${jobId}/trace`, {
          headers: { "private-token": gitlab.info.adminToken },
        })
      ).text();
      expect(trace).toContain("$ mvn clean package -DskipTests");
      expect(trace).toMatch(finished.status === "success" ? /Job succeeded/ : /Job failed/);
    } finally {
      unsubscribe();
    }
  }, 180_000);

  it("a token GitLab did not issue gets no jobs: register is refused and the runner never starts", async () => {
    deployDemoRunner(cluster, gitlab, {
      namespace: "ci-bad-token",
      token: "glrt-t1_NotIssuedByThisGitLab0123",
      concurrent: 2,
    });
    const pod = await until(
      () =>
        podsIn("ci-bad-token").find(
          (p) =>
            (p.status as { containerStatuses?: Array<{ restartCount: number }> } | undefined)?.containerStatuses?.[0]
              ?.restartCount,
        ),
      60_000,
    );
    const log = cluster.logs.read("ci-bad-token", pod.metadata.name, "gitlab-runner", { previous: true }) ?? [];
    expect(log.join("\n")).toContain("Verifying runner... is not valid");
    expect(podsIn("ci-bad-token").some((p) => p.metadata.labels?.["job.runner.gitlab.com/pod"])).toBe(false);
  }, 120_000);
});
