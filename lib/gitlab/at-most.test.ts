import { describe, expect, it } from "vitest";
import { forEachAtMost } from "./at-most";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("forEachAtMost", () => {
  it("visits every item once, never more than the limit at a time", async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachAtMost([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(item);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it("starts nothing after a failure, lets the started calls settle, then throws the first failure", async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = forEachAtMost([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error("boom 1");
      await tick();
      settled.push(item);
    });
    await expect(run).rejects.toThrow("boom 1");
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([2]);
  });

  it("does nothing for no items", async () => {
    await expect(forEachAtMost([], 4, async () => {})).resolves.toBeUndefined();
  });
});
