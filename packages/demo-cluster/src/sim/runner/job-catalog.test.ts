import { describe, expect, it } from "vitest";
import { SeededRandom } from "@ask-ci/seeded-random";
import { JobFeed, TEMPLATES, type Job } from "./job-catalog";

describe("JobFeed", () => {
  const jobs: Job[] = [];
  const feed = new JobFeed(new SeededRandom(1), { jobId: 100, pipelineId: 10 });
  for (let i = 0; i < 300; i++) jobs.push(feed.next());
  const byPipeline = new Map<number, Job[]>();
  for (const job of jobs) byPipeline.set(job.pipelineId, [...(byPipeline.get(job.pipelineId) ?? []), job]);

  it("numbers jobs in arrival order", () => {
    expect(jobs.map((j) => j.id)).toEqual(jobs.map((_, i) => 100 + i));
  });

  it("keeps a pipeline's jobs on one project, ref and commit, in stage order", () => {
    expect(byPipeline.size).toBeGreaterThan(30);
    for (const pipelineJobs of byPipeline.values()) {
      const [first] = pipelineJobs;
      for (const job of pipelineJobs)
        expect([job.project.id, job.ref, job.sha]).toEqual([first.project.id, first.ref, first.sha]);
      const order = TEMPLATES[first.project.stack!].map((t) => t.name);
      const names = pipelineJobs.map((j) => j.name);
      expect(names).toEqual(order.filter((name) => names.includes(name)));
    }
  });

  it("deploys only from main", () => {
    const deploys = jobs.filter((j) => j.stage === "deploy");
    expect(deploys.length).toBeGreaterThan(0);
    for (const job of deploys) expect(job.ref).toBe("main");
  });

  it("draws durations between 1 and 15 minutes, a few jobs hanging past their timeout, mostly successful scripts", () => {
    const hanging = jobs.filter((j) => j.simulatedMs > j.timeoutSeconds * 1000);
    expect(hanging.length).toBeGreaterThan(0);
    expect(hanging.length / jobs.length).toBeLessThan(0.1);
    for (const job of jobs.filter((j) => !hanging.includes(j))) {
      expect(job.simulatedMs).toBeGreaterThanOrEqual(60_000);
      expect(job.simulatedMs).toBeLessThanOrEqual(15 * 60_000);
    }
    const failed = jobs.filter((j) => j.exitCode !== 0).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed / jobs.length).toBeLessThan(0.2);
  });

  it("hands out a job token and GitLab's registry login with every job", () => {
    for (const job of jobs) {
      expect(job.token).toMatch(/^glcbt-/);
      expect(job.credentials).toEqual([
        { type: "registry", url: "registry.gitlab.com", username: "gitlab-ci-token", password: job.token },
      ]);
    }
    expect(new Set(jobs.map((j) => j.token)).size).toBe(jobs.length);
  });
});
