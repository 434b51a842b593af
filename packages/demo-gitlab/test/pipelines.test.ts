import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DemoGitlab } from "../src/index";
import { api, createRunner, requestJob, startTestGitlab, updateJob, type Json } from "./helpers";

let gitlab: DemoGitlab;
let runnerToken: string;
beforeEach(async () => {
  gitlab = await startTestGitlab();
  runnerToken = (await createRunner(gitlab)).token;
});
afterEach(async () => {
  await gitlab.stop();
});

/** Commits a .gitlab-ci.yml to project 1; the push starts its pipeline, returned here. */
async function pushConfig(content: string): Promise<Json> {
  const put = await api(gitlab, "PUT", "/projects/1/repository/files/.gitlab-ci.yml", {
    body: { branch: "main", commit_message: "CI", content },
  });
  expect(put.status).toBe(200);
  const list = await api(gitlab, "GET", "/projects/1/pipelines?per_page=1");
  return list.body[0];
}

async function statuses(pipelineId: number, includeRetried = false): Promise<Record<string, string>> {
  const jobs = await api(gitlab, "GET", `/projects/1/pipelines/${pipelineId}/jobs?include_retried=${includeRetried}`);
  return Object.fromEntries(jobs.body.map((j: Json) => [`${j.name}#${j.id}`.replace(/#\d+$/, ""), j.status]));
}

async function runNext(state: "success" | "failed", failureReason?: string): Promise<Json> {
  const got = await requestJob(gitlab, runnerToken);
  expect(got.status).toBe(201);
  await updateJob(gitlab, got.body, { state, failure_reason: failureReason });
  return got.body;
}

async function pipelineStatus(id: number): Promise<string> {
  return (await api(gitlab, "GET", `/projects/1/pipelines/${id}`)).body.status;
}

describe("pipelines follow .gitlab-ci.yml", () => {
  it("starts a push pipeline for a commit, source push, on the new commit", async () => {
    const pipeline = await pushConfig("build:\n  script: [make]\n");
    expect(pipeline.source).toBe("push");
    const commits = await api(gitlab, "GET", "/projects/1/repository/commits");
    expect(commits.body[0].id).toBe(pipeline.sha);
    expect(commits.body[0].title).toBe("CI");
  });

  it("runs needs (DAG) as soon as their needs pass, not stage by stage", async () => {
    const pipeline = await pushConfig(`
stages: [build, test, deploy]
a: { stage: build, script: [x] }
slow: { stage: build, script: [x] }
b: { stage: test, needs: [a], script: [x] }
c: { stage: deploy, script: [x] }
`);
    const first = (await requestJob(gitlab, runnerToken)).body;
    expect(first.job_info.name).toBe("a");
    await updateJob(gitlab, first, { state: "success" });
    // slow is still pending, yet b (needs a) is pending too; c waits for the whole test stage.
    expect(await statuses(pipeline.id)).toMatchObject({ a: "success", slow: "pending", b: "pending", c: "created" });
  });

  it("blocks on a manual job with allow_failure: false and runs on after play", async () => {
    const pipeline = await pushConfig(`
stages: [build, deploy, verify]
build: { stage: build, script: [x] }
deploy: { stage: deploy, script: [x], when: manual, allow_failure: false }
verify: { stage: verify, script: [x] }
`);
    await runNext("success");
    expect(await statuses(pipeline.id)).toMatchObject({ deploy: "manual", verify: "created" });
    expect(await pipelineStatus(pipeline.id)).toBe("manual");
    expect((await requestJob(gitlab, runnerToken)).status).toBe(204);
    const jobs = (await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}/jobs`)).body;
    const deploy = jobs.find((j: Json) => j.name === "deploy");
    const play = await api(gitlab, "POST", `/projects/1/jobs/${deploy.id}/play`);
    expect(play.status).toBe(200);
    expect(play.body.status).toBe("pending");
    expect((await api(gitlab, "POST", `/projects/1/jobs/${deploy.id}/play`)).body).toEqual({
      message: "400 Bad request - Unplayable Job",
    });
    await runNext("success");
    await runNext("success");
    expect(await pipelineStatus(pipeline.id)).toBe("success");
  });

  it("does not block on an optional manual job: the pipeline passes", async () => {
    const pipeline = await pushConfig("build: { script: [x] }\nnotify: { stage: deploy, script: [x], when: manual }\n");
    await runNext("success");
    expect(await statuses(pipeline.id)).toMatchObject({ build: "success", notify: "manual" });
    expect(await pipelineStatus(pipeline.id)).toBe("success");
  });

  it("passes with warnings when an allow_failure job fails, and runs when: always / on_failure jobs", async () => {
    const pipeline = await pushConfig(`
stages: [test, report]
lint: { stage: test, script: [x], allow_failure: true }
report: { stage: report, script: [x], when: always }
rollback: { stage: report, script: [x], when: on_failure }
`);
    await runNext("failed", "script_failure");
    await runNext("success");
    expect(await statuses(pipeline.id)).toMatchObject({ lint: "failed", report: "success", rollback: "skipped" });
    expect(await pipelineStatus(pipeline.id)).toBe("success");

    const broken = await pushConfig(`
stages: [test, report]
unit: { stage: test, script: [x] }
rollback: { stage: report, script: [x], when: on_failure }
`);
    await runNext("failed", "script_failure");
    const rollback = await runNext("success");
    expect(rollback.job_info.name).toBe("rollback");
    expect(await pipelineStatus(broken.id)).toBe("failed");
  });

  it("retries a failed job whose reason matches retry:when, keeping the failed attempt as retried", async () => {
    const pipeline = await pushConfig(`
flaky:
  script: [x]
  retry:
    max: 2
    when: [runner_system_failure]
`);
    await runNext("failed", "runner_system_failure");
    const second = await runNext("failed", "script_failure");
    expect(second.job_info.name).toBe("flaky");
    expect(await pipelineStatus(pipeline.id)).toBe("failed");
    const all = (await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}/jobs?include_retried=true`)).body;
    expect(all).toHaveLength(2);
    expect((await api(gitlab, "GET", `/projects/1/pipelines/${pipeline.id}/jobs`)).body).toHaveLength(1);
    // script_failure is not in retry:when, so no third attempt.
    expect((await requestJob(gitlab, runnerToken)).status).toBe(204);
  });

  it("retries a job and its skipped successors through the API", async () => {
    const pipeline = (await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } })).body;
    const failed = await runNext("failed", "script_failure");
    expect(await pipelineStatus(pipeline.id)).toBe("failed");
    const retried = await api(gitlab, "POST", `/projects/1/jobs/${failed.id}/retry`);
    expect(retried.status).toBe(201);
    expect(retried.body.id).not.toBe(failed.id);
    expect(retried.body.status).toBe("pending");
    expect(await statuses(pipeline.id)).toMatchObject({
      mvn_package_job: "pending",
      build_and_publish_docker_image_job: "created",
      deploy_k8s_job: "created",
    });
    expect(await pipelineStatus(pipeline.id)).toBe("pending");
    const notRetryable = await api(gitlab, "POST", `/projects/1/jobs/${retried.body.id}/retry`);
    expect(notRetryable.status).toBe(403);
    expect(notRetryable.body).toEqual({ message: "403 Forbidden - Job is not retryable" });
    await runNext("success");
    await runNext("success");
    await runNext("success");
    expect(await pipelineStatus(pipeline.id)).toBe("success");
  });

  it("cancels a pipeline's cancelable jobs and retries them all", async () => {
    const pipeline = (await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } })).body;
    const canceled = await api(gitlab, "POST", `/projects/1/pipelines/${pipeline.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe("canceled");
    const retry = await api(gitlab, "POST", `/projects/1/pipelines/${pipeline.id}/retry`);
    expect(retry.status).toBe(201);
    expect(retry.body.status).toBe("pending");
    // The retried jobs wait for their stages again: only the first stage is queued.
    expect(await statuses(pipeline.id)).toEqual({
      mvn_package_job: "pending",
      build_and_publish_docker_image_job: "created",
      deploy_k8s_job: "created",
    });
  });

  it("filters jobs by rules and only/except, and variables of the pipeline reach rules", async () => {
    await pushConfig(`
always-job: { script: [x] }
main-only: { script: [x], only: [main] }
feature-only: { script: [x], except: [main] }
on-api:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == "api" && $DEPLOY == "yes"
`);
    const created = await api(gitlab, "POST", "/projects/1/pipeline", {
      body: { ref: "main", variables: [{ key: "DEPLOY", value: "yes" }] },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(await statuses(created.body.id)).sort()).toEqual(["always-job", "main-only", "on-api"]);
    const vars = await api(gitlab, "GET", `/projects/1/pipelines/${created.body.id}/variables`);
    expect(vars.body).toEqual([{ key: "DEPLOY", value: "yes", variable_type: "env_var" }]);
  });

  it("refuses a broken config on the API (400) and shows it as a failed pipeline on a push", async () => {
    const pushed = await pushConfig("job:\n  stage: nowhere\n  script: [x]\n");
    expect(pushed.status).toBe("failed");
    const detail = await api(gitlab, "GET", `/projects/1/pipelines/${pushed.id}`);
    expect(detail.body.yaml_errors).toMatch(/chosen stage nowhere does not exist/);
    const refused = await api(gitlab, "POST", "/projects/1/pipeline", { body: { ref: "main" } });
    expect(refused.status).toBe(400);
    expect(refused.body.message.base[0]).toMatch(/chosen stage nowhere does not exist/);
  });
});
