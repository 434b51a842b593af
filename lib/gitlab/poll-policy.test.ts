import { describe, expect, it } from "vitest";
import { nextPollDelayMs } from "./poll-policy";

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
