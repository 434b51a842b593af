import "server-only";
import { db } from "@/lib/db.server";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import type { PriceBook } from "@/lib/cost/prices";
import { connectionPricingOf, DEFAULT_CONNECTION_PRICING, type ConnectionPricingSettings } from "./connection-pricing";

export interface ConnectionPricing extends ConnectionPricingSettings {
  book: PriceBook;
}

/**
 * The price book a connection's pods are priced with (its site and region: the regional override,
 * else the site's, else the built-in prices of the region's group) and its default backend. One
 * function for the live monitor, the job recorder and the GitLab backfill, so they agree.
 */
export async function loadConnectionPricing(connectionId: string): Promise<ConnectionPricing> {
  const row = await db.connection.findUnique({
    where: { id: connectionId },
    select: { priceSite: true, priceRegion: true, defaultBackend: true },
  });
  const settings = row ? connectionPricingOf(row) : DEFAULT_CONNECTION_PRICING;
  return { ...settings, book: await loadPriceBook(settings.site, settings.region) };
}
