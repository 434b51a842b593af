import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

/**
 * The sync pass against a fake GitLab: jobs of our runner are stored, joined to the monitor's job
 * records, and the ones whose pods nobody saw are backfilled — each job recorded exactly once, however
 * often the pass runs, in parallel or after the pod's own record arrives.
 */

let gitlab: FakeGitlab;
let db: typeof import("@/lib/db.server").db;
let sync: typeof import("@/lib/gitlab/sync.server");
let gitlabConnectionId: string;
let clusterId: string;

const RUNNER = 7;
const now = new Date("2026-12-06T12:00:00Z");
const minutesAgo = (m: number, from = now) => new Date(from.getTime() - m * 60_000).toISOString();

interface FakeJob {
  id: number;
  status: string;
  started_at: string | null;
  finished_at: string | null;
}
const jobs = new Map<number, FakeJob>();
/** Pipeline 50's status as every job's answer names it. */
let pipelineStatus = "running";
const job = (id: number, status: string, started: string | null, finished: string | null) =>
  jobs.set(id, { id, status, started_at: started, finished_at: finished });

function answer(j: FakeJob) {
  return {
    ...j,
    name: `job-${j.id}`,
    stage: "build",
    ref: "main",
    created_at: minutesAgo(120),
    duration: null,
    queued_duration: 3.5,
    web_url: `${gitlab.url}/root/java-demo/-/jobs/${j.id}`,
    user: { id: 1, username: "dev" },
    commit: { id: "abc123", title: "Add feature" },
    pipeline: { id: 50, project_id: 1, ref: "main", sha: "abc123", status: pipelineStatus, source: "push" },
    project: { id: 1, path_with_namespace: "root/java-demo" },
    runner: { id: RUNNER, description: "ask-ci" },
  };
}

beforeAll(async () => {
  useFreshDatabase();
  gitlab = await startFakeGitlab();
  gitlab.tokens.set("glpat-sync", { username: "root", scopes: ["api"] });
  // Two per page, newest first, like GET /runners/:id/jobs?order_by=id&sort=desc.
  gitlab.routes.set(`GET /runners/${RUNNER}/jobs`, ({ query }) => {
    const page = Number(query.get("page") ?? "1");
    const sorted = [...jobs.values()].sort((a, b) => b.id - a.id);
    const items = sorted.slice((page - 1) * 2, page * 2);
    return { body: items.map(answer), headers: { "x-next-page": page * 2 < sorted.length ? String(page + 1) : "" } };
  });
  for (const id of [101, 102, 103, 104, 105, 106]) {
    gitlab.routes.set(`GET /projects/1/jobs/${id}`, () => (jobs.has(id) ? { body: answer(jobs.get(id)!) } : undefined));
  }
  db = (await import("@/lib/db.server")).db;
  (await import("@/lib/gitlab/service.server")).setGitlabClientOptions({
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
  });
  sync = await import("@/lib/gitlab/sync.server");
});

// Each test starts from an empty database with the cluster, the GitLab link and the profile, and a
// GitLab without jobs; the history it needs (firstPass), it makes.
beforeEach(async () => {
  jobs.clear();
  pipelineStatus = "running";
  gitlab.requests.length = 0;
  await emptyDatabase(db);
  const { encryptJson } = await import("@/lib/crypto/encryption.server");
  const cluster = await db.connection.create({
    data: {
      name: "demo",
      server: "https://127.0.0.1:6443",
      authType: "token",
      credentials: encryptJson({ token: "k" }),
    },
  });
  clusterId = cluster.id;
  const connection = await db.gitlabConnection.create({
    data: {
      name: "demo-gitlab",
      url: gitlab.url,
      credentials: encryptJson({ token: "glpat-sync", webhookSecret: "w" }),
    },
  });
  gitlabConnectionId = connection.id;
  await db.runnerProfile.create({
    data: {
      name: "java",
      connectionId: clusterId,
      gitlabConnectionId,
      gitlabRunnerId: RUNNER,
      settings: JSON.stringify({
        cluster: { namespace: "gitlab-runner" },
        gitlab: { runnerName: "ask-ci-java" },
        jobPods: { build: { cpuLimit: "2", memoryLimit: "4Gi" }, helper: { cpuLimit: "0.5", memoryLimit: "1Gi" } },
      }),
    },
  });
});

afterAll(() => gitlab.close());

/** The jobs of the first test and its sync at `now`: 101 backfilled, 102 joined to its pod's record. */
async function firstPass() {
  job(101, "success", minutesAgo(70), minutesAgo(60));
  job(102, "failed", minutesAgo(40), minutesAgo(30));
  job(103, "running", minutesAgo(10), null);
  job(104, "canceled", null, minutesAgo(50));
  job(105, "success", minutesAgo(3), minutesAgo(1));
  await observedRecord(102, "pod-uid-102");
  return sync.syncGitlabConnection(gitlabConnectionId, now);
}

async function observedRecord(jobId: number, podUid: string) {
  return db.jobRecord.create({
    data: {
      podUid,
      connectionId: clusterId,
      namespace: "gitlab-runner",
      podName: `runner-x-project-1-concurrent-0-${jobId}`,
      projectId: "1",
      jobId: String(jobId),
      jobUrl: `${gitlab.url}/root/java-demo/-/jobs/${jobId}`,
      phase: "Vanished",
      createdAt: new Date(minutesAgo(40)),
      finishedAt: new Date(minutesAgo(30)),
      day: "2026-12-06",
      billedSeconds: 600,
      vcpuMilli: 2000,
      memoryMiB: 4096,
      currency: "CNY",
      costMicros: 1000,
    },
  });
}

const recordsOf = (jobId: number) => db.jobRecord.findMany({ where: { jobId: String(jobId) } });

describe("GitLab sync", () => {
  it("stores our runner's jobs, joins the observed record, and backfills only finished jobs old enough", async () => {
    const report = await firstPass();
    expect(report).toEqual({ jobsSeen: 6, linked: 1, backfilled: 1, problem: null });
    expect(await db.gitlabJob.count()).toBe(5);

    const observed = await recordsOf(102);
    expect(observed).toHaveLength(1);
    expect(observed[0]).toMatchObject({
      podUid: "pod-uid-102",
      gitlabJobId: 102,
      gitlabStatus: "failed",
      source: "pod",
    });

    const [backfilled] = await recordsOf(101);
    expect(backfilled).toMatchObject({
      podUid: `gitlab:${gitlabConnectionId}:101`,
      source: "gitlab",
      gitlabStatus: "success",
      phase: "Finished",
      projectPath: "root/java-demo",
      runnerName: "ask-ci-java",
      billedSeconds: 600,
      // 2.5 vCPU / 5 GiB of limits: ECI bills the next supported spec, 4 vCPU.
      vcpuMilli: 4000,
    });
    expect(backfilled.costMicros).toBeGreaterThan(0);
    for (const id of [103, 104, 105]) expect(await recordsOf(id)).toHaveLength(0);
    const stored = await db.gitlabJob.findUniqueOrThrow({
      where: { gitlabConnectionId_jobId: { gitlabConnectionId, jobId: 102 } },
    });
    expect(stored).toMatchObject({
      pipelineId: 50,
      stage: "build",
      userName: "dev",
      commitTitle: "Add feature",
      queuedSeconds: 3.5,
      runnerId: RUNNER,
    });
  });

  it("records nothing twice when the pass runs again, or twice at once", async () => {
    await firstPass();
    const before = await db.jobRecord.count();
    gitlab.requests.length = 0;
    const [a, b] = await Promise.all([
      sync.syncGitlabConnection(gitlabConnectionId, now),
      sync.syncGitlabConnection(gitlabConnectionId, now),
    ]);
    expect(a.backfilled + b.backfilled).toBe(0);
    expect(await db.jobRecord.count()).toBe(before);
    // The cursor: only the first page of the runner's jobs is read again, then the unfinished job.
    expect(gitlab.requests.filter((r) => r.path === `/runners/${RUNNER}/jobs`)).toHaveLength(2);
    expect(gitlab.requests.filter((r) => r.path === "/projects/1/jobs/103")).toHaveLength(2);
  });

  it("picks up what finished meanwhile, and new jobs, after the dashboard was down", async () => {
    await firstPass();
    const later = new Date(now.getTime() + 30 * 60_000);
    job(103, "success", minutesAgo(10), minutesAgo(6, later));
    job(106, "failed", minutesAgo(20, later), minutesAgo(15, later));
    const report = await sync.syncGitlabConnection(gitlabConnectionId, later);
    expect(report.backfilled).toBe(3); // 103, 105, 106
    for (const id of [101, 102, 103, 105, 106]) expect(await recordsOf(id)).toHaveLength(1);
    expect(await recordsOf(104)).toHaveLength(0);
    expect((await recordsOf(103))[0]).toMatchObject({ gitlabStatus: "success", source: "gitlab" });
  });

  it("asks by id for a job a pod named that the runner's list showed only below the cursor (picked after a newer one)", async () => {
    await firstPass(); // the cursor is now at 105
    // The runner then picks up an older pending job (GitLab's fair queue): GET /runners/:id/jobs
    // lists it under 105, where the cursor stops reading. Its pod is seen and recorded.
    job(100, "running", minutesAgo(5), null);
    gitlab.routes.set("GET /projects/1/jobs/100", () => (jobs.has(100) ? { body: answer(jobs.get(100)!) } : undefined));
    await observedRecord(100, "pod-uid-100");
    await sync.syncGitlabConnection(gitlabConnectionId, now); // joins the record to job 100
    job(100, "failed", minutesAgo(5), minutesAgo(1));
    await sync.syncGitlabConnection(gitlabConnectionId, now);
    expect(await db.gitlabJob.findFirst({ where: { jobId: 100 }, select: { status: true } })).toEqual({
      status: "failed",
    });
    const [record] = await recordsOf(100);
    expect(record).toMatchObject({ gitlabJobId: 100, gitlabStatus: "failed", source: "pod" });
    // Asked for by id once it was known and finished: not again on the next pass.
    const asked = gitlab.requests.filter((r) => r.path === "/projects/1/jobs/100").length;
    await sync.syncGitlabConnection(gitlabConnectionId, now);
    expect(gitlab.requests.filter((r) => r.path === "/projects/1/jobs/100")).toHaveLength(asked);
  });

  it("takes a stored pipeline's end from its jobs' answers (no webhooks), and never takes a finished status back", async () => {
    await firstPass();
    const pipeline = () =>
      db.gitlabPipeline.findUniqueOrThrow({
        where: { gitlabConnectionId_pipelineId: { gitlabConnectionId, pipelineId: 50 } },
      });
    expect(await pipeline()).toMatchObject({ status: "running" });
    const later = new Date(now.getTime() + 30 * 60_000);
    job(103, "success", minutesAgo(10), minutesAgo(6, later));
    pipelineStatus = "success";
    await sync.syncGitlabConnection(gitlabConnectionId, later);
    expect(await pipeline()).toMatchObject({ status: "success" });
    // An answer read before the pipeline ended, still naming it running, does not reopen it.
    job(106, "running", minutesAgo(2, later), null);
    pipelineStatus = "running";
    await sync.syncGitlabConnection(gitlabConnectionId, new Date(later.getTime() + 60_000));
    expect(await pipeline()).toMatchObject({ status: "success" });
  });

  it("lets a pod's own record replace the backfilled estimate, keeping the job recorded once", async () => {
    await firstPass();
    expect(await recordsOf(101)).toMatchObject([{ source: "gitlab" }]);
    await observedRecord(101, "pod-uid-101-late");
    const report = await sync.syncGitlabConnection(gitlabConnectionId, new Date(now.getTime() + 60 * 60_000));
    expect(report.linked).toBe(1);
    const records = await recordsOf(101);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      podUid: "pod-uid-101-late",
      source: "pod",
      gitlabStatus: "success",
      gitlabJobId: 101,
    });
  });

  it("asks again for every unfinished job within ceil(unfinished / batch) passes, least recently checked first", async () => {
    // More jobs stuck running than one pass asks about (runners killed mid-job: GitLab keeps them
    // running until it drops them as stuck), stored by earlier passes and checked at various times.
    const stuck = sync.REFRESH_BATCH + 20;
    const firstStuck = 1_000;
    const checkedLongAgo = (i: number) => new Date(now.getTime() - (stuck - i) * 1_000);
    const rows = Array.from({ length: stuck }, (_, i) => ({
      gitlabConnectionId,
      jobId: firstStuck + i,
      projectId: 1,
      projectPath: "root/java-demo",
      pipelineId: 50,
      name: `job-${firstStuck + i}`,
      stage: "build",
      status: "running",
      runnerId: RUNNER,
      // Last checked in no particular order of id (7919 is prime: a permutation of the seconds).
      checkedAt: checkedLongAgo((i * 7919) % stuck),
    }));
    await db.gitlabJob.createMany({ data: rows });
    for (const row of rows) job(row.jobId, "running", minutesAgo(90), null);
    const newest = firstStuck + stuck;
    await db.gitlabRunnerCursor.create({ data: { gitlabConnectionId, runnerId: RUNNER, newestJobId: newest - 1 } });
    for (let id = firstStuck; id <= newest; id++) {
      gitlab.routes.set(`GET /projects/1/jobs/${id}`, () =>
        jobs.has(id) ? { body: answer(jobs.get(id)!) } : undefined,
      );
    }

    // The newest job starts (its pod is recorded), the pass reads it, then it finishes.
    job(newest, "running", minutesAgo(2), null);
    await observedRecord(newest, "pod-uid-newest");
    await sync.syncGitlabConnection(gitlabConnectionId, now);
    expect(await recordsOf(newest)).toMatchObject([{ gitlabJobId: newest, gitlabStatus: null }]);
    job(newest, "success", minutesAgo(2), minutesAgo(1));

    const asked = new Map<string, number>();
    const passes = Math.ceil((stuck + 1) / sync.REFRESH_BATCH);
    for (let pass = 0; pass < passes; pass++) {
      gitlab.requests.length = 0;
      await sync.syncGitlabConnection(gitlabConnectionId, now);
      const jobAsks = gitlab.requests.filter((r) => r.path.startsWith("/projects/1/jobs/"));
      expect(jobAsks.length).toBeLessThanOrEqual(sync.REFRESH_BATCH);
      for (const r of jobAsks) asked.set(r.path, (asked.get(r.path) ?? 0) + 1);
    }
    // Every unfinished job was asked again, and the newest one's record shows GitLab's result.
    expect(asked.size).toBe(stuck + 1);
    expect(await recordsOf(newest)).toMatchObject([{ gitlabJobId: newest, gitlabStatus: "success" }]);
    expect(
      await db.gitlabJob.findUniqueOrThrow({
        where: { gitlabConnectionId_jobId: { gitlabConnectionId, jobId: newest } },
      }),
    ).toMatchObject({ status: "success" });
  }, 60_000);

  it("reports a refused token without losing what it has", async () => {
    await firstPass();
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { id: gitlabConnectionId } });
    gitlab.tokens.delete("glpat-sync");
    try {
      const report = await sync.syncGitlabConnection(gitlabConnectionId, now);
      expect(report.problem).toBe("unauthorized");
      expect(await db.gitlabJob.count()).toBe(5);
      expect(await db.jobRecord.count()).toBe(2);
      expect((await db.gitlabConnection.findUniqueOrThrow({ where: { id: row.id } })).lastError).toBe("unauthorized");
    } finally {
      gitlab.tokens.set("glpat-sync", { username: "root", scopes: ["api"] });
    }
  });
});
