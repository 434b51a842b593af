import { describe, expect, it } from "vitest";
import { queueSplit } from "./queue-split";

const t = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, seconds));

describe("queueSplit", () => {
  it("splits the wait into runner pickup, runner preparing and the pod starting on ECI", () => {
    expect(
      queueSplit({ createdAt: t(0), startedAt: t(12), queuedSeconds: 11.5 }, { createdAt: t(14), startedAt: t(41) }),
    ).toEqual({ waitingForRunnerMs: 11_500, runnerPreparingMs: 2_000, podStartingMs: 27_000 });
  });

  it("falls back to started − created without queued_duration", () => {
    expect(queueSplit({ createdAt: t(0), startedAt: t(9), queuedSeconds: null }, null)).toEqual({
      waitingForRunnerMs: 9_000,
      runnerPreparingMs: null,
      podStartingMs: null,
    });
  });

  it("leaves unknown parts null and never negative", () => {
    expect(
      queueSplit({ createdAt: null, startedAt: t(5), queuedSeconds: null }, { createdAt: t(3), startedAt: null }),
    ).toEqual({ waitingForRunnerMs: null, runnerPreparingMs: 0, podStartingMs: null });
  });
});
