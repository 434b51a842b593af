import { describe, expect, it } from "vitest";
import { FOCUS_COLUMNS, focusCsv, focusRow } from "./focus";
import type { JobHistoryRow } from "./list";

/** RFC 4180 reader for the test: quoted fields with doubled quotes, CRLF records. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  return records;
}

const row: JobHistoryRow = {
  podUid: "uid-1",
  podName: "runner-x-project-7-concurrent-0",
  namespace: "gitlab-runner",
  runnerName: "ask-runner",
  projectPath: "group/app",
  jobId: "42",
  jobName: "=cmd|' /C calc'!A0",
  jobUrl: null,
  ref: "main",
  phase: "Succeeded",
  reason: null,
  createdAt: "2026-11-30T23:50:00.000Z",
  startedAt: "2026-11-30T23:50:05.000Z",
  finishedAt: "2026-12-01T00:00:05.000Z",
  billedSeconds: 600,
  vcpu: 1,
  memoryGiB: 2,
  currency: "CNY",
  cost: "0.020016",
  backend: "acs",
  computeClass: "general-purpose",
  qos: "best-effort",
  result: "success",
  gitlabConnectionId: null,
  gitlabJobId: null,
  pipelineId: null,
  pipelineRef: "main",
  mergeRequestIid: null,
  userName: null,
  stage: null,
  failureReason: null,
  source: "pod",
} as JobHistoryRow;

describe("FOCUS export", () => {
  it("maps a finished ACS job to FOCUS 1.0 columns", () => {
    expect(focusRow(row, { connectionName: "prod", region: "cn-hangzhou" })).toMatchObject({
      BilledCost: "0.020016",
      EffectiveCost: "0.020016",
      ListCost: "0.020016",
      BillingCurrency: "CNY",
      ChargeCategory: "Usage",
      ChargeFrequency: "Usage-Based",
      // Finished just after midnight: December's bill, charged from the start to the finish.
      BillingPeriodStart: "2026-12-01T00:00:00Z",
      BillingPeriodEnd: "2027-01-01T00:00:00Z",
      ChargePeriodStart: "2026-11-30T23:50:05Z",
      ChargePeriodEnd: "2026-12-01T00:00:05Z",
      ConsumedQuantity: 600,
      ConsumedUnit: "Seconds",
      ListUnitPrice: "0.00003336",
      ProviderName: "Alibaba Cloud",
      ServiceName: "Container Compute Service",
      ServiceCategory: "Compute",
      SkuId: "acs.general-purpose.best-effort",
      ResourceId: "uid-1",
      ResourceType: "ACS Pod",
      RegionId: "cn-hangzhou",
      x_ClusterConnection: "prod",
    });
  });

  it("an ECI job without a known region; tags as JSON", () => {
    const eci = focusRow(
      { ...row, backend: "eci", computeClass: null, qos: null },
      { connectionName: "c", region: "default" },
    );
    expect(eci).toMatchObject({ ServiceName: "Elastic Container Instance", SkuId: "eci.vcpu-memory", RegionId: null });
    expect(JSON.parse(eci.Tags as string)).toMatchObject({ "gitlab.project": "group/app", "gitlab.job_id": "42" });
  });

  it("writes a CSV a CSV parser reads back, with every column and formula-safe cells", () => {
    const csv = focusCsv([row], { connectionName: "prod", region: "cn-hangzhou" });
    const [header, values, ...rest] = readCsv(csv);
    expect(rest).toEqual([]);
    expect(header).toEqual([...FOCUS_COLUMNS]);
    const record = Object.fromEntries(header.map((name, i) => [name, values[i]]));
    expect(record.BilledCost).toBe("0.020016");
    // The job name reaches the Tags column only (inside JSON); no cell starts a formula.
    for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@]/);
    expect(JSON.parse(record.Tags)["gitlab.job"]).toBe("=cmd|' /C calc'!A0");
  });
});
