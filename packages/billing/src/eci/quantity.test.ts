import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  parseCpuMillicores,
  parseCpuQuantity,
  parseMemoryBytes,
  parseMemoryQuantityGiB,
  QuantityError,
} from "@ask-ci/billing/eci/quantity";

describe("parseCpuQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["250m", 0.25],
    ["2", 2],
    ["0.5", 0.5],
    [".5", 0.5],
    ["1.", 1],
    ["1500m", 1.5],
    ["1e3", 1000],
    ["2E0", 2],
    ["100000000n", 0.1],
    ["1k", 1000],
    [" 2 ", 2],
    [0.25, 0.25],
    [4, 4],
    ["0", 0],
    [0, 0],
  ] as const)("%j -> %d vCPU", (input, expected) => {
    expect(parseCpuQuantity(input)).toBe(expected);
  });

  it("rounds sub-millicore amounts up to a whole millicore", () => {
    expect(parseCpuMillicores("1u")).toBe(1);
    expect(parseCpuMillicores("0.0001")).toBe(1);
  });

  it.each(["", "abc", "1.5.2", "1 Gi", "1gi", "1x", "-1", "-500m", "1e", "1e3m", "--1", NaN, Infinity, -2, "1e400"])(
    "rejects %j",
    (input) => {
      expect(() => parseCpuQuantity(input as string | number)).toThrow(QuantityError);
    },
  );
});

describe("QuantityError", () => {
  it.each([
    [Number.NaN, "not a finite number"],
    [-2, "negative"],
    ["-500m", "negative"],
    ["1x", "expected a number with an optional suffix such as m, Mi, Gi, G"],
    ["1e400", "too large"],
    [null, "expected a string or a number"],
    [{ cpu: "1" }, "expected a string or a number"],
  ])("says why %j is refused", (input, reason) => {
    expect(() => parseCpuQuantity(input as string | number)).toThrow(QuantityError);
    expect(() => parseCpuQuantity(input as string | number)).toThrow(
      `Invalid resource quantity ${JSON.stringify(input)}: ${reason}`,
    );
  });
});

describe("parseMemoryQuantityGiB", () => {
  it.each([
    ["1Gi", 1],
    ["512Mi", 0.5],
    ["1536Mi", 1.5],
    ["1048576Ki", 1],
    ["1Ti", 1024],
    ["0.5Gi", 0.5],
    ["1G", 1e9 / 2 ** 30],
    ["1000M", 1e9 / 2 ** 30],
    ["1073741824", 1],
    [1073741824, 1],
    ["1e9", 1e9 / 2 ** 30],
  ] as const)("%j -> %d GiB", (input, expected) => {
    expect(parseMemoryQuantityGiB(input)).toBe(expected);
  });

  it("rounds fractional bytes up", () => {
    expect(parseMemoryBytes("0.1Gi")).toBe(Math.ceil(0.1 * 2 ** 30));
    expect(parseMemoryBytes("1500m")).toBe(2);
  });

  it.each(["Gi", "1GiB", "one", "-1Gi", "1 G"])("rejects %j", (input) => {
    expect(() => parseMemoryQuantityGiB(input)).toThrow(/Invalid resource quantity/);
  });

  it("sums of millicores stay exact where float vCPU sums drift", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(parseCpuMillicores("100m") + parseCpuMillicores("200m")).toBe(parseCpuMillicores("300m"));
  });

  it("Mi and Gi quantities agree after conversion (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (mi) => {
        expect(parseMemoryBytes(`${mi}Mi`)).toBe(mi * 2 ** 20);
        expect(parseMemoryQuantityGiB(`${mi}Mi`)).toBe(mi / 1024);
      }),
    );
  });
});
