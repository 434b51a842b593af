import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDemoGitlab } from "../src/index";
import { api, createRunner, patchTrace, requestJob, runnerCall } from "./helpers";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-gitlab-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("state dir", () => {
  it("keeps records, tokens, job logs and the OIDC client across a restart", async () => {
    const dir = tempDir();
    const stateDir = path.join(dir, "demo-gitlab");
    const infoPath = path.join(dir, "demo-gitlab.json");
    const options = { port: 0, stateDir, infoPath, pushesPerHour: 0, longPollSeconds: 1, persistDelayMs: 10 };
    const first = await startDemoGitlab(options);
    const runner = await createRunner(first);
    const pipeline = (await api(first, "POST", "/projects/1/pipeline", { body: { ref: "main" } })).body;
    const job = (await requestJob(first, runner.token)).body;
    await patchTrace(first, job, 0, "building\n");
    const info = JSON.parse(fs.readFileSync(infoPath, "utf8"));
    expect(fs.statSync(infoPath).mode & 0o777).toBe(0o600);
    expect(info.adminToken).toBe(first.info.adminToken);
    await first.stop();
    // Secrets are stored as digests only.
    const state = fs.readFileSync(path.join(stateDir, "state.json"), "utf8");
    expect(state).not.toContain(first.info.adminToken);
    expect(state).not.toContain(runner.token);
    expect(state).not.toContain(job.token);

    const second = await startDemoGitlab(options);
    try {
      expect(second.info.adminToken).toBe(first.info.adminToken);
      expect(second.info.oidc.clientSecret).toBe(first.info.oidc.clientSecret);
      expect((await api(second, "GET", `/projects/1/pipelines/${pipeline.id}`)).body.status).toBe("running");
      expect((await api(second, "GET", `/projects/1/jobs/${job.id}/trace`)).text).toBe("building\n");
      expect((await runnerCall(second, "/runners/verify", runner.token)).status).toBe(200);
      // The running job's token still works after the restart, and the log goes on where it was.
      expect((await patchTrace(second, job, 9, "done\n")).headers.get("range")).toBe("0-14");
      const next = (await api(second, "POST", "/projects/1/pipeline", { body: { ref: "main" } })).body;
      expect(next.id).toBe(pipeline.id + 1);
    } finally {
      await second.stop();
    }
  });
});

describe("--seed", () => {
  it("replays the same pushes (commits, branches, authors) from the same seed, and others from another", async () => {
    const pushes = async (seed: number) => {
      const gitlab = await startDemoGitlab({ port: 0, stateDir: null, seed, pushesPerHour: 0 });
      try {
        for (let i = 0; i < 6; i++) for (const project of gitlab.store.data.projects) gitlab.schedule.push(project);
        return gitlab.store.data.projects.map((p) => p.commits.map((c) => [c.sha, c.ref, c.authorName, c.title]));
      } finally {
        await gitlab.stop();
      }
    };
    const a = await pushes(7);
    expect(await pushes(7)).toEqual(a);
    expect(await pushes(8)).not.toEqual(a);
    expect(a[0]).toHaveLength(7);
  });

  it("starts pipelines on schedule, as pushes", async () => {
    const gitlab = await startDemoGitlab({ port: 0, stateDir: null, pushesPerHour: 3600 * 4 });
    try {
      const deadline = Date.now() + 5000;
      while (gitlab.store.data.pipelines.length < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(gitlab.store.data.pipelines.length).toBeGreaterThanOrEqual(3);
      expect(gitlab.store.data.pipelines.every((p) => p.source === "push")).toBe(true);
    } finally {
      await gitlab.stop();
    }
  });
});
