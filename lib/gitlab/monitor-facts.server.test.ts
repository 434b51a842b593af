import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { useFreshDatabase } from "@/tests/test-db";

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
});

afterAll(() => gitlab.close());

describe("the monitor's GitLab facts", () => {
  it("lists this cluster's linked runners in the namespace with GitLab's status, or GitLab's refusal", async () => {
    const answer = await facts.monitorGitlabFacts(clusterId, "gitlab-runner", [], 1_000_000);
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
    const answer = await facts.monitorGitlabFacts(clusterId, "gitlab-runner", [101, 555], 1_000_000);
    expect(answer.jobs.map((j) => [j.jobId, j.status])).toEqual([
      [101, "success"],
      [100, "running"],
    ]);
  });

  it("asks GitLab for a runner's status once per 30 seconds, whoever is watching", async () => {
    const before = statusCalls();
    await facts.monitorGitlabFacts(clusterId, "gitlab-runner", [], 1_010_000);
    expect(statusCalls()).toBe(before);
    await facts.monitorGitlabFacts(clusterId, "gitlab-runner", [], 1_031_000);
    expect(statusCalls()).toBe(before + 1);
  });

  it("has nothing to say about a namespace without linked runners", async () => {
    expect(await facts.monitorGitlabFacts(clusterId, "default", [100])).toEqual({
      runners: [],
      instances: [],
      jobs: [],
    });
  });
});
