import { describe, expect, it } from "vitest";
import { fnv1a32, SeededRandom } from "./index";

function draws(random: SeededRandom, count = 5): number[] {
  return Array.from({ length: count }, () => random.next());
}

describe("SeededRandom", () => {
  it("replays the same sequence from the same seed, and another from another seed", () => {
    expect(draws(new SeededRandom(42))).toEqual(draws(new SeededRandom(42)));
    expect(draws(new SeededRandom(42))).not.toEqual(draws(new SeededRandom(43)));
  });

  it("gives each named fork its own stream, and leaves the parent's sequence alone", () => {
    const parent = new SeededRandom(7);
    const pods = parent.fork("pods");
    const names = parent.fork("names");
    expect(draws(pods)).not.toEqual(draws(names));
    expect(draws(parent)).toEqual(draws(new SeededRandom(7)));
    expect(draws(new SeededRandom(7).fork("pods"))).toEqual(draws(new SeededRandom(7).fork("pods")));
  });

  it("continues the same sequence from a persisted state", () => {
    const random = new SeededRandom(99);
    draws(random, 3);
    const resumed = new SeededRandom(random.seedState);
    expect(draws(resumed)).toEqual(draws(random));
  });

  it("keeps every draw inside its range", () => {
    const random = new SeededRandom(1);
    for (let i = 0; i < 2_000; i++) {
      const n = random.next();
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(1);
      const k = random.int(3, 5);
      expect([3, 4, 5]).toContain(k);
      const x = random.between(-2, 2);
      expect(x).toBeGreaterThanOrEqual(-2);
      expect(x).toBeLessThan(2);
      expect(random.exponential(10)).toBeGreaterThanOrEqual(0);
      expect(random.logNormal(30, 0.5)).toBeGreaterThan(0);
    }
  });

  it("draws int's bounds and every item of pick, not just the middle", () => {
    const random = new SeededRandom(5);
    const ints = new Set(Array.from({ length: 500 }, () => random.int(0, 3)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3]);
    const picked = new Set(Array.from({ length: 500 }, () => random.pick(["a", "b", "c"])));
    expect([...picked].sort()).toEqual(["a", "b", "c"]);
  });

  it("centres exponential and log-normal draws where asked (mean and median)", () => {
    const random = new SeededRandom(11);
    const n = 20_000;
    const mean = Array.from({ length: n }, () => random.exponential(10)).reduce((a, b) => a + b) / n;
    expect(mean).toBeGreaterThan(9.5);
    expect(mean).toBeLessThan(10.5);
    const sorted = Array.from({ length: n }, () => random.logNormal(30, 0.5)).sort((a, b) => a - b);
    expect(sorted[n / 2]).toBeGreaterThan(28.5);
    expect(sorted[n / 2]).toBeLessThan(31.5);
  });

  it("writes strings and hex of the asked length from the alphabet", () => {
    const random = new SeededRandom(3);
    expect(random.hex(12)).toMatch(/^[0-9a-f]{12}$/);
    expect(random.string(8)).toMatch(/^[a-z0-9]{8}$/);
    expect(random.string(6, "xy")).toMatch(/^[xy]{6}$/);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
  });
});

describe("fnv1a32", () => {
  it("matches FNV-1a's published 32-bit values", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });
});
