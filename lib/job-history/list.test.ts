import { describe, expect, it } from "vitest";
import { historyCsv, toHistoryRow } from "./list";

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
  costMicros: 14702,
};

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

  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const [header, line, end] = historyCsv([toHistoryRow(record)]).split("\r\n");
    expect(header.split(",")).toContain("cost");
    expect(line).toContain('"test, ""quoted"""');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(",0.014702,");
    expect(end).toBe("");
  });
});
