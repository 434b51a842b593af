import { describe, expect, it } from "vitest";
import {
  classifyImagePullFailure,
  jobFailedLine,
  reportedFailureReason,
  terminalContainerError,
  type ContainerStatusLike,
} from "./failure-reasons";
import { runnerRelease } from "./release";

/** GitLab's own list as the demo GitLab sends it: none of the runner's newer reasons. */
const GITLAB_LIST = ["unknown_failure", "script_failure", "runner_system_failure", "job_execution_timeout"];

const waiting = (name: string, reason: string, message: string, image = "node:22"): ContainerStatusLike => ({
  name,
  image,
  ready: false,
  state: { waiting: { reason, message } },
});

describe("the reason the final update carries", () => {
  it("sends a reason GitLab lists as it is, and no reason as a script failure", () => {
    expect(reportedFailureReason("script_failure", GITLAB_LIST)).toBe("script_failure");
    expect(reportedFailureReason("", GITLAB_LIST)).toBe("script_failure");
    expect(reportedFailureReason("image_pull_failure", [...GITLAB_LIST, "image_pull_failure"])).toBe(
      "image_pull_failure",
    );
  });

  it("falls back from a newer reason to the one it was split from", () => {
    expect(reportedFailureReason("image_pull_failure", GITLAB_LIST)).toBe("runner_system_failure");
    expect(reportedFailureReason("runner_external_dependency_failure", GITLAB_LIST)).toBe("runner_system_failure");
    expect(reportedFailureReason("configuration_error", GITLAB_LIST)).toBe("script_failure");
    expect(reportedFailureReason("runner_configuration_error", GITLAB_LIST)).toBe("script_failure");
  });

  it("keeps the three reasons every GitLab knows even when the job lists none", () => {
    expect(reportedFailureReason("job_execution_timeout", [])).toBe("job_execution_timeout");
    expect(reportedFailureReason("image_pull_failure", [])).toBe("runner_system_failure");
  });

  it("calls a reason with no listed fallback unknown_failure (the runner-internal job_canceled)", () => {
    expect(reportedFailureReason("job_canceled", GITLAB_LIST)).toBe("unknown_failure");
    expect(reportedFailureReason("job_canceled", [...GITLAB_LIST, "job_canceled"])).toBe("job_canceled");
  });
});

describe("ClassifyImagePullFailure", () => {
  it.each([
    ["dial tcp 10.0.0.1:443: i/o timeout", "runner_external_dependency_failure"],
    ["read tcp: connection reset by peer", "runner_external_dependency_failure"],
    [
      "Get https://r/v2/: net/http: request canceled while waiting for connection",
      "runner_external_dependency_failure",
    ],
    ['failed to resolve reference "docker.io/x:1": docker.io/x:1: not found', "runner_configuration_error"],
    ["MANIFEST UNKNOWN: manifest unknown", "runner_configuration_error"],
    ["pull access denied for x, repository does not exist or may require 'docker login'", "runner_configuration_error"],
    ["401 Unauthorized", "runner_configuration_error"],
    ['Back-off pulling image "node:22"', "image_pull_failure"],
  ])("%s → %s", (message, reason) => {
    expect(classifyImagePullFailure(message)).toBe(reason);
  });
});

describe("CheckTerminalContainerErrors by release", () => {
  const notFound = 'Failed to pull image "x:1": rpc error: code = NotFound desc = x:1: not found';

  it("17.11: an image pull is image_pull_failure whatever the message, named by image and container", () => {
    const error = terminalContainerError([waiting("build", "ErrImagePull", notFound, "x:1")], runnerRelease("17.11.4"));
    expect(error).toEqual({
      error: `pulling image "x:1" for container build: image pull failed: ${notFound}`,
      reason: "image_pull_failure",
    });
  });

  it("19.1 and later classify the pull message; 19.0 does not", () => {
    const statuses = [waiting("build", "ErrImagePull", notFound)];
    expect(terminalContainerError(statuses, runnerRelease("19.0.3"))?.reason).toBe("image_pull_failure");
    expect(terminalContainerError(statuses, runnerRelease("19.1.2"))?.reason).toBe("runner_configuration_error");
  });

  it("InvalidImageName: no reason before 19.0 (a script failure), the configuration error after, under its name then", () => {
    const statuses = [waiting("build", "InvalidImageName", "bad ref")];
    expect(terminalContainerError(statuses, runnerRelease("18.11.4"))).toEqual({
      error: "image pull failed: bad ref",
      reason: "",
    });
    expect(terminalContainerError(statuses, runnerRelease("19.0.3"))?.reason).toBe("configuration_error");
    expect(terminalContainerError(statuses, runnerRelease("19.3.0"))?.reason).toBe("runner_configuration_error");
  });

  it("CrashLoopBackOff fails a job from 19.2 on, with the last termination's message; before, the runner waits", () => {
    const crashing: ContainerStatusLike = {
      ...waiting("svc-0", "CrashLoopBackOff", "back-off 10s restarting failed container"),
      lastState: { terminated: { message: "exec format error" } },
    };
    expect(terminalContainerError([crashing], runnerRelease("19.1.2"))).toBeUndefined();
    expect(terminalContainerError([crashing], runnerRelease("19.2.2"))).toEqual({
      error: 'container "svc-0" is in CrashLoopBackOff: back-off 10s restarting failed container: exec format error',
      reason: "runner_configuration_error",
    });
  });

  it("CreateContainerConfigError fails a job only from 19.3 on", () => {
    const statuses = [waiting("build", "CreateContainerConfigError", 'secret "x" not found')];
    expect(terminalContainerError(statuses, runnerRelease("19.2.2"))).toBeUndefined();
    expect(terminalContainerError(statuses, runnerRelease("19.3.0"))).toEqual({
      error: 'container configuration error: secret "x" not found',
      reason: "runner_configuration_error",
    });
  });

  it("skips ready containers and waiting reasons that are not terminal, and reads in the order given", () => {
    const release = runnerRelease("19.3.0");
    const ready = { ...waiting("helper", "ErrImagePull", "x"), ready: true };
    expect(terminalContainerError([ready, waiting("build", "ContainerCreating", "")], release)).toBeUndefined();
    const first = terminalContainerError(
      [waiting("init-permissions", "InvalidImageName", "a"), waiting("build", "ErrImagePull", "b")],
      release,
    );
    expect(first?.error).toBe("image pull failed: a");
  });
});

describe("the line the job log ends with", () => {
  it("says system failure for a plain error or a BuildError of that reason, 'Job failed:' otherwise", () => {
    expect(jobFailedLine("pod is being deleted", undefined)).toBe(
      "ERROR: Job failed (system failure): pod is being deleted",
    );
    expect(jobFailedLine("x", "runner_system_failure")).toBe("ERROR: Job failed (system failure): x");
    expect(jobFailedLine("x", "image_pull_failure")).toBe("ERROR: Job failed: x");
    expect(jobFailedLine("x", "")).toBe("ERROR: Job failed: x");
  });
});
