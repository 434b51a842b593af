import { describe, expect, it } from "vitest";
import { parseGoDuration } from "./go-duration";

describe("parseGoDuration", () => {
  it.each<[string | undefined, number | null]>([
    ["1h0m0s", 3600],
    ["2m0s", 120],
    ["1h30m0s", 5400],
    ["10m0s", 600],
    ["45s", 45],
    ["1.5s", 1.5],
    ["500ms", 0.5],
    ["0s", 0],
    ["", null],
    [undefined, null],
    ["3600", null],
    ["1d", null],
    ["-1h0m0s", null],
    ["1h 0m", null],
    ["1".repeat(70) + "s", null],
  ])("%j is %j seconds", (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });
});
