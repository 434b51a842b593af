import { z } from "zod";
import { DAYS_PER_MONTH, type BreakEvenInput } from "@/lib/cost/break-even";
import type { PricingOptions } from "@/lib/cost/pod-cost";
import { isAcsComputeClass, type AcsComputeClass } from "@ask-ci/billing/acs/labels";
import { defaultPriceBook, isRegionGroup, type PriceBook, type RegionGroup, type Site } from "@/lib/cost/prices";
import { formatSpecCompact, type EciSpec } from "@ask-ci/billing/eci/specs";
import type { Locale } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en/validation.json";
import { validationTranslator, type ValidationT } from "@/lib/i18n/validation";

/** The always-on runner manager pod when the URL just says runner=1: the smallest ECI spec. */
export const DEFAULT_RUNNER_SPEC: EciSpec = Object.freeze({ vcpu: 0.25, memoryGiB: 0.5 });

const LARGEST_VCPU = 24;
const LARGEST_MEMORY_GIB = 192;
const PLAIN_DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

type RawValue = string | string[] | number | boolean | undefined | null;

// URLSearchParams and Next's searchParams give strings (or arrays for repeated keys); a repeated
// key takes its first value, as URLSearchParams.get does.
function firstText(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  const text = String(first).trim();
  return text === "" ? undefined : text;
}

type CostField = keyof typeof en.validation.cost.fields;
type Unit = keyof typeof en.validation.cost.units;

interface NumberFieldRules {
  field: CostField;
  unit?: Unit;
  fallback: number;
  /** Smallest allowed value; `exclusive` when the bound itself is meaningless (0 minutes). */
  min: { value: number; exclusive: boolean };
  max: number;
}

const MONEY_MAX = 10_000_000;
const TRUE_WORDS = new Set(["1", "true", "on", "yes"]);
const FALSE_WORDS = new Set(["0", "false", "off", "no", "none"]);
const RUNNER_SPEC = /^(\d+(?:\.\d+)?|\.\d+)-(\d+(?:\.\d+)?|\.\d+)(?:Gi)?$/i;

/** The query schema with its messages from `t`; costQuerySchema is the English one. */
export function buildCostQuerySchema(t: ValidationT) {
  const label = (field: CostField) => t(`cost.fields.${field}`);

  function numberField({ field, unit = "none", fallback, min, max }: NumberFieldRules) {
    const withUnit = (n: number) => t(`cost.units.${unit}`, { value: String(n) });
    return z.unknown().transform((raw, ctx): number => {
      const text = firstText(raw);
      if (text === undefined) return fallback;
      if (!PLAIN_DECIMAL.test(text)) {
        ctx.addIssue({
          code: "custom",
          message: t("cost.notANumber", { field: label(field), example: withUnit(fallback) }),
        });
        return z.NEVER;
      }
      const value = Number(text);
      if (value < 0 && min.value >= 0) {
        ctx.addIssue({ code: "custom", message: t("cost.negative", { field: label(field) }) });
        return z.NEVER;
      }
      if (min.exclusive ? value <= min.value : value < min.value) {
        ctx.addIssue({
          code: "custom",
          message: t(min.exclusive ? "cost.moreThan" : "cost.atLeast", {
            field: label(field),
            min: withUnit(min.value),
          }),
        });
        return z.NEVER;
      }
      if (value > max) {
        ctx.addIssue({ code: "custom", message: t("cost.atMost", { field: label(field), max: withUnit(max) }) });
        return z.NEVER;
      }
      return value;
    });
  }

  function optionalNumberField(rules: Omit<NumberFieldRules, "fallback"> & { example: number }) {
    const field = numberField({ ...rules, fallback: rules.example });
    return z.unknown().transform((raw, ctx): number | null => {
      if (firstText(raw) === undefined) return null;
      const parsed = field.safeParse(raw);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    });
  }

  function flagField(field: CostField) {
    return z.unknown().transform((raw, ctx): boolean => {
      const text = firstText(raw)?.toLowerCase();
      if (text === undefined || FALSE_WORDS.has(text)) return false;
      if (TRUE_WORDS.has(text)) return true;
      ctx.addIssue({ code: "custom", message: t("cost.onOff", { field: label(field) }) });
      return z.NEVER;
    });
  }

  const runnerField = z.unknown().transform((raw, ctx): EciSpec | null => {
    const text = firstText(raw)?.toLowerCase();
    if (text === undefined || FALSE_WORDS.has(text)) return null;
    if (TRUE_WORDS.has(text)) return DEFAULT_RUNNER_SPEC;
    const match = RUNNER_SPEC.exec(text);
    const spec = match ? { vcpu: Number(match[1]), memoryGiB: Number(match[2]) } : null;
    if (!spec || spec.vcpu <= 0 || spec.memoryGiB <= 0) {
      ctx.addIssue({ code: "custom", message: t("cost.runnerSpec") });
      return z.NEVER;
    }
    if (spec.vcpu > LARGEST_VCPU || spec.memoryGiB > LARGEST_MEMORY_GIB) {
      ctx.addIssue({
        code: "custom",
        message: t("cost.runnerTooLarge", { vcpu: String(LARGEST_VCPU), memory: String(LARGEST_MEMORY_GIB) }),
      });
      return z.NEVER;
    }
    return spec;
  });

  const siteField = z.unknown().transform((raw, ctx): Site => {
    const text = firstText(raw)?.toLowerCase() ?? "cn";
    if (text === "cn" || text === "intl") return text;
    ctx.addIssue({ code: "custom", message: t("cost.site") });
    return z.NEVER;
  });

  const regionField = z.unknown().transform((raw, ctx): RegionGroup => {
    const text = firstText(raw)?.toLowerCase() ?? "mainland";
    if (isRegionGroup(text)) return text;
    ctx.addIssue({ code: "custom", message: t("cost.region") });
    return z.NEVER;
  });

  const acsClassField = z.unknown().transform((raw, ctx): AcsComputeClass => {
    const text = firstText(raw)?.toLowerCase() ?? "general-purpose";
    if (isAcsComputeClass(text)) return text;
    ctx.addIssue({ code: "custom", message: t("cost.acsClass") });
    return z.NEVER;
  });

  /**
   * The cost page's inputs as they come from the URL query (/cost?vcpu=1&mem=2&minutes=10&ecs=139&jobs=80).
   * Missing values take the seed's example; present but bad values get a message per field.
   */
  const costQueryObject = z
    .object({
      vcpu: numberField({ field: "vcpu", fallback: 1, min: { value: 0, exclusive: true }, max: LARGEST_VCPU }),
      mem: numberField({
        field: "mem",
        unit: "gib",
        fallback: 2,
        min: { value: 0, exclusive: true },
        max: LARGEST_MEMORY_GIB,
      }),
      minutes: numberField({
        field: "minutes",
        unit: "minutes",
        fallback: 10,
        min: { value: 0, exclusive: true },
        max: 24 * 60,
      }),
      jobs: numberField({ field: "jobs", fallback: 100, min: { value: 0, exclusive: false }, max: 1_000_000 }),
      ecs: numberField({ field: "ecs", fallback: 139, min: { value: 0, exclusive: true }, max: MONEY_MAX }),
      days: numberField({
        field: "days",
        unit: "days",
        fallback: DAYS_PER_MONTH,
        min: { value: 0, exclusive: true },
        max: 31,
      }),
      site: siteField,
      /** ACS prices differ between the Chinese mainland and Hong Kong / abroad. */
      region: regionField,
      /** The ACS compute class the ACS options are priced at. */
      acsclass: acsClassField,
      runner: runnerField,
      economy: flagField("economy"),
      spot: optionalNumberField({
        field: "spot",
        unit: "percent",
        example: 30,
        min: { value: 0, exclusive: true },
        max: 99,
      }),
      spotlimit: optionalNumberField({
        field: "spotlimit",
        example: 0.1,
        min: { value: 0, exclusive: false },
        max: 1000,
      }),
      nas: numberField({ field: "nas", fallback: 0, min: { value: 0, exclusive: false }, max: MONEY_MAX }),
      imagecache: numberField({
        field: "imagecache",
        fallback: 0,
        min: { value: 0, exclusive: false },
        max: MONEY_MAX,
      }),
    })
    .superRefine((query, ctx) => {
      if (query.economy && defaultPriceBook(query.site).prices["eci.economy-vcpu"].perSecond === null) {
        ctx.addIssue({ code: "custom", path: ["economy"], message: t("cost.economyChinaOnly") });
      }
    });

  // Zod 4 reports a missing key as "expected nonoptional" before a transform can default it, so
  // every known key is filled in (with "", which means "not given") before validation.
  return z.preprocess((input) => {
    const given = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
    return Object.fromEntries(Object.keys(costQueryObject.shape).map((key) => [key, given[key] ?? ""]));
  }, costQueryObject);
}

const localized = new Map<Locale, ReturnType<typeof buildCostQuerySchema>>();

function costQuerySchemaFor(locale: Locale) {
  let schema = localized.get(locale);
  if (!schema) {
    schema = buildCostQuerySchema(validationTranslator(locale));
    localized.set(locale, schema);
  }
  return schema;
}

export const costQuerySchema = costQuerySchemaFor("en");

export type CostQuery = z.output<typeof costQuerySchema>;
export type CostQueryField = keyof CostQuery;

export type CostQueryResult =
  { success: true; data: CostQuery } | { success: false; errors: Partial<Record<CostQueryField, string>> };

/** Parse URLSearchParams or Next's `searchParams` object; one message per bad field, in `locale` (English by default). */
export function parseCostQuery(
  params: URLSearchParams | Record<string, RawValue>,
  locale: Locale = "en",
): CostQueryResult {
  const input = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const result = costQuerySchemaFor(locale).safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const errors: Partial<Record<CostQueryField, string>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as CostQueryField;
    errors[field] ??= issue.message;
  }
  return { success: false, errors };
}

export function pricingOptionsFromQuery(query: CostQuery): PricingOptions {
  const spot =
    query.spot !== null || query.spotlimit !== null
      ? {
          ...(query.spot !== null ? { discount: query.spot / 100 } : {}),
          ...(query.spotlimit !== null ? { priceLimitPerHour: query.spotlimit } : {}),
        }
      : undefined;
  return { economy: query.economy, ...(spot ? { spot } : {}) };
}

export function breakEvenInputFromQuery(
  query: CostQuery,
  book: PriceBook = defaultPriceBook(query.site, query.region),
): BreakEvenInput {
  return {
    jobSpec: { vcpu: query.vcpu, memoryGiB: query.mem },
    jobMinutes: query.minutes,
    ecsMonthly: query.ecs,
    daysPerMonth: query.days,
    book,
    pricing: pricingOptionsFromQuery(query),
    runnerSpec: query.runner,
    nasMonthly: query.nas,
    imageCacheMonthly: query.imagecache,
  };
}

/** The query string that reproduces a view; defaults and off options are left out. */
export function costQueryToSearchParams(query: CostQuery): URLSearchParams {
  const params = new URLSearchParams({
    vcpu: String(query.vcpu),
    mem: String(query.mem),
    minutes: String(query.minutes),
    jobs: String(query.jobs),
    ecs: String(query.ecs),
    days: String(query.days),
    site: query.site,
  });
  if (query.region !== "mainland") params.set("region", query.region);
  if (query.acsclass !== "general-purpose") params.set("acsclass", query.acsclass);
  if (query.runner) params.set("runner", formatSpecCompact(query.runner));
  if (query.economy) params.set("economy", "1");
  if (query.spot !== null) params.set("spot", String(query.spot));
  if (query.spotlimit !== null) params.set("spotlimit", String(query.spotlimit));
  if (query.nas > 0) params.set("nas", String(query.nas));
  if (query.imagecache > 0) params.set("imagecache", String(query.imagecache));
  return params;
}
