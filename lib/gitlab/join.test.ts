import { describe, expect, it } from "vitest";
import { instanceForJobUrl, instanceForRef, mergeRequestIidOf, podJobRef, recordJobRef } from "./join";

const pod = (annotations: Record<string, string>, labels: Record<string, string> = {}) => ({
  metadata: { annotations, labels },
});

describe("podJobRef", () => {
  it("reads the job id, project id and URL the runner writes", () => {
    expect(
      podJobRef(
        pod(
          {
            "job.runner.gitlab.com/id": "1234",
            "job.runner.gitlab.com/url": "https://gitlab.example.com/group/app/-/jobs/1234",
            "project.runner.gitlab.com/id": "42",
          },
          { "project.runner.gitlab.com/id": "42" },
        ),
      ),
    ).toEqual({ jobId: 1234, projectId: 42, jobUrl: "https://gitlab.example.com/group/app/-/jobs/1234" });
  });

  it("takes the project id from the label when the annotation is missing", () => {
    expect(podJobRef(pod({ "job.runner.gitlab.com/id": "7" }, { "project.runner.gitlab.com/id": "3" }))).toEqual({
      jobId: 7,
      projectId: 3,
      jobUrl: null,
    });
  });

  it.each([
    ["no job id", {}],
    ["not a number", { "job.runner.gitlab.com/id": "12abc" }],
    ["zero", { "job.runner.gitlab.com/id": "0" }],
    ["negative", { "job.runner.gitlab.com/id": "-4" }],
    ["absurdly long", { "job.runner.gitlab.com/id": "9".repeat(40) }],
  ])("is null for a pod with %s", (_name, annotations) => expect(podJobRef(pod(annotations))).toBeNull());

  it("drops a URL that is not http(s) (a crafted annotation must not become a link)", () => {
    expect(
      podJobRef(pod({ "job.runner.gitlab.com/id": "5", "job.runner.gitlab.com/url": "javascript:alert(1)" }))?.jobUrl,
    ).toBeNull();
  });

  it("reads the same from a JobRecord", () => {
    expect(recordJobRef({ jobId: "9", projectId: "2", jobUrl: "https://g/x/-/jobs/9" })).toEqual({
      jobId: 9,
      projectId: 2,
      jobUrl: "https://g/x/-/jobs/9",
    });
    expect(recordJobRef({ jobId: null, projectId: "2", jobUrl: null })).toBeNull();
  });
});

describe("instanceForJobUrl", () => {
  const instances = [
    { id: "com", url: "https://gitlab.com" },
    { id: "corp", url: "https://git.corp" },
    { id: "corp-sub", url: "https://git.corp/gitlab" },
    { id: "demo", url: "http://127.0.0.1:8929" },
  ];
  it.each([
    ["https://gitlab.com/g/p/-/jobs/1", "com"],
    ["https://git.corp/g/p/-/jobs/1", "corp"],
    ["https://git.corp/gitlab/g/p/-/jobs/1", "corp-sub"],
    ["https://git.corp/gitlabber/p/-/jobs/1", "corp"],
    ["http://127.0.0.1:8929/root/java-demo/-/jobs/3", "demo"],
    ["http://127.0.0.1:9999/root/java-demo/-/jobs/3", null],
    ["https://gitlab.com.evil.net/g/p/-/jobs/1", null],
    ["http://gitlab.com/g/p/-/jobs/1", null],
  ])("%s → %s", (url, id) => expect(instanceForJobUrl(url, instances)?.id ?? null).toBe(id));

  it("without a URL, uses the only connected GitLab and never guesses between several", () => {
    const ref = { jobId: 1, projectId: 1, jobUrl: null };
    expect(instanceForRef(ref, [instances[0]])?.id).toBe("com");
    expect(instanceForRef(ref, instances)).toBeNull();
  });
});

describe("mergeRequestIidOf", () => {
  it.each([
    ["refs/merge-requests/12/head", 12],
    ["refs/merge-requests/7/merge", 7],
    ["main", null],
    ["refs/merge-requests/x/head", null],
    [null, null],
  ])("%s → %s", (ref, iid) => expect(mergeRequestIidOf(ref)).toBe(iid));
});
