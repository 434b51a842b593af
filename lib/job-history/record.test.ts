import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { jobEndOf, jobRecordData, storableJobRecord } from "./record";
import { jobPod } from "@/lib/monitor/testing/pods";

const book = DEFAULT_PRICE_BOOKS.cn;
const now = new Date("2026-01-01T00:10:00Z");

describe("jobEndOf (lifecycle.ts; its own tests cover every case)", () => {
  it.each([
    ["running, still there", jobPod("a", "1", "Running"), false, null],
    ["terminal", jobPod("a", "1", "Succeeded"), false, "finished"],
    ["failed and deleted", jobPod("a", "1", "Failed"), true, "finished"],
    // The runner deletes job pods while Running when the job ends: a finished job, not a vanished one.
    ["deleted while running", jobPod("a", "1", "Running"), true, "finished"],
    ["deleted while pending", jobPod("a", "1", "Pending"), true, "finished"],
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
    const record = jobRecordData(pod, jobEndOf(pod, false, now)!, "conn", book);
    const expected = new Decimal(book.prices["eci.vcpu"].perSecond!)
      .times(2)
      .plus(new Decimal(book.prices["eci.memory"].perSecond!).times(4))
      .times(120);
    expect(record).toMatchObject({
      podUid: "u1",
      connectionId: "conn",
      phase: "Finished",
      reason: null,
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

  it("bills a job pod the runner deleted while Running until its grace period ended", () => {
    const pod = jobPod("u2", "3", "Running", { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:00Z" });
    pod.metadata!.deletionTimestamp = "2026-01-01T00:01:30Z";
    const record = jobRecordData(pod, jobEndOf(pod, true, new Date("2026-01-01T00:01:31Z"))!, "conn", book);
    expect(record).toMatchObject({
      phase: "Finished",
      billedSeconds: 90,
      finishedAt: new Date("2026-01-01T00:01:30Z"),
    });
  });

  it("records a vanished job with its cause, billed until it stopped", () => {
    const pod = jobPod("u3", "4", "Failed", {
      created: "2026-01-01T00:00:00Z",
      started: "2026-01-01T00:00:00Z",
      finished: "2026-01-01T00:12:01Z",
    });
    pod.status!.reason = "DeadlineExceeded";
    const record = jobRecordData(pod, jobEndOf(pod, false, now)!, "conn", book);
    expect(record).toMatchObject({ phase: "Vanished", reason: "DeadlineExceeded", billedSeconds: 721 });
  });
});

describe("storableJobRecord", () => {
  const pod = (finished: string) =>
    jobPod("u3", "1", "Failed", { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:00Z", finished });

  it("takes a cost far past 2,147.48 (the BigInt column), up to what a number holds exactly", () => {
    const record = jobRecordData(
      pod("2026-03-01T00:00:00Z"),
      jobEndOf(pod("2026-03-01T00:00:00Z"), false, now)!,
      "conn",
      book,
    );
    const costly = { ...record, costMicros: 12_000 * 1_000_000 };
    expect(storableJobRecord(costly)).toMatchObject({ ok: true, data: { costMicros: 12_000_000_000 } });
    expect(storableJobRecord({ ...record, costMicros: 2 ** 53 })).toMatchObject({ ok: false });
  });

  it("refuses integers a 32-bit column cannot hold (PostgreSQL's Int) instead of failing the insert", () => {
    // A pod claiming to have run for seventy years: 2.2 billion billed seconds.
    const record = jobRecordData(
      pod("2096-01-01T00:00:00Z"),
      jobEndOf(pod("2096-01-01T00:00:00Z"), false, now)!,
      "conn",
      book,
    );
    expect(record.billedSeconds).toBeGreaterThan(2 ** 31 - 1);
    expect(storableJobRecord(record)).toEqual({
      ok: false,
      problem: `billedSeconds ${record.billedSeconds} does not fit`,
    });
  });
});
