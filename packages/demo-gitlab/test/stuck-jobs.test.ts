import { afterEach, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { api, createRunner, patchTrace, requestJob, runnerCall, startTestGitlab, updateJob } from "./helpers";

/**
 * GitLab's stuck-job cleanup (Ci::StuckBuilds::DropRunningService, DropPendingService,
 * DropCancelingService; docs/demo-gitlab.md "Stuck jobs"): a job whose runner went away does not stay
 * running for ever, it fails with stuck_or_timeout_failure an hour after its runner's last update.
 */

const JAVA_DEMO = "eci%2Fjava-demo";
const MINUTE = 60_000;
let clock = Date.parse("2026-12-07T00:00:00Z");
let gitlab: DemoGitlab | undefined;

async function start(options: Parameters<typeof startTestGitlab>[0] = {}) {
  clock = Date.parse("2026-12-07T00:00:00Z");
  gitlab = await startTestGitlab({ now: () => clock, ...options });
  return gitlab;
}

afterEach(async () => {
  await gitlab?.stop();
  gitlab = undefined;
});

const jobOf = async (g: DemoGitlab, id: number) => (await api(g, "GET", `/projects/1/jobs/${id}`)).body;

describe("stuck jobs", () => {
  it("fails a running job its runner stopped updating an hour ago, not one whose runner still patches its log", async () => {
    const g = await start();
    const runner = await createRunner(g);
    const pipeline = (await api(g, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const lost = (await requestJob(g, runner.token)).body;
    await updateJob(g, lost, { state: "running" });
    const other = (await api(g, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const alive = (await requestJob(g, runner.token)).body;
    expect(alive.id).not.toBe(lost.id);

    clock += 59 * MINUTE;
    expect((await patchTrace(g, alive, 0, "still building\n")).status).toBe(202);
    expect(g.ci.dropStuckJobs()).toEqual([]);
    clock += 2 * MINUTE; // lost: 61 minutes without news; alive: 2 minutes
    expect(g.ci.dropStuckJobs().map((j) => j.id)).toEqual([lost.id]);

    expect(await jobOf(g, lost.id)).toMatchObject({ status: "failed", failure_reason: "stuck_or_timeout_failure" });
    expect((await jobOf(g, lost.id)).finished_at).toBe(new Date(clock).toISOString());
    expect((await jobOf(g, alive.id)).status).toBe("running");
    // The pipeline moves on as for any failure: later stages skipped, the pipeline failed.
    expect((await api(g, "GET", `/projects/1/pipelines/${pipeline.id}`)).body.status).toBe("failed");
    expect((await api(g, "GET", `/projects/1/pipelines/${other.id}`)).body.status).toBe("running");
    // A runner that comes back is told the job is over.
    const late = await updateJob(g, lost, { state: "running" });
    expect(late.status).toBe(403);
    expect(late.headers.get("job-status")).toBe("failed");
  });

  it("fails a job pending for a day, and a canceling job its runner never ended within an hour", async () => {
    const g = await start();
    // A runner that cancels gracefully takes the first pipeline's job; nobody asks for the second's.
    const first = (await api(g, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const runner = await createRunner(g);
    const graceful = { system_id: "s_graceful", info: { features: { cancel_gracefully: true } } };
    expect((await runnerCall(g, "/jobs/request", runner.token, graceful)).status).toBe(201);
    const second = (await api(g, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const [pendingJob] = (await api(g, "GET", `/projects/1/pipelines/${second.id}/jobs`)).body;
    expect(pendingJob.status).toBe("pending");
    const [canceling] = (await api(g, "GET", `/projects/1/pipelines/${first.id}/jobs`)).body;
    expect(canceling.status).toBe("running");
    // Asked to cancel, its runner (gone) never ends it.
    await api(g, "POST", `/projects/1/jobs/${canceling.id}/cancel`);
    expect((await jobOf(g, canceling.id)).status).toBe("canceling");

    clock += 61 * MINUTE;
    expect(g.ci.dropStuckJobs().map((j) => j.id)).toEqual([canceling.id]);
    expect(await jobOf(g, canceling.id)).toMatchObject({
      status: "failed",
      failure_reason: "stuck_or_timeout_failure",
    });
    expect((await jobOf(g, pendingJob.id)).status).toBe("pending");
    clock += 23 * 60 * MINUTE;
    expect(g.ci.dropStuckJobs().map((j) => j.id)).toEqual([pendingJob.id]);
    expect(await jobOf(g, pendingJob.id)).toMatchObject({
      status: "failed",
      failure_reason: "stuck_or_timeout_failure",
    });
  });

  it("takes other timeouts and check interval when configured (GitLab's by default)", async () => {
    const g = await start({ stuckJobs: { runningMs: 5 * MINUTE, checkEveryMs: 20 } });
    const runner = await createRunner(g);
    await api(g, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    const job = (await requestJob(g, runner.token)).body;
    clock += 4 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await jobOf(g, job.id)).status).toBe("running");
    clock += 2 * MINUTE;
    await expect.poll(async () => (await jobOf(g, job.id)).status, { timeout: 2_000, interval: 20 }).toBe("failed");
    expect((await jobOf(g, job.id)).failure_reason).toBe("stuck_or_timeout_failure");
  });
});
