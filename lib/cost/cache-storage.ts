import { z } from "zod";
import { money, type CurrencyCode, type Money } from "./money";

/**
 * What a runner's shared cache costs a month on OSS (GitLab Runner's distributed cache) against a
 * NAS volume. OSS bills the bytes stored, each request (a cache download is one GET, an upload one
 * PUT) and, through the public endpoint only, the bytes downloaded; the internal endpoint carries no
 * traffic fee. NAS bills the stored bytes around the clock. Prices are the user's: the defaults below
 * are list prices to replace with their own (docs/oss-cache.md says where they come from).
 */
export interface CacheStoragePrices {
  currency: CurrencyCode;
  ossStoragePerGiBMonth: string;
  ossRequestsPer10k: string;
  ossInternetPerGiB: string;
  nasStoragePerGiBMonth: string;
}

/** China-site list prices (CNY); the international site has no defaults here (see docs/oss-cache.md). */
export const CHINA_SITE_CACHE_PRICES: CacheStoragePrices = {
  currency: "CNY",
  ossStoragePerGiBMonth: "0.12",
  ossRequestsPer10k: "0.01",
  ossInternetPerGiB: "0.50",
  nasStoragePerGiBMonth: "0.35",
};

const amount = z.coerce.number().min(0).max(1_000_000);
export const cacheStorageInputSchema = z.object({
  /** Bytes kept in the cache (all keys together), GiB. */
  storedGiB: amount,
  /** Size of one cache archive a job downloads and uploads, GiB. */
  archiveGiB: amount,
  jobsPerDay: amount,
  daysPerMonth: z.coerce.number().min(0).max(31),
  /** Whether jobs reach OSS through its public endpoint (traffic billed) rather than the internal one. */
  publicEndpoint: z.boolean(),
  ossStoragePerGiBMonth: amount,
  ossRequestsPer10k: amount,
  ossInternetPerGiB: amount,
  nasStoragePerGiBMonth: amount,
});
export type CacheStorageInput = z.infer<typeof cacheStorageInputSchema>;

export interface CacheStorageCost {
  oss: { storage: Money; requests: Money; traffic: Money; total: Money; requestsPerMonth: number };
  nas: { storage: Money; total: Money };
}

/** A cache download (GET) and an upload (PUT) per job; only downloads leave OSS as traffic. */
const REQUESTS_PER_JOB = 2;

export function cacheStorageCost(input: CacheStorageInput): CacheStorageCost {
  const jobsPerMonth = money(input.jobsPerDay).times(input.daysPerMonth);
  const requestsPerMonth = jobsPerMonth.times(REQUESTS_PER_JOB);
  const storage = money(input.storedGiB).times(input.ossStoragePerGiBMonth);
  const requests = requestsPerMonth.dividedBy(10_000).times(input.ossRequestsPer10k);
  const traffic = input.publicEndpoint ? jobsPerMonth.times(input.archiveGiB).times(input.ossInternetPerGiB) : money(0);
  const nasStorage = money(input.storedGiB).times(input.nasStoragePerGiBMonth);
  return {
    oss: {
      storage,
      requests,
      traffic,
      total: storage.plus(requests).plus(traffic),
      requestsPerMonth: requestsPerMonth.toNumber(),
    },
    nas: { storage: nasStorage, total: nasStorage },
  };
}
