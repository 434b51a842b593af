import "server-only";
import { db } from "@/lib/db.server";
import { isCurrencyCode } from "@/lib/cost/money";
import {
  ACS_PRICE_KEYS,
  changedAcsPrices,
  defaultPriceBook,
  isSite,
  priceBookSchema,
  regionGroupOf,
  type RegionGroup,
  withPrices,
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
  acsPrices: string | null;
  source: string | null;
  updatedAt: Date;
}

/** The region group a stored override was entered for: a site-wide one ("default") is the mainland's. */
function rowRegionGroup(region: string): RegionGroup {
  return region === DEFAULT_REGION ? "mainland" : regionGroupOf(region);
}

/** The stored ACS lines, keeping only valid keys and positive decimals (the row is ours, but JSON). */
function storedAcsPrices(json: string | null): Partial<Record<string, string>> {
  if (!json) return {};
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).filter(
        ([key, value]) =>
          (ACS_PRICE_KEYS as readonly string[]).includes(key) &&
          typeof value === "string" &&
          /^\d+(\.\d+)?$/.test(value) &&
          Number(value) > 0,
      ),
    ) as Partial<Record<string, string>>;
  } catch {
    return {};
  }
}

export interface StoredPriceBook {
  book: PriceBook;
  /** "default" for the built-in prices, "database" for a user's override. */
  origin: "default" | "database";
}

/**
 * A stored override as a PriceBook: the site's built-in book with the ECI lines replaced, and the
 * ACS lines the user entered, each with the override's source and the day it was last saved as its
 * "read on" date. ACS prices differ between the mainland and abroad, so ACS lines apply only to the
 * region group they were entered for (a site-wide override's are the mainland's). The minimum charge
 * (a rule of the site's billing, not a unit price) stays the built-in one.
 */
function fromRow(row: PriceBookRow, regionGroup?: RegionGroup): PriceBook | null {
  const site = row.site;
  if (!isSite(site)) return null;
  const group = regionGroup ?? rowRegionGroup(row.region);
  const fallback = defaultPriceBook(site, group);
  if (!isCurrencyCode(row.currency) || row.currency !== fallback.currency) return null;
  const line = (perSecond: string | null) => ({
    perSecond,
    source: row.source,
    readOn: row.updatedAt.toISOString().slice(0, 10),
  });
  const acs =
    group === rowRegionGroup(row.region)
      ? Object.fromEntries(Object.entries(storedAcsPrices(row.acsPrices)).map(([key, value]) => [key, line(value!)]))
      : {};
  return {
    ...withPrices(fallback, {
      "eci.vcpu": line(row.vcpuPerSecond),
      "eci.memory": line(row.memoryGiBPerSecond),
      "eci.economy-vcpu": line(row.economyVcpuPerSecond),
      ...acs,
    }),
    region: row.region,
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
  // ACS prices differ between the mainland and Hong Kong/abroad: a region picks its group's book.
  const group = region === DEFAULT_REGION ? "mainland" : regionGroupOf(region);
  const rows = await db.priceBook.findMany({ where: { site, region: { in: regions } } });
  for (const wanted of regions) {
    const row = rows.find((r) => r.region === wanted);
    const book = row ? fromRow(row, group) : null;
    if (book) return { book, origin: "database" };
  }
  return { book: defaultPriceBook(site, group), origin: "default" };
}

/**
 * The book of a site and region group, for the calculator (no region id): the site-wide ECI
 * override applied onto the group's built-in book.
 */
export async function loadSitePriceBook(site: Site, regionGroup: RegionGroup): Promise<PriceBook> {
  const row = await db.priceBook.findUnique({ where: { site_region: { site, region: DEFAULT_REGION } } });
  return (row && fromRow(row, regionGroup)) || defaultPriceBook(site, regionGroup);
}

/** Every stored override, by site then region. */
export async function listPriceBookOverrides(): Promise<PriceBook[]> {
  const rows = await db.priceBook.findMany({ orderBy: [{ site: "asc" }, { region: "asc" }] });
  return rows.map((row) => fromRow(row)).filter((book): book is PriceBook => book !== null);
}

/** Validate and store an override (insert or replace the one for its site and region). */
export async function savePriceBook(input: PriceBookInput) {
  const parsed = priceBookSchema.safeParse(input);
  if (!parsed.success) return { success: false as const, error: parsed.error };
  const { site, region, currency, vcpuPerSecond, memoryGiBPerSecond, economyVcpuPerSecond, source } = parsed.data;
  // Only the ACS lines that differ from the published ones of the override's region group.
  const acs = changedAcsPrices(defaultPriceBook(site, rowRegionGroup(region)), parsed.data.acsPrices);
  const acsPrices = Object.keys(acs).length > 0 ? JSON.stringify(acs) : null;
  const data = { currency, vcpuPerSecond, memoryGiBPerSecond, economyVcpuPerSecond, acsPrices, source };
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
