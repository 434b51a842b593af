import { describe, expect, it } from "vitest";
import { toMicros } from "@/lib/cost/money";
import { DEFAULT_PRICE_BOOKS, defaultPriceBook } from "@/lib/cost/prices";
import { jobEndOf, jobRecordData } from "@/lib/job-history/record";
import type { Pod } from "@/lib/kube/pod";
import { jobPod } from "./testing/pods";
import { toPodSummary } from "./pod-summary";

// The live monitor's final figure and the JobRecord History shows must be the same number for the
// same pod: both come from finalCostOfRate. These are the cases where they used to differ.

function withMeta(pod: Pod, labels: Record<string, string>, annotations: Record<string, string>): Pod {
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { ...pod.metadata!.labels, ...labels },
      annotations: { ...pod.metadata!.annotations, ...annotations },
    },
  };
}

const finishedTimes = { created: "2026-01-01T00:00:00Z", started: "2026-01-01T00:00:05Z" };
const acsLabels = { "alibabacloud.com/acs": "true", "alibabacloud.com/compute-qos": "best-effort" };

function evicted(pod: Pod): Pod {
  return {
    ...pod,
    status: {
      ...pod.status,
      conditions: [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }],
    },
  } as Pod;
}

// [name, pod, seen gone, how it ended]
const cases: Array<[string, Pod, boolean, "finished" | "vanished"]> = [
  [
    "an ECI job that ran 10 minutes",
    jobPod("a", "5", "Succeeded", { ...finishedTimes, finished: "2026-01-01T00:10:05Z" }),
    false,
    "finished",
  ],
  [
    "an ECI job under the 0.01 CNY minimum (rounded to 0)",
    jobPod("b", "5", "Failed", { ...finishedTimes, finished: "2026-01-01T00:00:30Z" }),
    false,
    "finished",
  ],
  [
    "an ECI job the runner deleted while running: the minimum charge applies to it too",
    jobPod("c", "5", "Running", finishedTimes),
    true,
    "finished",
  ],
  ["an ECI job deleted while pulling its image", jobPod("d", "5", "Pending", finishedTimes), true, "finished"],
  [
    "an ACS best-effort job that ran 10 minutes",
    withMeta(jobPod("e", "5", "Succeeded", { ...finishedTimes, finished: "2026-01-01T00:10:05Z" }), acsLabels, {
      "alibabacloud.com/pod-use-spec": "1-2Gi",
    }),
    false,
    "finished",
  ],
  [
    "an ACS job evicted (vanished) mid-run",
    evicted(
      withMeta(jobPod("f", "5", "Running", finishedTimes), acsLabels, { "alibabacloud.com/pod-use-spec": "2-4Gi" }),
    ),
    true,
    "vanished",
  ],
];

describe("one final fee for the monitor and History", () => {
  for (const book of [DEFAULT_PRICE_BOOKS.cn, DEFAULT_PRICE_BOOKS.intl, defaultPriceBook("intl", "overseas")]) {
    it.each(cases)(`%s (${book.site} ${book.regionGroup})`, (_name, pod, gone, kind) => {
      const goneAt = new Date("2026-01-01T00:04:00.400Z");
      const end = jobEndOf(pod, gone, goneAt)!;
      expect(end.kind).toBe(kind);
      const record = jobRecordData(pod, end, "conn", book);
      const row = toPodSummary(pod, book, gone ? { goneAt: goneAt.getTime() } : {});
      expect(row.cost.final).not.toBeNull();
      expect(toMicros(row.cost.final!)).toBe(record.costMicros);
      expect(row.phase).toBe(record.phase);
    });
  }

  it("really rounds a deleted ECI pod's small fee, as History always did", () => {
    const pod = jobPod("g", "5", "Running", finishedTimes);
    const row = toPodSummary(pod, DEFAULT_PRICE_BOOKS.cn, { goneAt: Date.parse("2026-01-01T00:00:35Z") });
    // 30 s of 2 vCPU / 4 GiB = 0.0036756 CNY, under half the 0.01 minimum: billed 0.
    expect(row.cost.final).toBe("0");
    expect(row.cost.billingEnd).toBe(Date.parse("2026-01-01T00:00:35Z"));
  });
});
