"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { FieldErrors, FieldPath, UseFormRegisterReturn } from "react-hook-form";
import { Field, inputClass } from "@/components/ui/field";
import { CACHE_PRESETS, cacheSnippet, type CachePreset } from "@/lib/wizard/cache-presets";
import { ossS3Endpoint } from "@/lib/manifests/oss-cache";

export interface DistributedCacheValues {
  region: string;
  endpoint: "internal" | "public" | "custom";
  customEndpoint: string;
  bucket: string;
  path: string;
  shared: boolean;
  accessKeyId: string;
  accessKeySecret: string;
  secretName: string;
}

interface FormShape {
  cacheEnabled: boolean;
  distributedCache: DistributedCacheValues;
}

/** A field of this part of the form ("cacheEnabled", "distributedCache.bucket", …). */
export type DistributedCacheField = FieldPath<FormShape>;

/** The OSS distributed cache part of the storage step: the trade-off against NAS, the bucket, the AccessKey pair. */
export function DistributedCacheFields({
  register,
  errors,
  enabled,
  values,
  secretSaved,
}: {
  /**
   * The host form's `register` for this part's fields: a callback rather than the host's `register`
   * itself, which is typed by the host's whole form and so is not a `UseFormRegister<FormShape>`.
   */
  register: (name: DistributedCacheField) => UseFormRegisterReturn<DistributedCacheField>;
  errors: FieldErrors<DistributedCacheValues> | undefined;
  enabled: boolean;
  values: Partial<DistributedCacheValues> | undefined;
  secretSaved: boolean;
}) {
  const t = useTranslations("setup.storage.cache");
  const [preset, setPreset] = useState<CachePreset>("maven");
  const endpoint = values?.region
    ? ossS3Endpoint({
        region: values.region,
        endpoint: values.endpoint ?? "internal",
        customEndpoint: values.customEndpoint,
      })
    : undefined;
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">{t("legend")}</legend>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" {...register("cacheEnabled")} />
        {t("enable")}
      </label>
      <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-400">
        <li>{t("tradeOffCost")}</li>
        <li>{t("tradeOffSpeed")}</li>
        <li>{t("tradeOffConcurrency")}</li>
      </ul>
      {enabled && (
        <>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("region")} hint={t("regionHint")} error={errors?.region?.message}>
              <input {...register("distributedCache.region")} placeholder="cn-hangzhou" className={inputClass} />
            </Field>
            <Field label={t("endpoint")} hint={endpoint ? t("endpointHint", { endpoint }) : undefined}>
              <select {...register("distributedCache.endpoint")} className={inputClass}>
                <option value="internal">{t("endpoints.internal")}</option>
                <option value="public">{t("endpoints.public")}</option>
                <option value="custom">{t("endpoints.custom")}</option>
              </select>
            </Field>
            {values?.endpoint === "custom" && (
              <Field label={t("customEndpoint")} error={errors?.customEndpoint?.message}>
                <input
                  {...register("distributedCache.customEndpoint")}
                  placeholder="cache.example.com"
                  className={inputClass}
                />
              </Field>
            )}
          </div>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("bucket")} error={errors?.bucket?.message}>
              <input {...register("distributedCache.bucket")} className={inputClass} />
            </Field>
            <Field label={t("path")} hint={t("pathHint")} error={errors?.path?.message}>
              <input {...register("distributedCache.path")} placeholder="gitlab-runner" className={inputClass} />
            </Field>
            <Field label={t("secretName")} error={errors?.secretName?.message}>
              <input {...register("distributedCache.secretName")} className={inputClass} />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...register("distributedCache.shared")} />
            {t("shared")}
          </label>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t("accessKeyId")} hint={t("accessKeyHint")} error={errors?.accessKeyId?.message}>
              <input {...register("distributedCache.accessKeyId")} autoComplete="off" className={inputClass} />
            </Field>
            <Field
              label={t("accessKeySecret")}
              hint={secretSaved ? t("secretSaved") : undefined}
              error={errors?.accessKeySecret?.message}
            >
              <input
                {...register("distributedCache.accessKeySecret")}
                type="password"
                autoComplete="new-password"
                className={inputClass}
              />
            </Field>
          </div>
          <div className="space-y-2">
            <Field label={t("preset")} hint={t("presetHint")}>
              <select value={preset} onChange={(e) => setPreset(e.target.value as CachePreset)} className={inputClass}>
                {CACHE_PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {t(`presets.${p}`)}
                  </option>
                ))}
              </select>
            </Field>
            <pre
              aria-label={t("snippet")}
              className="overflow-x-auto rounded-md bg-slate-100 p-3 font-mono text-xs dark:bg-slate-900"
            >
              {cacheSnippet(preset)}
            </pre>
          </div>
        </>
      )}
    </fieldset>
  );
}
