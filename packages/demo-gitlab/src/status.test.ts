import { describe, expect, it } from "vitest";
import type { JobStatus } from "./model";
import { compositeStatus, runsAfter } from "./status";

const jobs = (...specs: string[]) =>
  specs.map((spec) => {
    const [status, flag] = spec.split(":");
    return { status: status as JobStatus, allowFailure: flag === "af" };
  });

describe("compositeStatus (GitLab's Gitlab::Ci::Status::Composite)", () => {
  it.each([
    [["success", "success"], "success"],
    [["success", "skipped"], "success"],
    [["skipped", "skipped"], "skipped"],
    [["success", "failed"], "failed"],
    [["success", "failed:af"], "success"],
    [["success", "canceled:af"], "success"],
    [["created", "created"], "created"],
    [["pending", "created"], "pending"],
    [["success", "pending"], "running"],
    [["running", "created"], "running"],
    [["success", "created"], "running"],
    [["success", "manual"], "manual"],
    [["success", "manual:af"], "success"],
    [["manual:af"], "skipped"],
    [["canceled", "success"], "canceled"],
    [["canceled", "failed"], "failed"],
    [["canceling", "success"], "running"],
  ])("%j → %s", (statuses, expected) => {
    expect(compositeStatus(jobs(...statuses))).toBe(expected);
  });

  it("is null without jobs", () => {
    expect(compositeStatus([])).toBeNull();
  });

  it("for needs (dag): skipped or ignored needs skip, incomplete ones wait", () => {
    expect(compositeStatus(jobs("success", "skipped"), true)).toBe("skipped");
    expect(compositeStatus(jobs("success", "manual:af"), true)).toBe("skipped");
    expect(compositeStatus(jobs("success", "running"), true)).toBe("pending");
    expect(compositeStatus(jobs("success", "failed:af"), true)).toBe("success");
    expect(compositeStatus(jobs("failed"), true)).toBe("failed");
  });
});

describe("runsAfter (Ci::ProcessBuildService valid statuses)", () => {
  it.each([
    ["on_success", false, "success", true],
    ["on_success", false, "skipped", true],
    ["on_success", true, "skipped", false],
    ["on_success", false, "failed", false],
    ["manual", false, "success", true],
    ["on_failure", false, "failed", true],
    ["on_failure", false, "success", false],
    ["always", false, "failed", true],
    ["always", false, "canceled", false],
    ["never", false, "success", false],
  ] as const)("when: %s (dag %s) after %s → %s", (when, dag, prerequisites, expected) => {
    expect(runsAfter(when, dag, prerequisites)).toBe(expected);
  });
});
