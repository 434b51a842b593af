"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import {
  CHINA_SITE_CACHE_PRICES,
  cacheStorageCost,
  cacheStorageInputSchema,
  type CacheStorageInput,
} from "@/lib/cost/cache-storage";
import { formatMoney, type CurrencyCode } from "@/lib/cost/money";

type TextFields = Exclude<keyof CacheStorageInput, "publicEndpoint">;
const SIZE_FIELDS = ["storedGiB", "archiveGiB", "jobsPerDay", "daysPerMonth"] as const;
const PRICE_FIELDS = [
  "ossStoragePerGiBMonth",
  "ossRequestsPer10k",
  "ossInternetPerGiB",
  "nasStoragePerGiBMonth",
] as const;

/**
 * The runner's shared cache on OSS (distributed cache) against a NAS volume, a month at a time.
 * Computed in the browser from what the user types: nothing here is stored or sent.
 */
export function CacheStorageCard({
  currency,
  jobsPerDay,
  daysPerMonth,
}: {
  currency: CurrencyCode;
  jobsPerDay: number;
  daysPerMonth: number;
}) {
  const t = useTranslations("cost.cacheStorage");
  const defaults = currency === CHINA_SITE_CACHE_PRICES.currency ? CHINA_SITE_CACHE_PRICES : undefined;
  const [text, setText] = useState<Record<TextFields, string>>({
    storedGiB: "50",
    archiveGiB: "0.5",
    jobsPerDay: String(jobsPerDay),
    daysPerMonth: String(daysPerMonth),
    ossStoragePerGiBMonth: defaults?.ossStoragePerGiBMonth ?? "",
    ossRequestsPer10k: defaults?.ossRequestsPer10k ?? "",
    ossInternetPerGiB: defaults?.ossInternetPerGiB ?? "",
    nasStoragePerGiBMonth: defaults?.nasStoragePerGiBMonth ?? "",
  });
  const [publicEndpoint, setPublicEndpoint] = useState(false);
  const parsed = cacheStorageInputSchema.safeParse({
    ...Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.trim() === "" ? undefined : v])),
    publicEndpoint,
  });
  const invalid = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])));
  const cost = parsed.success ? cacheStorageCost(parsed.data) : undefined;
  const show = (m: Parameters<typeof formatMoney>[0]) => formatMoney(m, currency);

  // An empty field is not yet an error (the international site starts without prices).
  const wrong = (field: TextFields) => invalid.has(field) && text[field].trim() !== "";
  const input = (field: TextFields) => (
    <Field key={field} label={t(`fields.${field}`)} error={wrong(field) ? t("invalid") : undefined} compact>
      <input
        inputMode="decimal"
        value={text[field]}
        onChange={(e) => setText({ ...text, [field]: e.target.value })}
        aria-invalid={wrong(field)}
        className={inputClass}
      />
    </Field>
  );

  return (
    <Card as="section" className="mt-6 text-sm" aria-labelledby="cache-storage-heading">
      <h2 id="cache-storage-heading" className="font-semibold">
        {t("heading")}
      </h2>
      <p className="mt-1 text-slate-600 dark:text-slate-400">{t("intro")}</p>
      {!defaults && <p className="mt-1 text-amber-700 dark:text-amber-300">{t("noDefaults")}</p>}
      <div className="mt-3 grid gap-3 sm:grid-cols-4">{SIZE_FIELDS.map(input)}</div>
      <div className="mt-3 grid gap-3 sm:grid-cols-4">{PRICE_FIELDS.map(input)}</div>
      <label className="mt-3 flex items-center gap-2">
        <input type="checkbox" checked={publicEndpoint} onChange={(e) => setPublicEndpoint(e.target.checked)} />
        {t("publicEndpoint")}
      </label>
      {cost ? (
        <dl className="mt-4 grid gap-4 sm:grid-cols-2" aria-live="polite">
          <div>
            <dt className="font-medium">{t("oss")}</dt>
            <dd className="mt-1 text-lg font-semibold" data-testid="oss-monthly">
              {show(cost.oss.total)}
            </dd>
            <dd className="text-xs text-slate-500">
              {t("ossBreakdown", {
                storage: show(cost.oss.storage),
                requests: show(cost.oss.requests),
                count: cost.oss.requestsPerMonth,
                traffic: show(cost.oss.traffic),
              })}
            </dd>
          </div>
          <div>
            <dt className="font-medium">{t("nas")}</dt>
            <dd className="mt-1 text-lg font-semibold" data-testid="nas-monthly">
              {show(cost.nas.total)}
            </dd>
            <dd className="text-xs text-slate-500">{t("nasBreakdown")}</dd>
          </div>
        </dl>
      ) : (
        <p className="mt-4 text-slate-600 dark:text-slate-400" role="status">
          {t("fillIn")}
        </p>
      )}
    </Card>
  );
}
