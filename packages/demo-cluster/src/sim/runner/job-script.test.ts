import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random";
import { JobFeed, type Job } from "./job-catalog";
import { jobScript } from "./job-script";

function aJob(overrides: Partial<Job> = {}): Job {
  return { ...new JobFeed(new SeededRandom(8), { jobId: 1, pipelineId: 1 }).next(), ...overrides };
}

describe("jobScript", () => {
  it("ends a passing job with the clean-up line and 'Job succeeded', all within the run", () => {
    const script = jobScript(aJob({ exitCode: 0 }), 60_000, { CI_PIPELINE_ID: "9" });
    const lines = script.build.lines;
    expect(lines.slice(-2).map((l) => l.line)).toEqual([
      "Cleaning up project directory and file based variables",
      "Job succeeded",
    ]);
    expect(lines[0].line).toMatch(/^\$ /);
    for (const { atMs } of lines) expect(atMs).toBeLessThanOrEqual(60_000);
    expect(script.build).toMatchObject({ runMs: 60_000, exitCode: 0 });
    expect(script.helper.lines[0].line).toBe("Fetching changes with git depth set to 20...");
  });

  it("ends a failing job with the runner's error line and its exit code", () => {
    const script = jobScript(aJob({ exitCode: 1 }), 30_000, {});
    expect(script.build.exitCode).toBe(1);
    expect(script.build.lines.at(-1)?.line).toBe("ERROR: Job failed: command terminated with exit code 1");
    expect(script.helper.lines.at(-1)?.line).toBe("Uploading artifacts for failed job");
  });

  it("gives every service a container script of its own", () => {
    const script = jobScript(aJob({ services: ["postgres:16", "redis:7"] }), 30_000, {});
    expect(Object.keys(script)).toEqual(["build", "helper", "svc-0", "svc-1"]);
    expect(script["svc-0"].lines.at(-1)?.line).toContain("ready to accept connections");
  });
});
