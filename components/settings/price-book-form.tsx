"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { resetPriceBookAction, savePriceBookAction, type SettingsFormState } from "@/app/(dashboard)/settings/actions";
import { useCan } from "@/components/auth/role-context";
import { ACS_PRICE_KEYS, type PriceBook } from "@/lib/cost/prices";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

const FIELDS = [
  ["vcpuPerSecond", "eci.vcpu"],
  ["memoryGiBPerSecond", "eci.memory"],
  ["economyVcpuPerSecond", "eci.economy-vcpu"],
] as const;

/** Edit the unit prices of a site (or of one region of it); saving stores a PriceBook row. */
export function PriceBookForm({ book, overridden }: { book: PriceBook; overridden: boolean }) {
  const t = useTranslations("settings.priceBook");
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(savePriceBookAction, {});
  // Prices are an admin's to change; others see the values read-only.
  const canEdit = useCan("admin");
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
        <fieldset disabled={!canEdit} className="contents">
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
                className={`${inputClass} font-mono`}
              />
              {error(field)}
            </label>
          ))}
          <fieldset className="grid gap-3 sm:col-span-2 sm:grid-cols-2">
            <legend className="text-sm font-semibold">{t("acsHeading")}</legend>
            <p className="text-xs text-slate-500 sm:col-span-2">{t("acsHint")}</p>
            {ACS_PRICE_KEYS.map((key) => {
              const [, computeClass, qos, resource] = key.split(".");
              return (
                <label key={key} className="block text-sm font-medium">
                  {t("acsField", {
                    computeClass,
                    qos,
                    resource: t(`resources.${resource}`),
                    currency: book.currency,
                  })}
                  <input
                    name={key}
                    defaultValue={state.values?.[key] ?? book.prices[key].perSecond ?? ""}
                    inputMode="decimal"
                    autoComplete="off"
                    aria-invalid={invalid("acsPrices") || undefined}
                    className={`${inputClass} font-mono`}
                  />
                </label>
              );
            })}
            <div className="sm:col-span-2">{error("acsPrices")}</div>
          </fieldset>
          <label className="block text-sm font-medium">
            {t("region")}
            <input
              name="region"
              defaultValue={state.values?.region ?? "default"}
              autoComplete="off"
              aria-invalid={invalid("region") || undefined}
              className={`${inputClass} font-mono`}
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
              className={`${inputClass} font-mono`}
            />
            {error("source")}
          </label>
        </fieldset>
        {canEdit && (
          <div className="flex items-center gap-3 sm:col-span-2">
            <Button type="submit" disabled={pending} variant="primary">
              {t("save")}
            </Button>
            {state.ok && !pending && (
              <span role="status" className="text-sm text-green-700 dark:text-green-400">
                {t("saved")}
              </span>
            )}
          </div>
        )}
      </form>
      {canEdit && overridden && (
        <form action={resetPriceBookAction}>
          <input type="hidden" name="site" value={book.site} />
          <input type="hidden" name="region" value={book.region} />
          <Button type="submit" variant="compact">
            {t("reset")}
          </Button>
        </form>
      )}
    </div>
  );
}

/** A region's own override, with its reset button. */
export function RegionOverrideReset({ site, region, label }: { site: string; region: string; label: string }) {
  const canEdit = useCan("admin");
  if (!canEdit) return null;
  return (
    <form action={resetPriceBookAction}>
      <input type="hidden" name="site" value={site} />
      <input type="hidden" name="region" value={region} />
      <Button type="submit" variant="link" className="text-sm">
        {label}
      </Button>
    </form>
  );
}
