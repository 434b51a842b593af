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

  it("a lease released twice gives back one reference", () => {
    const dispose = vi.fn();
    const shared = new SharedResources((key) => ({ key }), dispose);
    const first = shared.acquire("k");
    const second = shared.acquire("k");
    first.release();
    first.release();
    expect(shared.refCount("k")).toBe(1);
    expect(dispose).not.toHaveBeenCalled();
    second.release();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(dispose).toHaveBeenCalledWith({ key: "k" }, "k");
  });

  it("uses a holder's own factory only when it is the first, and reports live and lingering keys", () => {
    vi.useFakeTimers();
    const shared = new SharedResources(
      (key) => `default ${key}`,
      () => {},
      1000,
    );
    const first = shared.acquire("a", (key) => `custom ${key}`);
    expect(first.value).toBe("custom a");
    expect(shared.acquire("a", () => "ignored").value).toBe("custom a");
    shared.acquire("b");
    expect(shared.peek("a")).toBe("custom a");
    expect(shared.peek("missing")).toBeUndefined();
    expect(shared.has("b")).toBe(true);
    expect(shared.has("missing")).toBe(false);
    expect(shared.keys()).toEqual(["a", "b"]);
    expect(shared.refCount("a")).toBe(2);
    expect(shared.refCount("missing")).toBe(0);
    expect(shared.size).toBe(2);
  });

  it("a lingering value is still peekable until the linger ends, and not disposed twice", () => {
    vi.useFakeTimers();
    const dispose = vi.fn();
    const shared = new SharedResources((key) => ({ key }), dispose, 1000);
    const lease = shared.acquire("k");
    lease.release();
    expect(shared.has("k")).toBe(true);
    expect(shared.peek("k")).toEqual({ key: "k" });
    expect(shared.refCount("k")).toBe(0);
    vi.advanceTimersByTime(999);
    expect(dispose).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(shared.has("k")).toBe(false);
    expect(shared.keys()).toEqual([]);
    vi.advanceTimersByTime(10_000);
    expect(dispose).toHaveBeenCalledTimes(1);
  });

  it("a value re-acquired while lingering is kept past the first linger's end", () => {
    vi.useFakeTimers();
    const dispose = vi.fn();
    const shared = new SharedResources((key) => ({ key }), dispose, 1000);
    shared.acquire("k").release();
    vi.advanceTimersByTime(900);
    const again = shared.acquire("k");
    again.release();
    vi.advanceTimersByTime(200); // the first linger would have ended here
    expect(shared.has("k")).toBe(true);
    vi.advanceTimersByTime(800);
    expect(shared.has("k")).toBe(false);
    expect(dispose).toHaveBeenCalledTimes(1);
  });
});
