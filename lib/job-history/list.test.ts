import { describe, expect, it } from "vitest";
import { historyCsv, historyResult, toHistoryRow } from "./list";

const record = {
  podUid: "u",
  podName: "runner-x",
  namespace: "gitlab-runner",
  runnerName: "r",
  projectPath: "group/app",
  jobId: "42",
  jobName: 'test, "quoted"',
  jobUrl: "https://gitlab.example.com/group/app/-/jobs/42",
  ref: '=HYPERLINK("x")',
  phase: "Succeeded",
  reason: null,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  startedAt: null,
  finishedAt: new Date("2026-01-01T00:01:00Z"),
  billedSeconds: 60,
  vcpuMilli: 2000,
  memoryMiB: 4096,
  currency: "CNY",
  backend: "eci",
  computeClass: null as string | null,
  qos: null as string | null,
  costMicros: 14702n,
  gitlabConnectionId: "gl1",
  gitlabJobId: 42,
  gitlabStatus: "failed",
  source: "pod",
};

const gitlabJob = {
  pipelineId: 7,
  ref: "main",
  mergeRequestIid: null,
  userName: "@bob",
  stage: "test",
  webUrl: "https://gitlab.example.com/group/app/-/jobs/42",
  failureReason: "script_failure",
};

describe("historyResult", () => {
  it.each([
    [{ gitlabJobId: 1, gitlabStatus: "success" }, "success"],
    [{ gitlabJobId: 1, gitlabStatus: "failed" }, "failed"],
    [{ gitlabJobId: 1, gitlabStatus: "canceled" }, "canceled"],
    [{ gitlabJobId: 1, gitlabStatus: "skipped" }, "skipped"],
    // Joined, GitLab not finished yet (or a status History does not know): wait for GitLab's word.
    [{ gitlabJobId: 1, gitlabStatus: null }, "pending"],
    [{ gitlabJobId: 1, gitlabStatus: "running" }, "pending"],
    // No GitLab job joined: finished, result unknown — never the pod's phase dressed up as GitLab's.
    [{ gitlabJobId: null, gitlabStatus: null }, "unknown"],
  ] as const)("%o → %s", (record, expected) => {
    expect(historyResult(record)).toBe(expected);
  });
});

describe("history rows and CSV", () => {
  it("converts integer columns back to units", () => {
    expect(toHistoryRow(record)).toMatchObject({
      vcpu: 2,
      memoryGiB: 4,
      cost: "0.014702",
      startedAt: null,
      finishedAt: "2026-01-01T00:01:00.000Z",
    });
  });

  it("reads the BigInt money column exactly, past what a 32-bit column holds", () => {
    expect(toHistoryRow({ ...record, costMicros: 12_345_678_901_234n }).cost).toBe("12345678.901234");
  });

  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const [header, line, end] = historyCsv([toHistoryRow(record)]).split("\r\n");
    expect(header.split(",")).toContain("cost");
    expect(line).toContain('"test, ""quoted"""');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(",0.014702,");
    expect(end).toBe("");
  });

  it("carries GitLab's result, pipeline, ref and user in the CSV, formula-safe", () => {
    const csv = historyCsv([toHistoryRow({ ...record, jobName: "test" }, gitlabJob)]);
    const [header, line] = csv.split("\r\n");
    const cells = Object.fromEntries(header.split(",").map((name, i) => [name, line.split(",")[i]]));
    expect(cells).toMatchObject({
      gitlab_result: "failed",
      failure_reason: "script_failure",
      pipeline_id: "7",
      ref: "main",
      user: "'@bob",
      stage: "test",
      status: "Succeeded",
      source: "pod",
    });
  });

  it("says unknown, and keeps the pod's ref, when no GitLab job is joined", () => {
    const row = toHistoryRow({ ...record, gitlabConnectionId: null, gitlabJobId: null, gitlabStatus: null });
    expect(row).toMatchObject({ result: "unknown", pipelineId: null, pipelineRef: '=HYPERLINK("x")', userName: null });
  });

  it("carries where the pod ran: backend, ACS class and QoS", () => {
    const acs = toHistoryRow({
      ...record,
      jobName: "test",
      backend: "acs",
      computeClass: "general-purpose",
      qos: "best-effort",
    });
    expect(acs).toMatchObject({ backend: "acs", computeClass: "general-purpose", qos: "best-effort" });
    const [header, line] = historyCsv([acs]).split("\r\n");
    const cells = Object.fromEntries(header.split(",").map((name, i) => [name, line.split(",")[i]]));
    expect(cells).toMatchObject({ backend: "acs", compute_class: "general-purpose", qos: "best-effort" });
    const eci = historyCsv([toHistoryRow({ ...record, jobName: "test" })]).split("\r\n");
    const eciCells = Object.fromEntries(eci[0].split(",").map((name, i) => [name, eci[1].split(",")[i]]));
    expect(eciCells).toMatchObject({ backend: "eci", compute_class: "", qos: "" });
  });
});
