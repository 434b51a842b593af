import { describe, expect, it } from "vitest";
import { keepsStoredStatus, parseWebhook } from "./webhook";

const jobHook = {
  object_kind: "build",
  ref: "refs/merge-requests/12/head",
  sha: "abc",
  build_id: 380,
  build_name: "test",
  build_stage: "test",
  build_status: "success",
  build_created_at: "2021-02-23 02:41:37 UTC",
  build_started_at: "2021-02-23 02:41:40 UTC",
  build_finished_at: "2021-02-23 02:42:10 UTC",
  build_duration: 30.1,
  build_queued_duration: 3.2,
  build_allow_failure: false,
  build_failure_reason: "unknown_failure",
  pipeline_id: 2366,
  project_id: 380,
  user: { id: 3, name: "User", username: "user1" },
  commit: { id: 2366, sha: "abc", message: "Add feature\n\nbody" },
  runner: { id: 7, description: "ask-ci" },
  project: {
    id: 380,
    path_with_namespace: "gitlab-org/gitlab-test",
    web_url: "https://gitlab.example.com/gitlab-org/gitlab-test",
  },
};

describe("parseWebhook", () => {
  it("reads a job event as GitLab documents it", () => {
    const event = parseWebhook("Job Hook", jobHook);
    expect(event).toMatchObject({
      kind: "job",
      job: {
        jobId: 380,
        projectId: 380,
        projectPath: "gitlab-org/gitlab-test",
        pipelineId: 2366,
        status: "success",
        stage: "test",
        mergeRequestIid: 12,
        userName: "user1",
        commitTitle: "Add feature",
        runnerId: 7,
        failureReason: null,
        webUrl: "https://gitlab.example.com/gitlab-org/gitlab-test/-/jobs/380",
        queuedSeconds: 3.2,
      },
    });
    if (event.kind === "job") expect(event.job.startedAt?.toISOString()).toBe("2021-02-23T02:41:40.000Z");
  });

  it("reads a pipeline event with its jobs", () => {
    const event = parseWebhook("Pipeline Hook", {
      object_kind: "pipeline",
      object_attributes: {
        id: 31,
        ref: "main",
        sha: "bcb",
        source: "push",
        status: "running",
        created_at: "2016-08-12 15:23:28 UTC",
        finished_at: null,
        duration: null,
        queued_duration: 2,
      },
      user: { username: "root" },
      project: { id: 1, path_with_namespace: "eci/java-demo", web_url: "http://g/eci/java-demo" },
      commit: { title: "Fix build" },
      builds: [
        {
          id: 380,
          stage: "deploy",
          name: "production",
          status: "manual",
          created_at: "2016-08-12 15:23:28 UTC",
          started_at: null,
          finished_at: null,
          runner: null,
        },
      ],
    });
    expect(event).toMatchObject({
      kind: "pipeline",
      pipeline: {
        pipelineId: 31,
        projectPath: "eci/java-demo",
        status: "running",
        source: "push",
        userName: "root",
        queuedSeconds: 2,
      },
      jobs: [
        {
          jobId: 380,
          pipelineId: 31,
          status: "manual",
          commitTitle: "Fix build",
          webUrl: "http://g/eci/java-demo/-/jobs/380",
        },
      ],
    });
  });

  it("names the field of a malformed payload, and ignores other events", () => {
    expect(parseWebhook("Job Hook", { ...jobHook, build_id: "x" })).toEqual({ kind: "invalid", field: "build_id" });
    expect(parseWebhook("Job Hook", null)).toMatchObject({ kind: "invalid" });
    expect(parseWebhook("Push Hook", {})).toEqual({ kind: "ignored", reason: "Push Hook" });
  });
});

describe("keepsStoredStatus", () => {
  it.each([
    ["success", "running", true],
    ["canceled", "pending", true],
    ["running", "success", false],
    ["failed", "success", false],
    [null, "running", false],
  ])("stored %s, incoming %s → keep: %s", (stored, incoming, keep) =>
    expect(keepsStoredStatus(stored, incoming)).toBe(keep),
  );
});
