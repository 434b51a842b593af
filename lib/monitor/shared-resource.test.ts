import { afterEach, describe, expect, it, vi } from "vitest";
import { SharedResources } from "./shared-resource";

afterEach(() => vi.useRealTimers());

describe("SharedResources", () => {
  it("creates one value for 100 holders of a key and disposes it after the last release", () => {
    const disposed: string[] = [];
    const shared = new SharedResources(
      (key) => ({ key }),
      (value) => disposed.push(value.key),
    );
    const leases = Array.from({ length: 100 }, () => shared.acquire("c1/ns/sel"));
    expect(shared.created).toBe(1);
    expect(new Set(leases.map((l) => l.value)).size).toBe(1);
    expect(shared.refCount("c1/ns/sel")).toBe(100);
    leases.slice(0, 99).forEach((l) => l.release());
    expect(disposed).toEqual([]);
    leases[0].release();
    expect(shared.refCount("c1/ns/sel")).toBe(1);
    leases[99].release();
    expect(disposed).toEqual(["c1/ns/sel"]);
    expect(shared.size).toBe(0);
  });

  it("keeps separate values per key", () => {
    const shared = new SharedResources(
      (key) => ({ key }),
      () => {},
    );
    const a = shared.acquire("a");
    const b = shared.acquire("b");
    expect(a.value).not.toBe(b.value);
    expect(shared.created).toBe(2);
  });

  it("lingers after the last release and is reused if acquired again meanwhile", () => {
    vi.useFakeTimers();
    const dispose = vi.fn();
    const shared = new SharedResources((key) => ({ key }), dispose, 1000);
    const first = shared.acquire("k");
    first.release();
    vi.advanceTimersByTime(500);
    const second = shared.acquire("k");
    expect(second.value).toBe(first.value);
    vi.advanceTimersByTime(5000);
    expect(dispose).not.toHaveBeenCalled();
    second.release();
    vi.advanceTimersByTime(1000);
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(shared.acquire("k").value).not.toBe(first.value);
    expect(shared.created).toBe(2);
  });
});
