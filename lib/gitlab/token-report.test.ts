import { describe, expect, it } from "vitest";
import { tokenKindOf, tokenReport } from "./token-report";

const now = new Date("2026-12-06T10:00:00Z");
const available = (report: ReturnType<typeof tokenReport>) =>
  Object.fromEntries(report.features.map((f) => [f.feature, f.available]));

describe("tokenReport", () => {
  it("read_api watches jobs and nothing else", () => {
    expect(available(tokenReport({ username: "ci-watch", scopes: ["read_api"], expiresAt: null }, now))).toEqual({
      watchJobs: true,
      createRunners: false,
      manageRunners: false,
      registerWebhooks: false,
      runPipelines: false,
    });
  });

  it("api does everything", () => {
    const report = tokenReport({ username: "root", scopes: ["api", "read_user"], expiresAt: "2027-06-01" }, now);
    expect(Object.values(available(report)).every(Boolean)).toBe(true);
    expect(report).toMatchObject({
      kind: "personal",
      expiry: "ok",
      expiresAt: "2027-06-01",
      scopes: ["api", "read_user"],
    });
  });

  it("create_runner + manage_runner + read_api: runners and jobs, no webhooks or pipelines", () => {
    expect(
      available(
        tokenReport({ username: "x", scopes: ["create_runner", "manage_runner", "read_api"], expiresAt: null }, now),
      ),
    ).toEqual({
      watchJobs: true,
      createRunners: true,
      manageRunners: true,
      registerWebhooks: false,
      runPipelines: false,
    });
  });

  it.each([
    [null, "none", null],
    ["2026-12-30", "ok", 23],
    ["2026-12-12", "soon", 5],
    ["2026-12-06", "expired", 0],
    ["2025-01-01", "expired", 0],
  ])("expiry %s is %s", (expiresAt, expiry, daysLeft) => {
    const report = tokenReport({ username: "u", scopes: ["api"], expiresAt }, now);
    expect(report.expiry).toBe(expiry);
    expect(report.daysLeft).toBe(daysLeft);
  });

  it("an expired token has no feature", () => {
    expect(available(tokenReport({ username: "u", scopes: ["api"], expiresAt: "2026-01-01" }, now)).watchJobs).toBe(
      false,
    );
  });
});

describe("tokenKindOf", () => {
  it.each([
    ["project_42_bot_3f2a1b", "project"],
    ["group_7_bot_aa", "group"],
    ["alice", "personal"],
    ["my_project_42_bot", "personal"],
  ])("%s is a %s token", (username, kind) => expect(tokenKindOf(username)).toBe(kind));
});
