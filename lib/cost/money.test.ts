import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  formatAxisMoney,
  formatMoney,
  formatUnitPrice,
  fromMicros,
  isCurrencyCode,
  microsFromDatabase,
  money,
  roundMoney,
  sumMoney,
  toMicros,
} from "@/lib/cost/money";

describe("formatMoney", () => {
  it.each([
    [139, "CNY", undefined, "¥139.00"],
    [1234.5, "CNY", undefined, "¥1,234.50"],
    [1234567.891, "USD", undefined, "US$1,234,567.89"],
    ["0.005", "CNY", undefined, "¥0.01"],
    ["0.0049", "CNY", undefined, "¥0.00"],
    [-0.1, "USD", undefined, "-US$0.10"],
    ["-0.001", "CNY", undefined, "¥0.00"],
    ["0.036756", "CNY", 4, "¥0.0368"],
    [1000, "CNY", 0, "¥1,000"],
  ] as const)("%s %s (decimals %s) -> %s", (amount, currency, decimals, expected) => {
    expect(formatMoney(amount, currency, { decimals })).toBe(expected);
  });

  it("formats unit prices with their own precision and no grouping", () => {
    expect(formatUnitPrice("0.000049", "CNY")).toBe("¥0.00004900");
    expect(formatUnitPrice("0.00000096", "USD")).toBe("US$0.00000096");
  });
});

describe("decimal money", () => {
  it("sums without binary float drift", () => {
    const amounts = Array.from({ length: 10 }, () => 0.1);
    expect(amounts.reduce((a, b) => a + b, 0)).not.toBe(1);
    expect(sumMoney(amounts).equals(1)).toBe(true);
  });

  it("rounds half-up", () => {
    expect(roundMoney("0.125", 2).toFixed()).toBe("0.13");
    expect(roundMoney("0.124", 2).toFixed()).toBe("0.12");
  });

  it("round-trips through integer micro-units (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (micros) => {
        expect(toMicros(fromMicros(micros))).toBe(micros);
      }),
    );
    expect(toMicros(money("0.0367565"))).toBe(36757);
  });
});

describe("formatAxisMoney", () => {
  it("keeps small ticks apart: the decimals each tick has, at least the currency's", () => {
    expect([0, 0.005, 0.01, 0.015, 0.02].map((v) => formatAxisMoney(v, "CNY"))).toEqual([
      "¥0",
      "¥0.005",
      "¥0.01",
      "¥0.015",
      "¥0.02",
    ]);
    expect(formatAxisMoney(0.5, "USD")).toBe("US$0.50");
  });

  it("whole amounts of 10 or more without decimals, halves with one", () => {
    expect([10, 1200, 12.5].map((v) => formatAxisMoney(v, "CNY"))).toEqual(["¥10", "¥1,200", "¥12.5"]);
  });
});

describe("money edges", () => {
  it("reads micro-units from the database, 0 for nothing, and refuses what is not exact", () => {
    expect(microsFromDatabase(null)).toBe(0);
    expect(microsFromDatabase(undefined)).toBe(0);
    expect(microsFromDatabase(12n)).toBe(12);
    expect(microsFromDatabase("34")).toBe(34);
    expect(() => microsFromDatabase("1.5")).toThrow("Amount out of range: 1.5 micro-units");
    expect(() => microsFromDatabase(2n ** 60n)).toThrow(RangeError);
  });

  it("knows its currencies", () => {
    expect(isCurrencyCode("CNY")).toBe(true);
    expect(isCurrencyCode("EUR")).toBe(false);
    expect(isCurrencyCode("toString")).toBe(false);
  });

  it("groups thousands unless told not to", () => {
    expect(formatMoney(1234.5, "CNY", { grouping: true })).toBe("¥1,234.50");
    expect(formatMoney(1234.5, "CNY", { grouping: false })).toBe("¥1234.50");
    expect(formatUnitPrice("1234.5", "CNY")).toBe("¥1234.50000000");
  });

  it("gives an axis tick at most six decimals", () => {
    expect(formatAxisMoney(0.1234567, "CNY")).toBe("¥0.123457");
    expect(formatAxisMoney(0.000001, "CNY")).toBe("¥0.000001");
  });
});
