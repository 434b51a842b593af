import "server-only";
import { db } from "@/lib/db.server";
import { isCurrencyCode } from "@/lib/cost/money";
import {
  DEFAULT_PRICE_BOOKS,
  priceBookSchema,
  type PriceBook,
  type PriceBookInput,
  type Site,
} from "@/lib/cost/prices";

export const DEFAULT_REGION = "default";

interface PriceBookRow {
  site: string;
  region: string;
  currency: string;
  vcpuPerSecond: string;
  memoryGiBPerSecond: string;
  economyVcpuPerSecond: string | null;
  source: string | null;
  updatedAt: Date;
}

export interface StoredPriceBook {
  book: PriceBook;
  /** "default" for the built-in prices, "database" for a user's override. */
  origin: "default" | "database";
}

/**
 * A stored override as a PriceBook. The table has no minimum-charge column: that rule belongs to
 * the site's billing, not to the unit prices a user edits, so it comes from the site's default.
 * The override's "read on" date is the day it was last saved.
 */
function fromRow(row: PriceBookRow): PriceBook | null {
  const site = row.site as Site;
  const fallback = DEFAULT_PRICE_BOOKS[site];
  if (!fallback || !isCurrencyCode(row.currency)) return null;
  return {
    site,
    region: row.region,
    currency: row.currency,
    vcpuPerSecond: row.vcpuPerSecond,
    memoryGiBPerSecond: row.memoryGiBPerSecond,
    economyVcpuPerSecond: row.economyVcpuPerSecond,
    minimumCharge: fallback.minimumCharge,
    source: row.source,
    readOn: row.updatedAt.toISOString().slice(0, 10),
  };
}

/**
 * The price book to price a site (and optionally a region) with: the region's override, else the
 * site-wide override, else the built-in default. Shared by the cost page and the monitor.
 */
export async function loadPriceBook(site: Site, region: string = DEFAULT_REGION): Promise<PriceBook> {
  return (await loadPriceBookWithOrigin(site, region)).book;
}

export async function loadPriceBookWithOrigin(site: Site, region: string = DEFAULT_REGION): Promise<StoredPriceBook> {
  const regions = region === DEFAULT_REGION ? [DEFAULT_REGION] : [region, DEFAULT_REGION];
  const rows = await db.priceBook.findMany({ where: { site, region: { in: regions } } });
  for (const wanted of regions) {
    const row = rows.find((r) => r.region === wanted);
    const book = row ? fromRow(row) : null;
    if (book) return { book, origin: "database" };
  }
  return { book: DEFAULT_PRICE_BOOKS[site], origin: "default" };
}

/** Every stored override, by site then region. */
export async function listPriceBookOverrides(): Promise<PriceBook[]> {
  const rows = await db.priceBook.findMany({ orderBy: [{ site: "asc" }, { region: "asc" }] });
  return rows.map(fromRow).filter((book): book is PriceBook => book !== null);
}

/** Validate and store an override (insert or replace the one for its site and region). */
export async function savePriceBook(input: PriceBookInput) {
  const parsed = priceBookSchema.safeParse(input);
  if (!parsed.success) return { success: false as const, error: parsed.error };
  const { site, region, currency, vcpuPerSecond, memoryGiBPerSecond, economyVcpuPerSecond, source } = parsed.data;
  const data = { currency, vcpuPerSecond, memoryGiBPerSecond, economyVcpuPerSecond, source };
  await db.priceBook.upsert({
    where: { site_region: { site, region } },
    create: { site, region, ...data },
    update: data,
  });
  return { success: true as const, book: await loadPriceBook(site, region) };
}

/** Back to the built-in prices (or the site-wide override, for a region). */
export async function resetPriceBook(site: Site, region: string = DEFAULT_REGION): Promise<void> {
  await db.priceBook.deleteMany({ where: { site, region } });
}
