import Decimal from "decimal.js";
import { z } from "zod";
import { ACS_COMPUTE_CLASSES, ACS_QOS_CLASSES, type AcsComputeClass, type AcsQos } from "@ask-ci/billing/acs/labels";
import type { Backend } from "@ask-ci/billing/placement";
import { CURRENCIES, type CurrencyCode } from "@/lib/cost/money";

export type Site = "cn" | "intl";
export const SITES: readonly Site[] = ["cn", "intl"];

/**
 * ACS quotes one price for the Chinese mainland and one for "China (Hong Kong) and regions outside
 * China"; ECI publishes a single price per site (the same in both groups, unconfirmed per region).
 */
export type RegionGroup = "mainland" | "overseas";
export const REGION_GROUPS: readonly RegionGroup[] = ["mainland", "overseas"];

export function isSite(value: unknown): value is Site {
  return value === "cn" || value === "intl";
}

export function isRegionGroup(value: unknown): value is RegionGroup {
  return value === "mainland" || value === "overseas";
}

/** The region group of a region id: cn-* (except Hong Kong) is the mainland. */
export function regionGroupOf(region: string): RegionGroup {
  return region.startsWith("cn-") && region !== "cn-hongkong" ? "mainland" : "overseas";
}

export type Resource = "vcpu" | "memory";
export type AcsPriceKey = `acs.${AcsComputeClass}.${AcsQos}.${Resource}`;
/** One unit price of a book: per vCPU-second or per GiB-second. */
export type PriceKey = "eci.vcpu" | "eci.memory" | "eci.economy-vcpu" | AcsPriceKey;

export function acsPriceKey(computeClass: AcsComputeClass, qos: AcsQos, resource: Resource): AcsPriceKey {
  return `acs.${computeClass}.${qos}.${resource}`;
}

export const PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  "eci.vcpu",
  "eci.memory",
  "eci.economy-vcpu",
  ...ACS_COMPUTE_CLASSES.flatMap((c) =>
    ACS_QOS_CLASSES.flatMap((q) => (["vcpu", "memory"] as const).map((r) => acsPriceKey(c, q, r))),
  ),
]);

/** The ACS lines of a book: compute class × QoS × vCPU/memory. */
export const ACS_PRICE_KEYS = PRICE_KEYS.filter((key): key is AcsPriceKey =>
  key.startsWith("acs."),
) as readonly AcsPriceKey[];

/**
 * A unit price with where it comes from and when it was read. perSecond is a decimal string (so it
 * survives JSON and the database without float rounding), or null where no price is published:
 * pricing a pod that needs it then fails with a message instead of guessing.
 */
export interface PriceLine {
  perSecond: string | null;
  source: string | null;
  /** YYYY-MM-DD. */
  readOn: string | null;
}

/** The unit prices a connection (or the calculator) prices pods with. */
export interface PriceBook {
  site: Site;
  regionGroup: RegionGroup;
  /** "default", or a region id such as "cn-hangzhou" for a user's regional override. */
  region: string;
  currency: CurrencyCode;
  prices: Readonly<Record<PriceKey, PriceLine>>;
  /**
   * The smallest charge per instance, per backend: a smaller final fee is rounded half-up to it or
   * to 0 (ECI China site: 0.01 CNY). null where no such rule is documented (ACS: unconfirmed).
   */
  minimumCharge: Readonly<Record<Backend, string | null>>;
}

// Read from the sources below while writing the domain notes (shared/domain/*.md).
const ECI_READ_ON = "2026-11-25";
const ACS_READ_ON = "2026-12-04";
const ECI_SOURCE: Record<Site, string> = {
  cn: "https://help.aliyun.com/zh/eci/product-overview/elastic-container-instances",
  intl: "https://www.alibabacloud.com/help/en/eci/product-overview/virtual-node-billing",
};
const ACS_SOURCE: Record<Site, string> = {
  cn: "https://help.aliyun.com/en/cs/product-overview/product-billing-rules",
  intl: "https://www.alibabacloud.com/help/en/cs/product-overview/product-billing-rules",
};

type AcsTable = Record<AcsComputeClass, Record<AcsQos, [vcpu: string | null, memory: string | null]>>;

/**
 * ACS per-second prices as the billing page lists them (the per-hour figures beside them do not
 * always match: the per-second ones are used, docs/cost-model.md). null: cut off in every copy
 * read, so unknown; the user can enter it in the price book.
 */
const ACS_PRICES: Record<Site, Record<RegionGroup, AcsTable>> = {
  cn: {
    mainland: {
      "general-purpose": { default: ["0.0000167", "0.00000833"], "best-effort": ["0.0000033", "0.00000167"] },
      performance: { default: ["0.0000217", "0.00001083"], "best-effort": ["0.0000043", "0.00000216"] },
    },
    overseas: {
      "general-purpose": { default: ["0.0000246", "0.00001231"], "best-effort": ["0.0000049", "0.00000247"] },
      performance: { default: ["0.0000342", null], "best-effort": [null, null] },
    },
  },
  intl: {
    mainland: {
      "general-purpose": { default: ["0.0000026", "0.00000128"], "best-effort": ["0.00000052", "0.00000025"] },
      performance: { default: ["0.0000034", "0.00000167"], "best-effort": ["0.00000068", "0.000000334"] },
    },
    overseas: {
      "general-purpose": { default: ["0.00000381", "0.00000192"], "best-effort": ["0.00000076", "0.00000038"] },
      performance: { default: ["0.00000496", "0.00000248"], "best-effort": ["0.000000992", "0.000000496"] },
    },
  },
};

const ECI_PRICES: Record<Site, { vcpu: string; memory: string; economyVcpu: string | null }> = {
  cn: { vcpu: "0.000049", memory: "0.00000613", economyVcpu: "0.000027" },
  intl: { vcpu: "0.0000077", memory: "0.00000096", economyVcpu: null },
};

const SITE_CURRENCY: Record<Site, CurrencyCode> = { cn: "CNY", intl: "USD" };

export function siteCurrency(site: Site): CurrencyCode {
  return SITE_CURRENCY[site];
}

function buildDefaultBook(site: Site, regionGroup: RegionGroup): PriceBook {
  const eci = (perSecond: string | null): PriceLine => ({ perSecond, source: ECI_SOURCE[site], readOn: ECI_READ_ON });
  const acs = (perSecond: string | null): PriceLine => ({ perSecond, source: ACS_SOURCE[site], readOn: ACS_READ_ON });
  const prices = {
    "eci.vcpu": eci(ECI_PRICES[site].vcpu),
    "eci.memory": eci(ECI_PRICES[site].memory),
    "eci.economy-vcpu": eci(ECI_PRICES[site].economyVcpu),
  } as Record<PriceKey, PriceLine>;
  for (const computeClass of ACS_COMPUTE_CLASSES) {
    for (const qos of ACS_QOS_CLASSES) {
      const [vcpu, memory] = ACS_PRICES[site][regionGroup][computeClass][qos];
      prices[acsPriceKey(computeClass, qos, "vcpu")] = acs(vcpu);
      prices[acsPriceKey(computeClass, qos, "memory")] = acs(memory);
    }
  }
  return Object.freeze({
    site,
    regionGroup,
    region: "default",
    currency: SITE_CURRENCY[site],
    prices: Object.freeze(prices),
    minimumCharge: Object.freeze({ eci: site === "cn" ? "0.01" : null, acs: null }),
  });
}

const DEFAULT_BOOKS: Record<Site, Record<RegionGroup, PriceBook>> = {
  cn: { mainland: buildDefaultBook("cn", "mainland"), overseas: buildDefaultBook("cn", "overseas") },
  intl: { mainland: buildDefaultBook("intl", "mainland"), overseas: buildDefaultBook("intl", "overseas") },
};

/** The built-in book of a site and region group, every price with its source and date. */
export function defaultPriceBook(site: Site, regionGroup: RegionGroup = "mainland"): PriceBook {
  return DEFAULT_BOOKS[site][regionGroup];
}

/** The built-in mainland books per site (the calculator's and Settings' starting point). */
export const DEFAULT_PRICE_BOOKS: Readonly<Record<Site, PriceBook>> = {
  cn: DEFAULT_BOOKS.cn.mainland,
  intl: DEFAULT_BOOKS.intl.mainland,
};

/** A book with some lines replaced (a user's edits). */
export function withPrices(book: PriceBook, lines: Partial<Record<PriceKey, PriceLine>>): PriceBook {
  return { ...book, prices: { ...book.prices, ...lines } };
}

/** A unit price, or null where the book has none. */
export function unitPrice(book: PriceBook, key: PriceKey): Decimal | null {
  const value = book.prices[key].perSecond;
  return value === null ? null : new Decimal(value);
}

const MAX_UNIT_PRICE = new Decimal("1"); // 1 unit per vCPU-second is ~10,000x today's price: a typo

/** A unit price as a user types it: a positive decimal, at most 1 per second; normalised to a plain decimal string. */
export function unitPriceField(label: string) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value).trim();
    if (!/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      ctx.addIssue({ code: "custom", message: `${label} must be a positive decimal number, e.g. 0.000049` });
      return z.NEVER;
    }
    const price = new Decimal(text);
    if (price.isZero() || price.greaterThan(MAX_UNIT_PRICE)) {
      ctx.addIssue({
        code: "custom",
        message: `${label} must be more than 0 and at most ${MAX_UNIT_PRICE} per second`,
      });
      return z.NEVER;
    }
    return price.toFixed();
  });
}

/**
 * A user-edited price book (Settings page, stored as a PriceBook row): the ECI lines, and any ACS lines. Numbers or strings are
 * accepted and normalised to plain decimal strings; the currency must match the site.
 */
export const priceBookSchema = z
  .object({
    site: z.enum(["cn", "intl"], { message: "Site must be cn (China) or intl (international)" }),
    region: z
      .string()
      .trim()
      .regex(/^(default|[a-z]{2}(-[a-z0-9]+)+)$/, "Region must be an id such as cn-hangzhou, or default")
      .default("default"),
    currency: z.enum(Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]], {
      message: "Currency must be CNY or USD",
    }),
    vcpuPerSecond: unitPriceField("vCPU price"),
    memoryGiBPerSecond: unitPriceField("Memory price"),
    economyVcpuPerSecond: unitPriceField("Economy vCPU price").nullable().default(null),
    // ACS unit prices entered by the user; keys are ACS price keys ("acs.general-purpose.default.vcpu").
    acsPrices: z
      .partialRecord(z.enum(ACS_PRICE_KEYS as [AcsPriceKey, ...AcsPriceKey[]]), unitPriceField("ACS price"))
      .default({}),
    source: z.string().trim().max(500).nullable().default(null),
    readOn: z.iso.date({ message: "Read-on date must be YYYY-MM-DD" }).nullable().default(null),
  })
  .refine((book) => book.currency === SITE_CURRENCY[book.site], {
    message: "The China site bills in CNY and the international site in USD",
    path: ["currency"],
  });

export type PriceBookInput = z.input<typeof priceBookSchema>;

/**
 * The ACS lines worth storing in an override: those that differ from the built-in book's. An
 * unchanged line keeps the published price with its own source and date.
 */
export function changedAcsPrices(
  builtIn: PriceBook,
  entered: Partial<Record<AcsPriceKey, string>>,
): Partial<Record<AcsPriceKey, string>> {
  const changed: Partial<Record<AcsPriceKey, string>> = {};
  for (const key of ACS_PRICE_KEYS) {
    const value = entered[key];
    if (value === undefined) continue;
    const published = builtIn.prices[key].perSecond;
    if (published === null || !new Decimal(value).equals(published)) changed[key] = value;
  }
  return changed;
}
