import { describe, expect, it } from "vitest";
import { acsPodLabels } from "@ask-ci/billing/acs/labels";
import { DEFAULT_PRICE_BOOKS } from "@/lib/cost/prices";
import { finishedJobEnd, jobRecordData } from "@/lib/job-history/record";
import { reconstructedJobPod } from "./backfill";
import type { GitlabJobColumns } from "./records";

const job = {
  jobId: 77,
  projectId: 3,
  projectPath: "group/app",
  name: "build",
  status: "success",
  ref: "main",
  webUrl: null,
  startedAt: new Date("2026-12-01T10:00:00Z"),
  finishedAt: new Date("2026-12-01T10:10:00Z"),
} as GitlabJobColumns;
const resources = {
  build: { cpuRequest: "750m", cpuLimit: "750m", memoryRequest: "1536Mi", memoryLimit: "1536Mi" },
  helper: { cpuRequest: "250m", cpuLimit: "250m", memoryRequest: "512Mi", memoryLimit: "512Mi" },
};

describe("a backfilled job is priced where its profile's job pods run", () => {
  it("ECI by default; ACS with the profile's class and QoS labels", () => {
    const eci = jobRecordData(
      reconstructedJobPod(job, "gl", "gitlab-runner", resources),
      finishedJobEnd(job.finishedAt!),
      "c",
      DEFAULT_PRICE_BOOKS.cn,
    );
    expect(eci).toMatchObject({ backend: "eci", billedSeconds: 600, costMicros: 36756 }); // (0.000049 + 2 × 0.00000613) × 600
    const acs = jobRecordData(
      reconstructedJobPod(job, "gl", "gitlab-runner", resources, acsPodLabels("general-purpose", "best-effort")),
      finishedJobEnd(job.finishedAt!),
      "c",
      DEFAULT_PRICE_BOOKS.cn,
    );
    // (0.0000033 + 2 × 0.00000167) × 600 = 0.003984
    expect(acs).toMatchObject({
      backend: "acs",
      computeClass: "general-purpose",
      qos: "best-effort",
      costMicros: 3984,
    });
  });
});
