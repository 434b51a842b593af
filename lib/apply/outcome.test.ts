import { describe, expect, it } from "vitest";
import { appliedOutcome, predictedOutcome } from "./outcome";

const rv = (resourceVersion: string) => ({ metadata: { resourceVersion } });

describe("appliedOutcome", () => {
  it.each([
    ["nothing live before", undefined, rv("5"), "created"],
    ["same resourceVersion after apply", rv("5"), rv("5"), "unchanged"],
    ["new resourceVersion after apply", rv("5"), rv("9"), "configured"],
  ] as const)("%s → %s", (_name, before, after, expected) => {
    expect(appliedOutcome(before, after)).toBe(expected);
  });
});

describe("predictedOutcome", () => {
  it.each([
    ["no live object", undefined, "+a", "created"],
    ["live object, empty diff", {}, "", "unchanged"],
    ["live object, a diff", {}, "-a\n+b", "configured"],
  ] as const)("%s → %s", (_name, before, diff, expected) => {
    expect(predictedOutcome(before, diff)).toBe(expected);
  });
});
