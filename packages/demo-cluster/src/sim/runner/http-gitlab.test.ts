import { describe, expect, it } from "vitest";
import { SeededRandom } from "@ask-ci/seeded-random";
import { isLoopbackUrl, jobFromResponse } from "./http-gitlab";

describe("the GitLab a runner reaches", () => {
  it.each([
    ["http://127.0.0.1:8929/", true],
    ["http://127.5.0.1/", true],
    ["http://localhost:3000", true],
    ["http://[::1]:8929/", true],
    ["https://gitlab.com/", false],
    ["https://127.0.0.1.example.com/", false],
    ["not a url", false],
  ])("%s on this host: %s", (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});

describe("jobFromResponse (a POST /jobs/request 201 body in the simulation's terms)", () => {
  const body = {
    id: 77,
    token: "glcbt-64_job",
    job_info: {
      name: "unit-test",
      stage: "test",
      project_id: 5,
      project_name: "Payments API",
      project_full_path: "acme/backend/payments-api",
      pipeline_id: 900,
      namespace_id: 311,
      root_namespace_id: 97,
    },
    git_info: { ref: "main", sha: "a".repeat(40), before_sha: "b".repeat(40) },
    runner_info: { timeout: 1800 },
    steps: [
      { name: "script", script: ["mvn -B test"] },
      { name: "after_script", script: ["echo done"] },
    ],
    image: { name: "maven:3.9-eclipse-temurin-21" },
    services: [
      { name: "mysql:8.0", alias: "db" },
      { name: "redis:7", alias: null },
    ],
    credentials: [{ type: "registry", url: "127.0.0.1:8929", username: "gitlab-ci-token", password: "glcbt-64_job" }],
  };

  it("keeps what GitLab said: identity, project, commit, image, services, script, timeout, registry login", () => {
    const job = jobFromResponse(body, new SeededRandom(1));
    expect(job).toMatchObject({
      id: 77,
      token: "glcbt-64_job",
      pipelineId: 900,
      name: "unit-test",
      stage: "test",
      project: {
        id: 5,
        path: "acme/backend/payments-api",
        name: "Payments API",
        namespaceId: 311,
        rootNamespaceId: 97,
      },
      ref: "main",
      sha: "a".repeat(40),
      beforeSha: "b".repeat(40),
      image: "maven:3.9-eclipse-temurin-21",
      services: [{ name: "mysql:8.0", alias: "db" }, { name: "redis:7" }],
      timeoutSeconds: 1800,
      credentials: [{ type: "registry", url: "127.0.0.1:8929", username: "gitlab-ci-token", password: "glcbt-64_job" }],
    });
    expect(job.template.script).toEqual([{ command: "mvn -B test", output: [] }]);
  });

  it("draws the length and the script's exit code (seeded), and leaves the image to the runner when GitLab sends none", () => {
    const a = jobFromResponse({ ...body, image: null }, new SeededRandom(3));
    const b = jobFromResponse({ ...body, image: null }, new SeededRandom(3));
    expect(a.simulatedMs).toBe(b.simulatedMs);
    expect(a.simulatedMs).toBeGreaterThanOrEqual(30_000);
    expect(a.simulatedMs).toBeLessThanOrEqual(600_000);
    expect([0, 1]).toContain(a.exitCode);
    expect(a.image).toBeUndefined();
    const codes = Array.from({ length: 400 }, (_, i) => jobFromResponse(body, new SeededRandom(i)).exitCode);
    const failing = codes.filter((c) => c === 1).length / codes.length;
    expect(failing).toBeGreaterThan(0.02);
    expect(failing).toBeLessThan(0.16);
  });
});
