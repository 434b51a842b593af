import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeCostAt, isActivePhase, summaryCostAt, summaryCostNumberAt, type PodSummary } from "./pod-summary";
import { sortPods } from "./table";

const PHASES = ["Pending", "Running", "Unknown", "Finished", "Vanished", "Succeeded", "Failed"] as const;
const PRICES = ["0.000049", "0.0000980000", "0.00012345", "0.0000021"];

const summary = fc
  .record({
    uid: fc.uuid(),
    phase: fc.constantFrom(...PHASES),
    perSecond: fc.constantFrom(...PRICES),
    billingStart: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
    billedFor: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
    final: fc.option(fc.constantFrom("0.01", "1.2345", "17"), { nil: null }),
  })
  .map(
    ({ uid, phase, perSecond, billingStart, billedFor, final }) =>
      ({
        uid,
        phase,
        cost: {
          currency: "CNY",
          perSecond,
          billingStart,
          billingEnd: billingStart !== null && billedFor !== null ? billingStart + billedFor : null,
          final,
        },
      }) as PodSummary,
  );

describe("activeCostAt", () => {
  it("equals the sum of summaryCostAt over the active rows", () => {
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 60 }), fc.integer({ min: 0, max: 20_000_000 }), (pods, now) => {
        const expected = pods
          .filter((p) => isActivePhase(p.phase))
          .reduce((sum, p) => sum.plus(summaryCostAt(p, now)), new Decimal(0));
        expect(activeCostAt(pods, now).equals(expected)).toBe(true);
      }),
    );
  });

  it("is zero for no active row", () => {
    expect(activeCostAt([], 5).toNumber()).toBe(0);
  });
});

describe("summaryCostNumberAt", () => {
  it("is summaryCostAt as a number, so sorting by cost keeps its order", () => {
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 40 }), fc.integer({ min: 0, max: 20_000_000 }), (pods, now) => {
        for (const pod of pods)
          expect(summaryCostNumberAt(pod, now)).toBeCloseTo(summaryCostAt(pod, now).toNumber(), 9);
        const sorted = sortPods(pods, { key: "cost", descending: true }, now).map((p) => summaryCostAt(p, now));
        for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1].gte(sorted[i])).toBe(true);
      }),
    );
  });
});
