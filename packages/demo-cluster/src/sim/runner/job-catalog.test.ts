import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random";
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
      const order = TEMPLATES[first.project.stack].map((t) => t.name);
      const names = pipelineJobs.map((j) => j.name);
      expect(names).toEqual(order.filter((name) => names.includes(name)));
    }
  });

  it("deploys only from main", () => {
    const deploys = jobs.filter((j) => j.stage === "deploy");
    expect(deploys.length).toBeGreaterThan(0);
    for (const job of deploys) expect(job.ref).toBe("main");
  });

  it("draws durations between 1 and 15 minutes and mostly successful scripts", () => {
    for (const job of jobs) {
      expect(job.simulatedMs).toBeGreaterThanOrEqual(60_000);
      expect(job.simulatedMs).toBeLessThanOrEqual(15 * 60_000);
    }
    const failed = jobs.filter((j) => j.exitCode !== 0).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed / jobs.length).toBeLessThan(0.2);
  });
});
