import { z } from "zod";
import { BACKENDS, isBackend, type Backend } from "@ask-ci/billing/placement";
import { isSite, type Site } from "@/lib/cost/prices";

/** How one cluster connection is priced: its site's book, its region's, and what unlabelled pods run on. */
export interface ConnectionPricingSettings {
  site: Site;
  /** A region id such as cn-hangzhou or ap-southeast-1, or "default" (the site-wide book, mainland group). */
  region: string;
  /** Pods with neither an ECI nor an ACS label or annotation: ECI on ACK Serverless, ACS in an ACS cluster. */
  defaultBackend: Backend;
}

export const DEFAULT_CONNECTION_PRICING: ConnectionPricingSettings = Object.freeze({
  site: "cn",
  region: "default",
  defaultBackend: "eci",
});

// Alibaba Cloud region ids: cn-hangzhou, ap-southeast-1, eu-central-1, us-west-1, cn-hongkong.
const REGION_ID = /^[a-z]{2}(-[a-z0-9]+){1,3}$/;

export const connectionPricingSchema = z.object({
  priceSite: z.enum(["cn", "intl"]),
  priceRegion: z
    .string()
    .trim()
    .max(40)
    .transform((r) => (r === "" ? "default" : r))
    .refine((r) => r === "default" || REGION_ID.test(r), "Enter a region id such as cn-hangzhou, or leave it empty"),
  defaultBackend: z.enum(BACKENDS),
});

/** The stored columns as settings; anything a hand-edited row could hold that we do not know falls back. */
export function connectionPricingOf(row: {
  priceSite: string;
  priceRegion: string;
  defaultBackend: string;
}): ConnectionPricingSettings {
  return {
    site: isSite(row.priceSite) ? row.priceSite : DEFAULT_CONNECTION_PRICING.site,
    region: row.priceRegion === "default" || REGION_ID.test(row.priceRegion) ? row.priceRegion : "default",
    defaultBackend: isBackend(row.defaultBackend) ? row.defaultBackend : DEFAULT_CONNECTION_PRICING.defaultBackend,
  };
}
