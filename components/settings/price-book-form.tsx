"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { resetPriceBookAction, savePriceBookAction, type SettingsFormState } from "@/app/(dashboard)/settings/actions";
import type { PriceBook } from "@/lib/cost/prices";

const inputClass =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 font-mono text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";

const FIELDS = [
  ["vcpuPerSecond", "eci.vcpu"],
  ["memoryGiBPerSecond", "eci.memory"],
  ["economyVcpuPerSecond", "eci.economy-vcpu"],
] as const;

/** Edit the unit prices of a site (or of one region of it); saving stores a PriceBook row. */
export function PriceBookForm({ book, overridden }: { book: PriceBook; overridden: boolean }) {
  const t = useTranslations("settings.priceBook");
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(savePriceBookAction, {});
  const invalid = (field: string) => state.fieldErrors?.[field] === true;
  const error = (field: string) =>
    invalid(field) && (
      <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
        {t(`errors.${field}`)}
      </span>
    );

  return (
    <div className="space-y-3">
      <form action={action} className="grid gap-3 sm:grid-cols-2" noValidate>
        <input type="hidden" name="site" value={book.site} />
        {FIELDS.map(([field, key]) => (
          <label key={field} className="block text-sm font-medium">
            {t(field, { currency: book.currency })}
            <input
              name={field}
              defaultValue={state.values?.[field] ?? book.prices[key].perSecond ?? ""}
              inputMode="decimal"
              autoComplete="off"
              aria-invalid={invalid(field) || undefined}
              className={inputClass}
            />
            {error(field)}
          </label>
        ))}
        <label className="block text-sm font-medium">
          {t("region")}
          <input
            name="region"
            defaultValue={state.values?.region ?? "default"}
            autoComplete="off"
            aria-invalid={invalid("region") || undefined}
            className={inputClass}
          />
          <span className="mt-0.5 block text-xs font-normal text-slate-500">{t("regionHint")}</span>
          {error("region")}
        </label>
        <label className="block text-sm font-medium sm:col-span-2">
          {t("source")}
          <input
            name="source"
            defaultValue={state.values?.source ?? (overridden ? (book.prices["eci.vcpu"].source ?? "") : "")}
            autoComplete="off"
            className={inputClass}
          />
          {error("source")}
        </label>
        <div className="flex items-center gap-3 sm:col-span-2">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-orange-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-orange-700 disabled:opacity-60"
          >
            {t("save")}
          </button>
          {state.ok && !pending && (
            <span role="status" className="text-sm text-green-700 dark:text-green-400">
              {t("saved")}
            </span>
          )}
        </div>
      </form>
      {overridden && (
        <form action={resetPriceBookAction}>
          <input type="hidden" name="site" value={book.site} />
          <input type="hidden" name="region" value={book.region} />
          <button
            type="submit"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {t("reset")}
          </button>
        </form>
      )}
    </div>
  );
}

/** A region's own override, with its reset button. */
export function RegionOverrideReset({ site, region, label }: { site: string; region: string; label: string }) {
  return (
    <form action={resetPriceBookAction}>
      <input type="hidden" name="site" value={site} />
      <input type="hidden" name="region" value={region} />
      <button type="submit" className="text-sm text-orange-700 hover:underline dark:text-orange-300">
        {label}
      </button>
    </form>
  );
}
