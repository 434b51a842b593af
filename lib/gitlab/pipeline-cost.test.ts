import { describe, expect, it } from "vitest";
import {
  costBy,
  costPerSuccessfulPipeline,
  pipelineJobRows,
  totalsByCurrency,
  type JobFacts,
  type RecordFacts,
} from "./pipeline-cost";

const t = (s: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, s));
const job = (jobId: number, extra: Partial<JobFacts> = {}): JobFacts => ({
  jobId,
  pipelineId: 50,
  projectId: 1,
  projectPath: "eci/java-demo",
  name: `job-${jobId}`,
  stage: "build",
  status: "success",
  ref: "main",
  mergeRequestIid: null,
  userName: "dev",
  createdAt: t(0),
  startedAt: t(10),
  finishedAt: t(100),
  durationSeconds: 90,
  queuedSeconds: 10,
  ...extra,
});
const record = (gitlabJobId: number, costMicros: number, extra: Partial<RecordFacts> = {}): RecordFacts => ({
  gitlabJobId,
  podName: `pod-${gitlabJobId}`,
  namespace: "gitlab-runner",
  createdAt: t(12),
  startedAt: t(40),
  finishedAt: t(100),
  costMicros,
  currency: "CNY",
  billedSeconds: 88,
  source: "pod",
  ...extra,
});

describe("pipelineJobRows", () => {
  it("joins each job to its pod record: cost, and the queue split into runner and ECI start-up", () => {
    const rows = pipelineJobRows(
      [job(2), job(1), job(3, { status: "running", finishedAt: null })],
      [record(1, 500), record(2, 700, { source: "gitlab" })],
    );
    expect(rows.map((r) => r.jobId)).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({
      pod: { name: "pod-1", estimated: false },
      costMicros: 500,
      queue: { waitingForRunnerMs: 10_000, runnerPreparingMs: 2_000, podStartingMs: 28_000 },
    });
    expect(rows[1]).toMatchObject({
      pod: { estimated: true },
      costMicros: 700,
      queue: { waitingForRunnerMs: 10_000, podStartingMs: null },
    });
    expect(rows[2]).toMatchObject({ pod: null, costMicros: null });
    expect(totalsByCurrency(rows)).toEqual({ CNY: 1_200 });
  });
});

describe("costBy", () => {
  const joined = [
    { job: job(1, { stage: "package" }), record: record(1, 100) },
    { job: job(2, { stage: "build", userName: "alice" }), record: record(2, 300) },
    {
      job: job(3, { stage: "build", ref: "refs/merge-requests/12/head", mergeRequestIid: 12, pipelineId: 51 }),
      record: record(3, 50),
    },
    {
      job: job(4, { projectPath: "acme/web", projectId: 3, pipelineId: 60 }),
      record: record(4, 1_000, { currency: "USD" }),
    },
  ];
  it.each([
    [
      "project",
      [
        ["acme/web", "USD", 1_000],
        ["eci/java-demo", "CNY", 450],
      ],
    ],
    [
      "pipeline",
      [
        ["acme/web#60", "USD", 1_000],
        ["eci/java-demo#50", "CNY", 400],
        ["eci/java-demo#51", "CNY", 50],
      ],
    ],
    [
      "branch",
      [
        ["main", "USD", 1_000],
        ["main", "CNY", 400],
        ["!12", "CNY", 50],
      ],
    ],
    [
      "user",
      [
        ["dev", "USD", 1_000],
        ["alice", "CNY", 300],
        ["dev", "CNY", 150],
      ],
    ],
    [
      "stage",
      [
        ["build", "USD", 1_000],
        ["build", "CNY", 350],
        ["package", "CNY", 100],
      ],
    ],
  ] as const)("by %s, most expensive first, currencies apart", (dimension, expected) => {
    expect(costBy(dimension, joined).map((r) => [r.key, r.currency, r.costMicros])).toEqual(expected);
  });
});

describe("costPerSuccessfulPipeline", () => {
  it("charges failed and canceled runs to the green ones; running pipelines do not count yet", () => {
    expect(
      costPerSuccessfulPipeline([
        { status: "success", costMicros: 100, currency: "CNY" },
        { status: "failed", costMicros: 60, currency: "CNY" },
        { status: "success", costMicros: 140, currency: "CNY" },
        { status: "running", costMicros: 999, currency: "CNY" },
        { status: "canceled", costMicros: 10, currency: "USD" },
      ]),
    ).toEqual([
      { currency: "CNY", perSuccessMicros: 150, successful: 2, finished: 3 },
      { currency: "USD", perSuccessMicros: null, successful: 0, finished: 1 },
    ]);
  });
});
