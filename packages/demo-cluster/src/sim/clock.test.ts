import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock";

describe("ManualClock", () => {
  it("fires timers in due order, same-time ones in creation order, including ones scheduled meanwhile", () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push("b@20"), 20);
    clock.setTimeout(() => {
      fired.push("a@10");
      clock.setTimeout(() => fired.push("c@15"), 5);
    }, 10);
    clock.setTimeout(() => fired.push("d@20"), 20);
    clock.advance(19);
    expect(fired).toEqual(["a@10", "c@15"]);
    expect(clock.now()).toBe(19);
    clock.advance(1);
    expect(fired).toEqual(["a@10", "c@15", "b@20", "d@20"]);
  });

  it("sets now to each timer's due time while it runs, and skips cancelled timers", () => {
    const clock = new ManualClock(1000);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 250);
    const cancel = clock.setTimeout(() => seen.push(-1), 100);
    cancel();
    clock.advance(1000);
    expect(seen).toEqual([1250]);
    expect(clock.now()).toBe(2000);
  });
});
