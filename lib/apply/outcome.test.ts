import { describe, expect, it } from "vitest";
import { outcomeOf } from "./outcome";

describe("outcomeOf", () => {
  it.each([
    ["no live object", undefined, "+a", "created"],
    ["live object, empty diff", {}, "", "unchanged"],
    ["live object, a diff", {}, "-a\n+b", "configured"],
  ] as const)("%s → %s", (_name, before, diff, expected) => {
    expect(outcomeOf(before, diff)).toBe(expected);
  });
});
