import { describe, expect, it } from "vitest";
import { nextPollDelayMs, POLL, WAKE_MIN_GAP_MS, wokenDueAt } from "./poll-policy";

describe("nextPollDelayMs", () => {
  it.each([
    ["busy, no webhooks: often", { unfinishedJobs: 3, webhooksLive: false }, 15_000],
    ["idle, no webhooks", { unfinishedJobs: 0, webhooksLive: false }, 60_000],
    ["busy, webhooks live: safety net", { unfinishedJobs: 2, webhooksLive: true }, 60_000],
    ["idle, webhooks live: rarely", { unfinishedJobs: 0, webhooksLive: true }, 300_000],
  ])("%s", (_name, state, ms) => expect(nextPollDelayMs({ ...state, lastProblem: null, previousMs: null })).toBe(ms));

  it("backs off after a failure, doubling up to ten minutes", () => {
    const failing = { unfinishedJobs: 1, webhooksLive: false, lastProblem: "rateLimited" };
    expect(nextPollDelayMs({ ...failing, previousMs: 15_000 })).toBe(60_000);
    expect(nextPollDelayMs({ ...failing, previousMs: 60_000 })).toBe(120_000);
    expect(nextPollDelayMs({ ...failing, previousMs: 400_000 })).toBe(600_000);
    expect(nextPollDelayMs({ ...failing, previousMs: null })).toBe(120_000);
  });
});

describe("wokenDueAt", () => {
  const now = 1_000_000;
  const gap = WAKE_MIN_GAP_MS;
  it.each([
    ["never passed: now", null, null, now],
    ["last pass long ago: now", { startedAt: now - 10 * gap, failed: false }, now + 50_000, now],
    [
      "a pass started 500 ms ago: after the gap",
      { startedAt: now - 500, failed: false },
      now + 59_500,
      now - 500 + gap,
    ],
    ["already due sooner: unchanged", { startedAt: now - 500, failed: false }, now + 1_000, now + 1_000],
    ["backing off after a failure: unchanged", { startedAt: now - 10 * gap, failed: true }, now + 60_000, now + 60_000],
  ])("%s", (_name, last, dueAt, expected) => expect(wokenDueAt(now, last, dueAt)).toBe(expected));

  it("a burst of wakes asks for one pass per gap", () => {
    const last = { startedAt: now, failed: false };
    const dueAts = [1, 200, 900, gap - 1].map((ms) => wokenDueAt(now + ms, last, null));
    expect(new Set(dueAts)).toEqual(new Set([now + gap]));
  });

  it("never wakes GitLab more often than polling without webhooks", () => {
    expect(WAKE_MIN_GAP_MS).toBeGreaterThanOrEqual(POLL.busyNoHooksMs);
  });
});
