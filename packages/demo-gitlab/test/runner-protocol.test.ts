import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { api, createRunner, patchTrace, requestJob, runnerCall, startTestGitlab, updateJob } from "./helpers";

let gitlab: DemoGitlab;
beforeEach(async () => {
  gitlab = await startTestGitlab();
});
afterEach(async () => {
  await gitlab.stop();
});

const JAVA_DEMO = "eci%2Fjava-demo";

describe("runner protocol", () => {
  it("verifies a runner token from POST /user/runners and refuses unknown ones with 403", async () => {
    const runner = await createRunner(gitlab);
    expect(runner.token).toMatch(/^glrt-/);
    const ok = await runnerCall(gitlab, "/runners/verify", runner.token);
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(runner.id);
    const headerOnly = await fetch(`${gitlab.info.apiUrl}/runners/verify`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "RUNNER-TOKEN": runner.token },
      body: "{}",
    });
    expect(headerOnly.status).toBe(400);
    expect(await headerOnly.json()).toEqual({ error: "token is missing" });
    const bad = await runnerCall(gitlab, "/runners/verify", "glrt-not-a-token");
    expect(bad.status).toBe(403);
    expect(bad.body).toEqual({ message: "403 Forbidden" });
    // The runner manager (system_id) and its version show on the runner.
    const details = await api(gitlab, "GET", `/runners/${runner.id}`);
    expect(details.body.version).toBe("18.6.0");
    expect(details.body.status).toBe("online");
  });

  it("answers 204 with X-GitLab-Last-Update when there is nothing, and 201 with the job payload when there is", async () => {
    const runner = await createRunner(gitlab);
    const empty = await requestJob(gitlab, runner.token);
    expect(empty.status).toBe(204);
    const lastUpdate = empty.headers.get("x-gitlab-last-update");
    expect(lastUpdate).toBeTruthy();

    const pipeline = await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    expect(pipeline.status).toBe(201);
    const got = await requestJob(gitlab, runner.token, { last_update: lastUpdate });
    expect(got.status).toBe(201);
    const job = got.body;
    expect(job.token).toMatch(/^glcbt-/);
    expect(job.job_info).toMatchObject({
      name: "mvn_package_job",
      stage: "package",
      project_id: 1,
      pipeline_id: pipeline.body.id,
    });
    expect(job.image.name).toBe("registry.cn-hangzhou.aliyuncs.com/eci/maven:3.6.3-jdk-8");
    expect(job.steps[0]).toMatchObject({ name: "script", when: "on_success", timeout: 3600 });
    expect(job.steps[0].script).toEqual(["mvn clean package -DskipTests", "cp -f target/demo.war /cache"]);
    expect(job.git_info).toMatchObject({ ref: "main", sha: pipeline.body.sha, ref_type: "branch" });
    expect(job.git_info.repo_url).toContain(`gitlab-ci-token:${job.token}@`);
    expect(job.cache[0].paths).toEqual(["/cache"]);
    const vars = Object.fromEntries(job.variables.map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(vars).toMatchObject({
      CI: "true",
      GITLAB_CI: "true",
      CI_JOB_ID: String(job.id),
      CI_JOB_TOKEN: job.token,
      CI_PIPELINE_ID: String(pipeline.body.id),
      CI_PROJECT_PATH: "eci/java-demo",
      CI_COMMIT_REF_NAME: "main",
      CI_COMMIT_BRANCH: "main",
      CI_PIPELINE_SOURCE: "api",
      CI_SERVER_URL: gitlab.url,
      CI_RUNNER_ID: String(runner.id),
      kube_config: "ZGVtbzogdHJ1ZQo=",
    });
    expect(job.variables.find((v: { key: string }) => v.key === "CI_JOB_TOKEN").masked).toBe(true);
    // The job now runs on that runner.
    const rest = await api(gitlab, "GET", `/projects/1/jobs/${job.id}`);
    expect(rest.body.status).toBe("running");
    expect(rest.body.runner.id).toBe(runner.id);
  });

  it("holds a request with the current last_update until the runner's queue ticks, then lets it ask again (long polling)", async () => {
    await gitlab.stop();
    gitlab = await startTestGitlab({ longPollSeconds: 5 });
    const runner = await createRunner(gitlab);
    const first = await requestJob(gitlab, runner.token);
    expect(first.headers.get("gitlab-ci-builds-polling")).toBe("yes");
    const lastUpdate = first.headers.get("x-gitlab-last-update");
    const started = Date.now();
    const waiting = requestJob(gitlab, runner.token, { last_update: lastUpdate });
    await new Promise((r) => setTimeout(r, 300));
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    // Workhorse answers the held request itself: 204, no new X-GitLab-Last-Update…
    const released = await waiting;
    expect(released.status).toBe(204);
    expect(released.headers.get("x-gitlab-last-update")).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(4000);
    // …and the runner, asking again with the same value, gets the job from Rails.
    const got = await requestJob(gitlab, runner.token, { last_update: lastUpdate });
    expect(got.status).toBe(201);
    expect(got.headers.get("gitlab-ci-builds-polling")).toBe("yes");
  });

  it("does not release a runner for a job it cannot take", async () => {
    await gitlab.stop();
    gitlab = await startTestGitlab({ longPollSeconds: 2 });
    const other = await createRunner(gitlab, { runner_type: "project_type", project_id: 2 });
    const first = await requestJob(gitlab, other.token);
    const started = Date.now();
    const waiting = requestJob(gitlab, other.token, { last_update: first.headers.get("x-gitlab-last-update") });
    await new Promise((r) => setTimeout(r, 200));
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    expect((await waiting).status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("times a long poll out with 204 (from Workhorse: no X-GitLab-Last-Update), leaving the runner's contact time alone", async () => {
    const runner = await createRunner(gitlab);
    const first = await requestJob(gitlab, runner.token);
    const contacted = gitlab.store.runner(runner.id)!.contactedAt;
    const lastUpdate = first.headers.get("x-gitlab-last-update");
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const second = await requestJob(gitlab, runner.token, { last_update: lastUpdate });
    expect(second.status).toBe(204);
    expect(second.headers.get("x-gitlab-last-update")).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(gitlab.store.runner(runner.id)!.contactedAt).toBe(contacted);
  });

  it("answers at once, without long polling, when it is turned off", async () => {
    await gitlab.stop();
    gitlab = await startTestGitlab({ longPollSeconds: 0 });
    const runner = await createRunner(gitlab);
    const first = await requestJob(gitlab, runner.token);
    expect(first.headers.get("gitlab-ci-builds-polling")).toBeNull();
    const lastUpdate = first.headers.get("x-gitlab-last-update");
    const second = await requestJob(gitlab, runner.token, { last_update: lastUpdate });
    expect(second.status).toBe(204);
    expect(second.headers.get("x-gitlab-last-update")).toBe(lastUpdate);
  });

  it("appends trace patches at the right offset, 416 with Range on a gap, rewrites on an earlier offset", async () => {
    const runner = await createRunner(gitlab);
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    const job = (await requestJob(gitlab, runner.token)).body;
    const first = await patchTrace(gitlab, job, 0, "Running with gitlab-runner\n");
    expect(first.status).toBe(202);
    expect(first.headers.get("range")).toBe("0-27");
    expect(first.headers.get("job-status")).toBe("running");
    expect(first.headers.get("x-gitlab-trace-update-interval")).toBe("60");
    const gap = await patchTrace(gitlab, job, 100, "lost");
    expect(gap.status).toBe(416);
    expect(gap.headers.get("range")).toBe("0-27");
    const next = await patchTrace(gitlab, job, 27, "$ mvn clean package\n");
    expect(next.headers.get("range")).toBe("0-47");
    const rewind = await patchTrace(gitlab, job, 27, "$ mvn -B package\n");
    expect(rewind.headers.get("range")).toBe("0-44");
    const trace = await api(gitlab, "GET", `/projects/1/jobs/${job.id}/trace`);
    expect(trace.text).toBe("Running with gitlab-runner\n$ mvn -B package\n");
    // Someone reading the live trace makes the runner send more often.
    const watched = await patchTrace(gitlab, job, 44, "x");
    expect(watched.headers.get("x-gitlab-trace-update-interval")).toBe("3");
    const missing = await fetch(`${gitlab.info.apiUrl}/jobs/${job.id}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": job.token },
      body: "x",
    });
    expect(missing.status).toBe(400);
  });

  it("moves the pipeline on as jobs finish: package → build → deploy, then success", async () => {
    const runner = await createRunner(gitlab);
    const pipeline = (await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = (await requestJob(gitlab, runner.token)).body;
      names.push(job.job_info.name);
      expect((await updateJob(gitlab, job, { state: "running" })).status).toBe(200);
      const done = await updateJob(gitlab, job, { state: "success", exit_code: 0 });
      expect(done.status).toBe(200);
      expect(done.text).toBe("200");
      expect(done.headers.get("x-gitlab-trace-update-interval")).toBe("60");
    }
    expect(names).toEqual(["mvn_package_job", "build_and_publish_docker_image_job", "deploy_k8s_job"]);
    const finished = await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}`);
    expect(finished.body.status).toBe("success");
    expect(finished.body.finished_at).toBeTruthy();
    expect((await requestJob(gitlab, runner.token)).status).toBe(204);
  });

  it("records a failure with its reason and skips later stages", async () => {
    const runner = await createRunner(gitlab);
    const pipeline = (await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const job = (await requestJob(gitlab, runner.token)).body;
    await updateJob(gitlab, job, { state: "failed", failure_reason: "script_failure", exit_code: 1 });
    const jobs = (await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}/jobs`)).body;
    expect(jobs.map((j: { name: string; status: string }) => [j.name, j.status])).toEqual([
      ["mvn_package_job", "failed"],
      ["build_and_publish_docker_image_job", "skipped"],
      ["deploy_k8s_job", "skipped"],
    ]);
    expect(jobs[0].failure_reason).toBe("script_failure");
    expect((await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}`)).body.status).toBe("failed");
    // A finished job takes no more updates: 403 with its status, so the runner aborts.
    const late = await updateJob(gitlab, job, { state: "running" });
    expect(late.status).toBe(403);
    expect(late.headers.get("job-status")).toBe("failed");
    // An unknown job or a wrong token: a plain 403, never 404 (the runner must stop the job).
    const unknown = await updateJob(gitlab, { id: 999999, token: job.token }, { state: "running" });
    expect(unknown.status).toBe(403);
    expect(JSON.parse(unknown.text)).toEqual({ message: "403 Forbidden" });
    const wrongToken = await patchTrace(gitlab, { id: job.id, token: "glcbt-wrong" }, 0, "x");
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.headers.get("job-status")).toBeNull();
  });

  it("tells the runner a canceled job is canceled (Job-Status), or canceling when it cancels gracefully", async () => {
    const runner = await createRunner(gitlab);
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    const job = (await requestJob(gitlab, runner.token)).body;
    await api(gitlab, "POST", `/projects/1/jobs/${job.id}/cancel`);
    const patch = await patchTrace(gitlab, job, 0, "x");
    expect(patch.status).toBe(403);
    expect(patch.headers.get("job-status")).toBe("canceled");

    const graceful = await runnerCall(gitlab, "/jobs/request", runner.token, {
      system_id: "s_graceful",
      info: { features: { cancel_gracefully: true } },
    });
    expect(graceful.status).toBe(204);
    const pipeline = (await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } })).body;
    const second = await runnerCall(gitlab, "/jobs/request", runner.token, {
      system_id: "s_graceful",
      info: { features: { cancel_gracefully: true } },
    });
    await api(gitlab, "POST", `/projects/${pipeline.project_id}/pipelines/${pipeline.id}/cancel`);
    const during = await patchTrace(gitlab, second.body, 0, "stopping\n");
    expect(during.status).toBe(202);
    expect(during.headers.get("job-status")).toBe("canceling");
    await updateJob(gitlab, second.body, { state: "failed", failure_reason: "job_canceled" });
    expect((await api(gitlab, "GET", `/projects/1/jobs/${second.body.id}`)).body.status).toBe("canceled");
    expect((await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}`)).body.status).toBe("canceled");
  });

  it("force-cancels a job its runner left canceling: the runner's next patch and update get 403 with Job-Status canceled", async () => {
    const runner = await createRunner(gitlab);
    const features = { system_id: "s_force", info: { features: { cancel_gracefully: true } } };
    expect((await runnerCall(gitlab, "/jobs/request", runner.token, features)).status).toBe(204);
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    const job = (await runnerCall(gitlab, "/jobs/request", runner.token, features)).body;
    // force on a running job is a plain cancel: canceling, the runner is still asked to stop.
    await api(gitlab, "POST", `/projects/1/jobs/${job.id}/cancel`, { body: { force: true } });
    expect((await patchTrace(gitlab, job, 0, "x")).headers.get("job-status")).toBe("canceling");
    const forced = await api(gitlab, "POST", `/projects/1/jobs/${job.id}/cancel`, { body: { force: true } });
    expect(forced.status).toBe(201);
    expect(forced.body.status).toBe("canceled");
    const patch = await patchTrace(gitlab, job, 1, "y");
    expect(patch.status).toBe(403);
    expect(patch.headers.get("job-status")).toBe("canceled");
    const update = await updateJob(gitlab, job, { state: "failed", failure_reason: "job_canceled" });
    expect(update.status).toBe(403);
    expect((await api(gitlab, "GET", `/projects/1/jobs/${job.id}`)).body.status).toBe("canceled");
  });

  it("gives tagged jobs only to runners with those tags, untagged ones only to runners that run untagged", async () => {
    const file = await api(gitlab, "PUT", `/projects/${JAVA_DEMO}/repository/files/.gitlab-ci.yml`, {
      body: {
        branch: "main",
        commit_message: "Use the eci runner",
        content: "build:\n  tags: [eci]\n  script: [make]\n",
      },
    });
    expect(file.status).toBe(200);
    const untaggedOnly = await createRunner(gitlab, { runner_type: "instance_type", run_untagged: true });
    const tagged = await createRunner(gitlab, {
      runner_type: "instance_type",
      tag_list: "eci,linux",
      run_untagged: false,
    });
    expect((await requestJob(gitlab, untaggedOnly.token)).status).toBe(204);
    const got = await requestJob(gitlab, tagged.token);
    expect(got.status).toBe(201);
    expect(got.body.job_info.name).toBe("build");
  });

  it("keeps project runners to their project and paused runners idle", async () => {
    const other = await createRunner(gitlab, { runner_type: "project_type", project_id: 2 });
    const own = await createRunner(gitlab, { runner_type: "project_type", project_id: 1, paused: true });
    await api(gitlab, "POST", `/projects/${JAVA_DEMO}/pipeline`, { body: { ref: "main" } });
    expect((await requestJob(gitlab, other.token)).status).toBe(204);
    expect((await requestJob(gitlab, own.token)).status).toBe(204);
    await api(gitlab, "PUT", `/runners/${own.id}`, { body: { paused: false } });
    expect((await requestJob(gitlab, own.token)).status).toBe(201);
  });

  it("resets its token through the runner API; the old one stops working", async () => {
    const runner = await createRunner(gitlab);
    const reset = await runnerCall(gitlab, "/runners/reset_authentication_token", runner.token);
    expect(reset.status).toBe(201);
    expect(reset.body.token).toMatch(/^glrt-/);
    expect((await runnerCall(gitlab, "/runners/verify", runner.token)).status).toBe(403);
    expect((await runnerCall(gitlab, "/runners/verify", reset.body.token)).status).toBe(200);
  });
});
