import { describe, expect, it } from "vitest";
import { parseDemoGitlabArgs } from "./cli-options";

describe("parseDemoGitlabArgs", () => {
  it("has defaults that put the connection file beside the state dir", () => {
    const parsed = parseDemoGitlabArgs([]);
    expect(parsed).toMatchObject({
      kind: "run",
      options: {
        port: 8929,
        host: "127.0.0.1",
        stateDir: "./data/demo-gitlab",
        infoPath: "./data/demo-gitlab/../demo-gitlab.json",
        seed: 42,
      },
    });
  });

  it("reads every flag", () => {
    const parsed = parseDemoGitlabArgs([
      "--port=0",
      "--seed=7",
      "--pushes-per-hour=0",
      "--long-poll=5",
      "--rate-limit=100",
      "--stuck-running=120",
      "--stuck-pending=600",
      "--stuck-canceling=90",
      "--stuck-check=30",
      "--state=/tmp/s",
      "--info=/tmp/i.json",
      "--oidc-redirect-uri=http://localhost:3100/login/gitlab/callback",
      "--oidc-redirect-uri=http://127.0.0.1:3100/login/gitlab/callback",
    ]);
    expect(parsed).toMatchObject({
      kind: "run",
      options: {
        port: 0,
        seed: 7,
        pushesPerHour: 0,
        longPollSeconds: 5,
        rateLimitPerMinute: 100,
        stuckJobs: { runningMs: 120_000, pendingMs: 600_000, cancelingMs: 90_000, checkEveryMs: 30_000 },
        stateDir: "/tmp/s",
        infoPath: "/tmp/i.json",
        oidcRedirectUris: [
          "http://localhost:3100/login/gitlab/callback",
          "http://127.0.0.1:3100/login/gitlab/callback",
        ],
      },
    });
  });

  it.each([
    [["--port", "70000"], '--port must be an integer from 0 to 65535, got "70000"'],
    [["--seed=-1"], '--seed must be a non-negative integer, got "-1"'],
    [["--pushes-per-hour", "lots"], '--pushes-per-hour must be a number from 0 to 3600, got "lots"'],
    [["--long-poll", "601"], '--long-poll must be a number of seconds from 0 to 600, got "601"'],
    [["--stuck-running", "0"], '--stuck-running must be a number of seconds, at least 1, got "0"'],
    [["--stuck-check", "90000"], '--stuck-check must be a number of seconds from 1 to 86400, got "90000"'],
    [
      ["--oidc-redirect-uri", "javascript:alert(1)"],
      '--oidc-redirect-uri must be an absolute http(s) URL, got "javascript:alert(1)"',
    ],
  ])("refuses %j", (args, message) => {
    expect(parseDemoGitlabArgs(args)).toEqual({ kind: "error", message });
  });

  it("refuses unknown flags and asks for help", () => {
    expect(parseDemoGitlabArgs(["--nope"]).kind).toBe("error");
    expect(parseDemoGitlabArgs(["-h"]).kind).toBe("help");
  });
});
