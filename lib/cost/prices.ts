import Decimal from "decimal.js";
import { z } from "zod";
import { CURRENCIES, type CurrencyCode } from "@/lib/cost/money";

export type Site = "cn" | "intl";

/**
 * ECI pay-as-you-go unit prices (vCPU/memory mode). Prices are decimal strings so they survive
 * JSON and the database (PriceBook rows) without float rounding.
 */
export interface PriceBook {
  site: Site;
  /** "default" or a region id such as "cn-hangzhou" when the user overrides per region. */
  region: string;
  currency: CurrencyCode;
  vcpuPerSecond: string;
  memoryGiBPerSecond: string;
  /** Economy compute category vCPU price; null where no price is published (international site). */
  economyVcpuPerSecond: string | null;
  /**
   * The smallest charge per instance: a smaller fee is rounded half-up to it or to 0
   * (China site: 0.01 CNY). null where the rule is not documented.
   */
  minimumCharge: string | null;
  /** Where the prices come from (URL) and when they were read (YYYY-MM-DD). */
  source: string | null;
  readOn: string | null;
}

// Read from the sources below while writing the domain notes (shared/domain/eci-billing-and-gitlab-runner.md).
const READ_ON = "2026-11-25";

export const DEFAULT_PRICE_BOOKS: Readonly<Record<Site, PriceBook>> = {
  cn: {
    site: "cn",
    region: "default",
    currency: "CNY",
    vcpuPerSecond: "0.000049",
    memoryGiBPerSecond: "0.00000613",
    economyVcpuPerSecond: "0.000027",
    minimumCharge: "0.01",
    source: "https://help.aliyun.com/zh/eci/product-overview/elastic-container-instances",
    readOn: READ_ON,
  },
  intl: {
    site: "intl",
    region: "default",
    currency: "USD",
    vcpuPerSecond: "0.0000077",
    memoryGiBPerSecond: "0.00000096",
    economyVcpuPerSecond: null,
    minimumCharge: null,
    source: "https://www.alibabacloud.com/help/en/eci/product-overview/virtual-node-billing",
    readOn: READ_ON,
  },
};

export function defaultPriceBook(site: Site): PriceBook {
  return DEFAULT_PRICE_BOOKS[site];
}

const MAX_UNIT_PRICE = new Decimal("1"); // 1 unit per vCPU-second is ~10,000x today's price: a typo

function unitPrice(label: string) {
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
 * A user-edited price book (Settings page, stored as a PriceBook row). Numbers or strings are
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
    vcpuPerSecond: unitPrice("vCPU price"),
    memoryGiBPerSecond: unitPrice("Memory price"),
    economyVcpuPerSecond: unitPrice("Economy vCPU price").nullable().default(null),
    minimumCharge: unitPrice("Minimum charge").nullable().default(null),
    source: z.string().trim().max(500).nullable().default(null),
    readOn: z.iso.date({ message: "Read-on date must be YYYY-MM-DD" }).nullable().default(null),
  })
  .refine((book) => book.currency === DEFAULT_PRICE_BOOKS[book.site].currency, {
    message: "The China site bills in CNY and the international site in USD",
    path: ["currency"],
  });

export type PriceBookInput = z.input<typeof priceBookSchema>;
