import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_BOOKS, defaultPriceBook } from "./prices";
import { jobsPerObservedDay, observedSpan, repriceObserved, spanLength, MIN_OBSERVED_SECONDS } from "./observed";

const cn = DEFAULT_PRICE_BOOKS.cn;
const NOW = new Date("2026-12-06T12:00:00Z");

describe("observed span", () => {
  it("57 jobs seen in 25 minutes are 25 minutes of history whatever the period, and too little to extrapolate", () => {
    const firstSeen = new Date(NOW.getTime() - 25 * 60_000);
    for (const days of [1, 7, 30, 90]) {
      const fromDay = new Date(NOW.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const span = observedSpan({ fromDay, toDay: "2026-12-06" }, firstSeen, NOW);
      expect(span.seconds).toBe(25 * 60);
      expect(span.enough).toBe(false);
      expect(jobsPerObservedDay(57, span)).toBeNull();
    }
    expect(spanLength(25 * 60)).toEqual({ unit: "minutes", value: 25 });
  });

  it.each([
    // [period days, first seen (hours before now), expected observed seconds]
    [30, 72, 72 * 3600], // history shorter than the period: the history counts
    [7, 24 * 40, 6 * 86_400 + 12 * 3600], // history longer: the period, up to now (12:00 on its last day)
    [1, 5, 5 * 3600],
    [30, 24, 24 * 3600], // exactly the minimum
  ])("a %i-day period with history from %i h ago observes %i s", (days, hoursAgo, seconds) => {
    const fromDay = new Date(NOW.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const span = observedSpan({ fromDay, toDay: "2026-12-06" }, new Date(NOW.getTime() - hoursAgo * 3600_000), NOW);
    expect(span.seconds).toBe(seconds);
    expect(span.enough).toBe(seconds >= MIN_OBSERVED_SECONDS);
  });

  it("jobs per day over 3 observed days, not over a 30-day period", () => {
    const span = observedSpan({ fromDay: "2026-11-07", toDay: "2026-12-06" }, new Date("2026-12-03T12:00:00Z"), NOW);
    expect(jobsPerObservedDay(300, span)!.toNumber()).toBe(100);
    expect(spanLength(span.seconds)).toEqual({ unit: "days", value: 3 });
  });

  it("a past period ends at its last day, and no history means nothing observed", () => {
    const past = observedSpan({ fromDay: "2026-11-01", toDay: "2026-11-02" }, new Date("2026-10-01T00:00:00Z"), NOW);
    expect(past.seconds).toBe(2 * 86_400);
    expect(observedSpan({ fromDay: "2026-12-01", toDay: "2026-12-06" }, null, NOW).seconds).toBe(0);
    expect(spanLength(5 * 3600)).toEqual({ unit: "hours", value: 5 });
  });
});

describe("observed jobs re-priced on each backend", () => {
  // 100 jobs of 10 minutes at 1 vCPU / 2 GiB (the seed's example), observed over 2 days.
  const span = observedSpan({ fromDay: "2026-12-01", toDay: "2026-12-06" }, new Date("2026-12-04T12:00:00Z"), NOW);
  const groups = [
    {
      vcpuMilli: 1000,
      memoryMiB: 2048,
      requestedVcpuMilli: 1000,
      requestedMemoryMiB: 2048,
      jobs: 100,
      billedSeconds: 60_000,
    },
  ];

  it("prices the same seconds at each backend's normalised spec and unit price", () => {
    const byId = Object.fromEntries(repriceObserved(groups, cn, span).map((r) => [r.id, r]));
    const cost = (id: string) => (byId[id].ok ? byId[id].cost.toNumber() : null);
    expect(cost("eci")).toBeCloseTo((0.000049 + 2 * 0.00000613) * 60_000, 10); // 3.6756
    expect(cost("eci-economy")).toBeCloseTo((0.000027 + 2 * 0.00000613) * 60_000, 10);
    expect(cost("acs-default")).toBeCloseTo((0.0000167 + 2 * 0.00000833) * 60_000, 10); // 2.0016
    expect(cost("acs-best-effort")).toBeCloseTo((0.0000033 + 2 * 0.00000167) * 60_000, 10);
    // Spot: ECI creates spot instances from 2 vCPU / 2 GiB, at 30% off on-demand by default.
    expect(cost("eci-spot")).toBeCloseTo((2 * 0.000049 + 2 * 0.00000613) * 0.7 * 60_000, 10);
    // A 30-day month at the observed rate: 2 days observed → × 15.
    const acs = byId["acs-default"];
    expect(acs.ok && acs.monthly!.toNumber()).toBeCloseTo(2.0016 * 15, 8);
  });

  it("normalises the larger of billed and requested sizes for ACS (0.3 vCPU requested → 0.5 vCPU)", () => {
    const small = [
      { vcpuMilli: 250, memoryMiB: 512, requestedVcpuMilli: 300, requestedMemoryMiB: 600, jobs: 1, billedSeconds: 100 },
    ];
    const acs = repriceObserved(small, cn, span).find((r) => r.id === "acs-default")!;
    expect(acs.ok && acs.cost.toNumber()).toBeCloseTo((0.5 * 0.0000167 + 1 * 0.00000833) * 100, 12);
  });

  it("says why an option cannot be priced: no economy price abroad, a size beyond ECI", () => {
    const intl = repriceObserved(groups, defaultPriceBook("intl", "overseas"), span);
    expect(intl.find((r) => r.id === "eci-economy")).toMatchObject({ ok: false, error: "no-price" });
    const huge = [
      {
        vcpuMilli: 48_000,
        memoryMiB: 96 * 1024,
        requestedVcpuMilli: null,
        requestedMemoryMiB: null,
        jobs: 1,
        billedSeconds: 60,
      },
    ];
    const outcomes = Object.fromEntries(repriceObserved(huge, cn, span).map((r) => [r.id, r]));
    expect(outcomes.eci).toMatchObject({ ok: false, error: "spec" });
    expect(outcomes["acs-default"].ok).toBe(true);
  });

  it("gives no monthly figure below the minimum history", () => {
    const short = observedSpan({ fromDay: "2026-12-06", toDay: "2026-12-06" }, new Date(NOW.getTime() - 3600_000), NOW);
    expect(repriceObserved(groups, cn, short).every((r) => !r.ok || r.monthly === null)).toBe(true);
  });
});
