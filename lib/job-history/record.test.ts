import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { jobEndOf, jobRecordData } from "./record";
import { jobPod } from "@/lib/monitor/testing/pods";

const book = DEFAULT_PRICE_BOOKS.cn;
const now = new Date("2026-01-01T00:10:00Z");

describe("jobEndOf", () => {
  it.each([
    ["running, still there", jobPod("a", "1", "Running"), false, null],
    ["succeeded", jobPod("a", "1", "Succeeded"), false, "finished"],
    ["failed and deleted", jobPod("a", "1", "Failed"), true, "finished"],
    ["deleted while running", jobPod("a", "1", "Running"), true, "vanished"],
    ["deleted while pending", jobPod("a", "1", "Pending"), true, "vanished"],
  ] as const)("%s", (_name, pod, deleted, expected) => {
    expect(jobEndOf(pod, deleted, now)?.kind ?? null).toBe(expected);
  });

  it("ignores pods that are not job pods", () => {
    const pod = jobPod("a", "1", "Succeeded");
    delete pod.metadata!.labels!["job.runner.gitlab.com/pod"];
    expect(jobEndOf(pod, true, now)).toBeNull();
  });
});

describe("jobRecordData", () => {
  it("records a finished job with its billed spec and cost = spec × price × billed seconds", () => {
    const pod = jobPod("u1", "9", "Succeeded", {
      created: "2026-01-01T00:00:00Z",
      started: "2026-01-01T00:00:10Z",
      finished: "2026-01-01T00:02:10Z",
    });
    const record = jobRecordData(pod, { kind: "finished" }, "conn", book);
    const expected = new Decimal(book.prices["eci.vcpu"].perSecond!)
      .times(2)
      .plus(new Decimal(book.prices["eci.memory"].perSecond!).times(4))
      .times(120);
    expect(record).toMatchObject({
      podUid: "u1",
      connectionId: "conn",
      phase: "Succeeded",
      jobId: "42",
      jobName: "test",
      ref: "main",
      projectPath: "group/app",
      runnerName: "ask-runner",
      startedAt: new Date("2026-01-01T00:00:10Z"),
      finishedAt: new Date("2026-01-01T00:02:10Z"),
      day: "2026-01-01",
      billedSeconds: 120,
      vcpuMilli: 2000,
      memoryMiB: 4096,
      currency: "CNY",
      costMicros: expected.times(1_000_000).round().toNumber(),
    });
  });

  it("bills a vanished pod until it was seen gone", () => {
    const pod = jobPod("u2", "3", "Running", { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:00Z" });
    const record = jobRecordData(pod, { kind: "vanished", seenGoneAt: new Date("2026-01-01T00:01:00Z") }, "conn", book);
    expect(record).toMatchObject({
      phase: "Vanished",
      billedSeconds: 60,
      finishedAt: new Date("2026-01-01T00:01:00Z"),
    });
  });
});
