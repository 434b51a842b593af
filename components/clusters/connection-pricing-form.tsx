"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { saveConnectionPricingAction, type PricingFormState } from "@/app/(dashboard)/clusters/pricing-actions";
import type { ConnectionPricingSettings } from "@/lib/cost/connection-pricing";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";

/** Which price book a cluster's pods are priced with, and what its unlabelled pods run on. */
export function ConnectionPricingForm({ id, pricing }: { id: string; pricing: ConnectionPricingSettings }) {
  const t = useTranslations("clusters.pricing");
  const [state, action, pending] = useActionState<PricingFormState, FormData>(saveConnectionPricingAction, {});
  const value = (field: string, fallback: string) => state.values?.[field] ?? fallback;
  const error = (field: string) =>
    state.fieldErrors?.[field] && (
      <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
        {t(`errors.${field as "priceSite"}`)}
      </span>
    );
  return (
    <Card as="section" title={t("heading")} className="mt-6" data-testid="connection-pricing">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      <form action={action} className="grid gap-3 sm:grid-cols-3" noValidate>
        <input type="hidden" name="id" value={id} />
        <label className="block text-sm font-medium">
          {t("site")}
          <select name="priceSite" defaultValue={value("priceSite", pricing.site)} className={inputClass}>
            <option value="cn">{t("sites.cn")}</option>
            <option value="intl">{t("sites.intl")}</option>
          </select>
          {error("priceSite")}
        </label>
        <label className="block text-sm font-medium">
          {t("region")}
          <input
            name="priceRegion"
            defaultValue={value("priceRegion", pricing.region === "default" ? "" : pricing.region)}
            placeholder="cn-hangzhou"
            autoComplete="off"
            aria-invalid={state.fieldErrors?.priceRegion || undefined}
            className={inputClass}
          />
          <span className="mt-1 block text-xs font-normal text-slate-500">{t("regionHint")}</span>
          {error("priceRegion")}
        </label>
        <label className="block text-sm font-medium">
          {t("defaultBackend")}
          <select
            name="defaultBackend"
            defaultValue={value("defaultBackend", pricing.defaultBackend)}
            className={inputClass}
          >
            <option value="eci">{t("backends.eci")}</option>
            <option value="acs">{t("backends.acs")}</option>
          </select>
          <span className="mt-1 block text-xs font-normal text-slate-500">{t("defaultBackendHint")}</span>
          {error("defaultBackend")}
        </label>
        <div className="flex items-center gap-3 sm:col-span-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {t("save")}
          </Button>
          {state.ok && (
            <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              {t("saved")}
            </span>
          )}
          {state.notFound && (
            <span role="alert" className="text-sm text-red-600">
              {t("notFound")}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
