import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { jobEndOf, jobRecordData, storableJobRecord } from "./record";
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

describe("storableJobRecord", () => {
  const pod = (finished: string) =>
    jobPod("u3", "1", "Failed", { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:00Z", finished });

  it("takes a cost far past 2,147.48 (the BigInt column), up to what a number holds exactly", () => {
    const record = jobRecordData(pod("2026-03-01T00:00:00Z"), { kind: "finished" }, "conn", book);
    const costly = { ...record, costMicros: 12_000 * 1_000_000 };
    expect(storableJobRecord(costly)).toMatchObject({ ok: true, data: { costMicros: 12_000_000_000 } });
    expect(storableJobRecord({ ...record, costMicros: 2 ** 53 })).toMatchObject({ ok: false });
  });

  it("refuses integers a 32-bit column cannot hold (PostgreSQL's Int) instead of failing the insert", () => {
    // A pod claiming to have run for seventy years: 2.2 billion billed seconds.
    const record = jobRecordData(pod("2096-01-01T00:00:00Z"), { kind: "finished" }, "conn", book);
    expect(record.billedSeconds).toBeGreaterThan(2 ** 31 - 1);
    expect(storableJobRecord(record)).toEqual({
      ok: false,
      problem: `billedSeconds ${record.billedSeconds} does not fit`,
    });
  });
});
