import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHINA_SITE_CACHE_PRICES,
  cacheStorageCost,
  cacheStorageInputSchema,
  type CacheStorageInput,
} from "./cache-storage";

const base: CacheStorageInput = {
  storedGiB: 50,
  archiveGiB: 0.5,
  jobsPerDay: 100,
  daysPerMonth: 22,
  publicEndpoint: false,
  ossStoragePerGiBMonth: Number(CHINA_SITE_CACHE_PRICES.ossStoragePerGiBMonth),
  ossRequestsPer10k: Number(CHINA_SITE_CACHE_PRICES.ossRequestsPer10k),
  ossInternetPerGiB: Number(CHINA_SITE_CACHE_PRICES.ossInternetPerGiB),
  nasStoragePerGiBMonth: Number(CHINA_SITE_CACHE_PRICES.nasStoragePerGiBMonth),
};

describe("cacheStorageCost", () => {
  it("prices 50 GiB and 100 jobs a day over the internal endpoint: storage + one GET and one PUT per job, no traffic", () => {
    const cost = cacheStorageCost(base);
    expect(cost.oss.storage.toString()).toBe("6"); // 50 × 0.12
    expect(cost.oss.requestsPerMonth).toBe(4400); // 100 × 22 × 2
    expect(cost.oss.requests.toString()).toBe("0.0044"); // 4400 / 10000 × 0.01
    expect(cost.oss.traffic.toString()).toBe("0");
    expect(cost.oss.total.toString()).toBe("6.0044");
    expect(cost.nas.total.toString()).toBe("17.5"); // 50 × 0.35
  });

  it("bills each job's archive download as internet traffic through the public endpoint", () => {
    const cost = cacheStorageCost({ ...base, publicEndpoint: true });
    expect(cost.oss.traffic.toString()).toBe("550"); // 2200 jobs × 0.5 GiB × 0.50
    expect(cost.oss.total.toString()).toBe("556.0044");
  });

  it("never gives a negative or NaN amount for any valid input, and totals are the sum of their parts", () => {
    const input = fc.record({
      storedGiB: fc.double({ min: 0, max: 1e6, noNaN: true }),
      archiveGiB: fc.double({ min: 0, max: 1e6, noNaN: true }),
      jobsPerDay: fc.double({ min: 0, max: 1e6, noNaN: true }),
      daysPerMonth: fc.integer({ min: 0, max: 31 }),
      publicEndpoint: fc.boolean(),
      ossStoragePerGiBMonth: fc.double({ min: 0, max: 100, noNaN: true }),
      ossRequestsPer10k: fc.double({ min: 0, max: 100, noNaN: true }),
      ossInternetPerGiB: fc.double({ min: 0, max: 100, noNaN: true }),
      nasStoragePerGiBMonth: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(input, (i) => {
        const { oss, nas } = cacheStorageCost(i);
        for (const m of [oss.storage, oss.requests, oss.traffic, oss.total, nas.total]) {
          expect(m.isNaN()).toBe(false);
          expect(m.isNegative() && !m.isZero()).toBe(false);
        }
        expect(oss.total.equals(oss.storage.plus(oss.requests).plus(oss.traffic))).toBe(true);
      }),
    );
  });
});

describe("cacheStorageInputSchema", () => {
  it("refuses negative sizes and more than 31 days", () => {
    expect(cacheStorageInputSchema.safeParse({ ...base, storedGiB: -1 }).success).toBe(false);
    expect(cacheStorageInputSchema.safeParse({ ...base, daysPerMonth: 32 }).success).toBe(false);
    expect(cacheStorageInputSchema.safeParse(base).success).toBe(true);
  });
});
