import { describe, expect, it } from "vitest";
import { budgetConditions, budgetStatus, budgetWindow, type BudgetSpend } from "./budgets";

describe("budgetWindow", () => {
  it.each([
    ["day", "2026-12-06T15:00:00Z", "2026-12-06", "2026-12-06", "2026-12-06"],
    ["day", "2026-12-06T00:00:00Z", "2026-12-06", "2026-12-06", "2026-12-06"],
    ["day", "2026-12-06T23:59:59.999Z", "2026-12-06", "2026-12-06", "2026-12-06"],
    ["month", "2026-12-06T15:00:00Z", "2026-12-01", "2026-12-31", "2026-12"],
    ["month", "2026-02-28T12:00:00Z", "2026-02-01", "2026-02-28", "2026-02"],
    ["month", "2028-02-10T12:00:00Z", "2028-02-01", "2028-02-29", "2028-02"],
    ["month", "2026-01-01T00:00:00Z", "2026-01-01", "2026-01-31", "2026-01"],
  ] as const)("%s at %s: %s..%s (%s)", (period, now, fromDay, toDay, label) => {
    expect(budgetWindow(period, new Date(now))).toEqual({ fromDay, toDay, label });
  });
});

describe("budgetStatus", () => {
  it.each([
    [10_000_000, 0, false, 0, 10_000_000],
    [10_000_000, 9_999_999, false, 0.9999999, 1],
    [10_000_000, 10_000_000, true, 1, 0],
    [10_000_000, 25_000_000, true, 2.5, 0],
    [0, 5, false, 0, 0],
  ])("amount %i, spent %i: crossed %s", (amount, spent, crossed, ratio, remaining) => {
    const status = budgetStatus(amount, spent);
    expect(status.crossed).toBe(crossed);
    expect(status.ratio).toBeCloseTo(ratio, 9);
    expect(status.remainingMicros).toBe(remaining);
  });
});

describe("budgetConditions", () => {
  const base: BudgetSpend = {
    id: "b1",
    connectionName: "demo",
    projectPath: "",
    period: "day",
    currency: "CNY",
    amountMicros: 1_000_000,
    spentMicros: 0,
    runningMicros: 0,
    runningJobs: 0,
  };
  const now = new Date("2026-12-06T10:00:00Z");

  it("is silent below the amount", () => {
    expect(budgetConditions([{ ...base, spentMicros: 999_999 }], now)).toEqual([]);
  });

  it("fires for a crossed budget, keyed by budget and period, with the figures", () => {
    const [condition] = budgetConditions([{ ...base, spentMicros: 1_500_000 }], now);
    expect(condition.key).toBe("budget:b1:2026-12-06");
    expect(condition.scope).toBe("budget");
    expect(condition.title).toBe("Budget crossed: demo, daily");
    expect(condition.message).toContain("Spent ¥1.50 of ¥1.00 (150 %) in 2026-12-06 (UTC).");
  });

  it("says how much of the spend is jobs still running, and only when there are some", () => {
    const [withRunning] = budgetConditions(
      [{ ...base, spentMicros: 1_200_000, runningMicros: 700_000, runningJobs: 2 }],
      now,
    );
    expect(withRunning.message).toContain("Spent ¥1.20 of ¥1.00 (120 %)");
    expect(withRunning.message).toContain("Includes ¥0.70 so far of 2 jobs still running.");
    const [recordedOnly] = budgetConditions([{ ...base, spentMicros: 1_200_000 }], now);
    expect(recordedOnly.message).not.toContain("still running");
  });

  it("a monthly project budget names the project and the month", () => {
    const [condition] = budgetConditions(
      [{ ...base, id: "b2", period: "month", projectPath: "group/app", spentMicros: 2_000_000 }],
      now,
    );
    expect(condition.key).toBe("budget:b2:2026-12");
    expect(condition.title).toBe("Budget crossed: demo / group/app, monthly");
    expect(condition.message).toContain("Project: group/app");
  });

  it("the same budget crossed the next day is a new condition", () => {
    const crossed = { ...base, spentMicros: 2_000_000 };
    const today = budgetConditions([crossed], now)[0].key;
    const tomorrow = budgetConditions([crossed], new Date("2026-12-07T01:00:00Z"))[0].key;
    expect(tomorrow).not.toBe(today);
  });
});
