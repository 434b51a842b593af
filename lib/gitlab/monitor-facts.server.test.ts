import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { useFreshDatabase } from "@/tests/test-db";
import { monitorGitlabQuerySchema } from "@/lib/monitor/validation";
import {
  MONITOR_GITLAB_PAGE,
  collectMonitorGitlabFacts,
  pageRequestParams,
  type MonitorGitlabPageRequest,
} from "./monitor-facts-pages";
import { monitorOrphans, type MonitorPod } from "./monitor-orphans";

/**
 * The monitor's GitLab facts: our runner profiles of this cluster and namespace with GitLab's status
 * (asked once per 30 s however many viewers), and the stored jobs the orphan rules need.
 */

let gitlab: FakeGitlab;
let facts: typeof import("./monitor-facts.server");
let db: typeof import("@/lib/db.server").db;
let clusterId: string;
let otherClusterId: string;
let gitlabConnectionId: string;
let bigClusterId: string;

/**
 * What the browser does (use-monitor-gitlab.ts) minus HTTP: page by page, each request through the
 * route's query schema and each answer through JSON.
 */
function collect(connectionId: string, namespace: string, jobIds: number[], now?: number) {
  const requests: MonitorGitlabPageRequest[] = [];
  const result = collectMonitorGitlabFacts(jobIds, async (request) => {
    requests.push(request);
    const query = monitorGitlabQuerySchema.parse({ cluster: "demo", namespace, ...pageRequestParams(request) });
    const ask = query.jobs.length > 0 ? { jobIds: query.jobs } : { activeAfter: query.after };
    return JSON.parse(JSON.stringify(await facts.monitorGitlabFacts(connectionId, namespace, ask, now)));
  });
  return { result, requests };
}

const statusCalls = () => gitlab.requests.filter((r) => r.path === "/runners/7").length;

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startFakeGitlab();
  gitlab.tokens.set("glpat-m", { username: "root", scopes: ["api"] });
  gitlab.routes.set("GET /runners/7", () => ({
    body: {
      id: 7,
      description: "ask-ci",
      paused: false,
      online: true,
      status: "online",
      contacted_at: "2026-12-06T11:59:00Z",
    },
  }));
  gitlab.routes.set("GET /runners/7/managers", () => ({
    body: [{ id: 1, system_id: "s_1", version: "17.11.0", contacted_at: "2026-12-06T11:59:30Z", status: "online" }],
  }));
  // Runner 8 was deleted in GitLab behind our back.
  gitlab.routes.set("GET /runners/8", () => ({ status: 404, body: { message: "404 Not found" } }));
  db = (await import("@/lib/db.server")).db;
  const { encryptJson } = await import("@/lib/crypto/encryption.server");
  (await import("./service.server")).setGitlabClientOptions({
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
  });
  facts = await import("./monitor-facts.server");
  const cluster = (name: string) =>
    db.connection.create({ data: { name, server: `https://${name}`, authType: "token", credentials: "{}" } });
  clusterId = (await cluster("demo")).id;
  otherClusterId = (await cluster("other")).id;
  gitlabConnectionId = (
    await db.gitlabConnection.create({
      data: { name: "gl", url: gitlab.url, credentials: encryptJson({ token: "glpat-m", webhookSecret: "w" }) },
    })
  ).id;
  const profile = (name: string, connectionId: string, runnerId: number | null, namespace = "gitlab-runner") =>
    db.runnerProfile.create({
      data: {
        name,
        connectionId,
        gitlabConnectionId: runnerId === null ? null : gitlabConnectionId,
        gitlabRunnerId: runnerId,
        settings: JSON.stringify({ cluster: { namespace, instanceName: `${name}-instance` } }),
      },
    });
  await profile("java", clusterId, 7);
  await profile("gone", clusterId, 8);
  await profile("unlinked", clusterId, null);
  await profile("elsewhere", otherClusterId, 9);
  await profile("other-namespace", clusterId, 10, "ci");
  const job = (jobId: number, status: string, runnerId: number) =>
    db.gitlabJob.create({
      data: { gitlabConnectionId, jobId, projectId: 1, name: `job-${jobId}`, stage: "build", status, runnerId },
    });
  await job(100, "running", 7);
  await job(101, "success", 7);
  await job(102, "failed", 7);
  await job(103, "running", 9);
  await job(104, "pending", 7);
  bigClusterId = (await cluster("big")).id;
  await profile("big", bigClusterId, 70);
});

afterAll(() => gitlab.close());

describe("the monitor's GitLab facts", () => {
  it("lists this cluster's linked runners in the namespace with GitLab's status, or GitLab's refusal", async () => {
    const answer = await facts.monitorGitlabFacts(clusterId, "gitlab-runner", { activeAfter: null }, 1_000_000);
    expect(answer.runners).toEqual([
      expect.objectContaining({
        profileName: "gone",
        instanceName: "gone-instance",
        runnerId: 8,
        status: null,
        problem: expect.objectContaining({ code: "notFound" }),
      }),
      expect.objectContaining({
        profileName: "java",
        instanceName: "java-instance",
        namespace: "gitlab-runner",
        runnerId: 7,
        status: { online: true, paused: false, contactedAt: "2026-12-06T11:59:00Z", version: "17.11.0" },
        problem: null,
      }),
    ]);
    expect(answer.instances).toEqual([{ id: gitlabConnectionId, url: gitlab.url }]);
  });

  it("gives the jobs running on these runners and those of the live pods asked about, nothing else", async () => {
    const answer = await collect(clusterId, "gitlab-runner", [101, 555], 1_000_000).result;
    expect(answer.jobs.map((j) => [j.jobId, j.status])).toEqual([
      [100, "running"],
      [101, "success"],
    ]);
  });

  it("asks GitLab for a runner's status once per 30 seconds, whoever is watching", async () => {
    // Its own first look at t = 1,000 s, whichever test ran before (one that looked at the same
    // moment has cached the status already, and then this one asks nothing).
    await facts.monitorGitlabFacts(clusterId, "gitlab-runner", { activeAfter: null }, 1_000_000);
    const before = statusCalls();
    await facts.monitorGitlabFacts(clusterId, "gitlab-runner", { activeAfter: null }, 1_010_000);
    expect(statusCalls()).toBe(before);
    await facts.monitorGitlabFacts(clusterId, "gitlab-runner", { activeAfter: null }, 1_031_000);
    expect(statusCalls()).toBe(before + 1);
  });

  it("has nothing to say about a namespace without linked runners", async () => {
    expect(await facts.monitorGitlabFacts(clusterId, "default", { jobIds: [100] })).toEqual({
      runners: [],
      instances: [],
      jobs: [],
      nextActive: null,
    });
    const { result, requests } = collect(clusterId, "default", [100]);
    expect(await result).toEqual({ runners: [], instances: [], jobs: [] });
    expect(requests).toHaveLength(1);
  });

  it("joins every one of 2,500 pods to its job and pages its 2,300 running jobs, each request within the cap", async () => {
    const started = new Date(0);
    const finished = new Date(10_000);
    const rows = (from: number, count: number, status: string) =>
      Array.from({ length: count }, (_, i) => ({
        gitlabConnectionId,
        jobId: from + i,
        projectId: 1,
        name: `job-${from + i}`,
        stage: "build",
        status,
        runnerId: 70,
        startedAt: started,
        finishedAt: status === "success" ? finished : null,
      }));
    // 2,500 pods: 1,300 whose jobs ended long ago (orphans), 1,200 whose jobs still run.
    await db.gitlabJob.createMany({ data: rows(10_000, 1_300, "success") });
    await db.gitlabJob.createMany({ data: rows(11_300, 1_200, "running") });
    // 1,100 more jobs run on our runner without any pod.
    await db.gitlabJob.createMany({ data: rows(20_000, 1_100, "running") });
    const podIds = Array.from({ length: 2_500 }, (_, i) => 10_000 + i);
    const pods: MonitorPod[] = podIds.map((id) => ({
      uid: `uid-${id}`,
      name: `runner-big-project-1-concurrent-0-${id}`,
      namespace: "gitlab-runner",
      phase: "Running",
      deletingAt: null,
      createdAt: 0,
      jobId: String(id),
      projectId: "1",
      jobUrl: `${gitlab.url}/group/app/-/jobs/${id}`,
    }));

    const { result, requests } = collect(bigClusterId, "gitlab-runner", podIds, 1_000_000);
    const answer = await result;

    expect(answer.jobs).toHaveLength(2_500 + 1_100);
    expect(new Set(answer.jobs.map((j) => j.jobId)).size).toBe(3_600);
    // Three chunks of pod job ids, three pages of the 2,300 running jobs; none over the route's cap.
    expect(requests.filter((r) => "jobs" in r).map((r) => ("jobs" in r ? r.jobs.length : 0))).toEqual([
      1_000, 1_000, 500,
    ]);
    expect(requests.filter((r) => "after" in r)).toHaveLength(3);
    expect(MONITOR_GITLAB_PAGE).toBe(1_000);
    const orphans = monitorOrphans(pods, answer, new Date("2026-12-06T12:00:00Z"));
    expect(orphans.podsWithoutJobs.map((o) => o.pod.uid).sort()).toEqual(
      podIds.slice(0, 1_300).map((id) => `uid-${id}`),
    );
    expect(orphans.jobsWithoutPods.map((o) => o.job.jobId)).toEqual(
      Array.from({ length: 1_100 }, (_, i) => 20_000 + i),
    );
  });
});
