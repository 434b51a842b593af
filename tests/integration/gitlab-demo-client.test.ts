import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoGitlab } from "@ask-ci/demo-gitlab";
import { startQuietDemoGitlab } from "@/tests/demo-gitlab";
import { GitlabClient } from "@/lib/gitlab/client.server";
import { GitlabApiError } from "@/lib/gitlab/problems";

/**
 * Our GitLab client against the demo GitLab (packages/demo-gitlab), over HTTP as against gitlab.com:
 * every endpoint the dashboard uses, pagination, rate limits and the error answers.
 */

let gitlab: DemoGitlab;
let admin: GitlabClient;
const sleeps: number[] = [];
const fast = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 };

beforeAll(async () => {
  gitlab = await startQuietDemoGitlab();
  admin = new GitlabClient({ url: gitlab.url, token: gitlab.info.adminToken }, fast);
});

afterAll(async () => {
  await gitlab?.stop();
});

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitlabApiError);
  return (error as GitlabApiError).problem;
}

describe("our GitLab client against the demo GitLab", () => {
  it("reads the version, the user and the token's scopes", async () => {
    expect((await admin.version()).version).toBe(gitlab.info.version);
    expect((await admin.currentUser()).username).toBe("root");
    const token = await admin.tokenSelf();
    expect(token.scopes).toEqual(expect.arrayContaining(["api", "create_runner", "manage_runner"]));
    expect(token.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("pages through projects one per page", async () => {
    const projects = await admin.list("/projects", (await import("@/lib/gitlab/schemas")).projectSchema, {
      per_page: 1,
      order_by: "id",
      sort: "asc",
    });
    expect(projects.map((p) => p.path_with_namespace)).toEqual(
      expect.arrayContaining([
        "eci/java-demo",
        "acme/backend/payments-api",
        "acme/web/storefront",
        "acme/platform/infra",
      ]),
    );
    expect(new Set(projects.map((p) => p.id)).size).toBe(projects.length);
  });

  it("creates a runner, verifies its token, reads its status, rotates the token and deletes it", async () => {
    const created = await admin.createUserRunner({
      runnerType: "project_type",
      projectId: 1,
      description: "ask-ci test runner",
      tagList: ["ask", "eci"],
      runUntagged: true,
      locked: true,
      paused: false,
      maximumTimeout: 3600,
    });
    expect(created.token).toMatch(/^glrt-/);
    expect(await admin.verifyRunnerToken(created.token)).toMatchObject({ id: created.id });
    const runner = await admin.runner(created.id);
    expect(runner).toMatchObject({ id: created.id, description: "ask-ci test runner", paused: false, locked: true });
    expect(runner.tag_list?.sort()).toEqual(["ask", "eci"]);
    const reset = await admin.resetRunnerToken(created.id);
    expect(reset.token).not.toBe(created.token);
    expect((await problemOf(admin.verifyRunnerToken(created.token))).code).toBe("forbidden");
    await admin.deleteRunner(created.id);
    expect((await problemOf(admin.runner(created.id))).code).toBe("notFound");
  });

  it("runs a pipeline, lists its jobs, cancels and retries one", async () => {
    const pipeline = await admin.createPipeline(1, "main");
    expect(pipeline).toMatchObject({ project_id: 1, ref: "main" });
    const jobs = await admin.pipelineJobs(1, pipeline.id);
    expect(jobs.map((j) => j.stage)).toEqual(expect.arrayContaining(["package"]));
    const first = jobs.find((j) => j.status === "pending")!;
    expect((await admin.cancelJob(1, first.id)).status).toMatch(/^cancel/);
    const retried = await admin.retryJob(1, first.id);
    expect(retried.id).not.toBe(first.id);
    expect(retried.name).toBe(first.name);
    expect(await admin.job(1, retried.id)).toMatchObject({ id: retried.id, pipeline: { id: pipeline.id } });
  });

  it("registers a project hook", async () => {
    const hook = await admin.addProjectHook(1, {
      url: "http://127.0.0.1:9/hook",
      token: "s3cret",
      enableSslVerification: false,
    });
    expect(hook).toMatchObject({ job_events: true, pipeline_events: true });
    expect((await admin.projectHooks(1)).map((h) => h.id)).toContain(hook.id);
  });

  it("answers 401, 403 and 404 as their own problems", async () => {
    const wrong = new GitlabClient({ url: gitlab.url, token: "glpat-wrong" }, fast);
    expect((await problemOf(wrong.version())).code).toBe("unauthorized");
    const readOnly = new GitlabClient({ url: gitlab.url, token: gitlab.info.readOnlyToken }, fast);
    const forbidden = await problemOf(
      readOnly.createUserRunner({
        runnerType: "instance_type",
        description: "x",
        tagList: [],
        runUntagged: true,
        locked: false,
        paused: false,
      }),
    );
    expect(forbidden).toMatchObject({ code: "forbidden", params: { status: 403 } });
    expect((await problemOf(admin.project(999_999))).code).toBe("notFound");
  });

  it("waits as GitLab's rate limit says, then goes on", async () => {
    const { startDemoGitlab } = await import("@ask-ci/demo-gitlab");
    const limited = await startDemoGitlab({
      port: 0,
      stateDir: null,
      pushesPerHour: 0,
      longPollSeconds: 0,
      rateLimitPerMinute: 3,
      // A frozen clock ten seconds into a minute: the four requests share one rate-limit window
      // (with the wall clock they could straddle a minute and never be limited).
      now: () => Date.parse("2026-12-06T10:00:10Z"),
    });
    try {
      sleeps.length = 0;
      let realWaits = 0;
      const client = new GitlabClient(
        { url: limited.url, token: limited.info.adminToken },
        {
          // Waits are recorded, not slept: the test must not take a minute.
          sleep: async (ms) => void (sleeps.push(ms), realWaits++),
          random: () => 0,
          retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 120_000 },
        },
      );
      for (let i = 0; i < 3; i++) await client.version();
      // Remaining is 0 now: the client holds the next request until the reset instead of spending it.
      await client.version().catch(() => undefined);
      expect(realWaits).toBeGreaterThan(0);
      expect(sleeps.some((ms) => ms > 1_000 && ms <= 60_000)).toBe(true);
    } finally {
      await limited.stop();
    }
  });
});
