"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { RunnerSchemas } from "@/lib/runner-settings/schema";
import { Field, inputClass } from "@/components/ui/field";
import { StepButtons } from "../step-buttons";
import { useRunnerSchemas } from "../use-runner-schemas";
import { stepResolver } from "../step-resolver";
import type { StepProps } from "./types";
import { Button } from "@/components/ui/button";
import { DistributedCacheFields, type DistributedCacheValues } from "./distributed-cache-fields";

interface VolumeValues {
  name: string;
  mountPath: string;
  size: string;
  backend: { kind: "nas" | "storageClass"; server?: string; path?: string; storageClassName?: string };
}
interface Values {
  storage: { volumes: VolumeValues[] };
  cacheEnabled: boolean;
  distributedCache: DistributedCacheValues;
}

/** With a saved AccessKey secret an empty field keeps it, so the step accepts it empty. */
const stepSchema = (
  { storageSchema, distributedCacheSchema, distributedCacheObject, refineDistributedCache }: RunnerSchemas,
  secretSaved: boolean,
) =>
  z.object({
    storage: storageSchema,
    distributedCache: (secretSaved
      ? distributedCacheObject.extend({ accessKeySecret: z.string() }).superRefine(refineDistributedCache)
      : distributedCacheSchema
    ).optional(),
  });
const toInput = (v: Values) => ({
  storage: v.storage,
  distributedCache: v.cacheEnabled ? v.distributedCache : undefined,
});
const NEW_CACHE: DistributedCacheValues = {
  region: "",
  endpoint: "internal",
  customEndpoint: "",
  bucket: "",
  path: "gitlab-runner",
  shared: false,
  accessKeyId: "",
  accessKeySecret: "",
  secretName: "oss-cache-secret",
};
const NEW_VOLUME: VolumeValues = {
  name: "cache",
  mountPath: "/cache",
  size: "50Gi",
  backend: { kind: "nas", server: "", path: "/" },
};

export function StorageStep({
  draft,
  saving,
  onBack,
  onNext,
  cacheSecretSaved,
}: StepProps & { cacheSecretSaved: boolean }) {
  const t = useTranslations("setup.storage");
  const schemas = useRunnerSchemas();
  const schema = useMemo(() => stepSchema(schemas, cacheSecretSaved), [schemas, cacheSecretSaved]);
  const volumes = (draft.storage?.volumes ?? []) as VolumeValues[];
  const savedCache = draft.distributedCache as Partial<DistributedCacheValues> | undefined;
  const { register, handleSubmit, getValues, control, formState } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: stepResolver(schema, toInput, schemas.parseOptions),
    defaultValues: {
      storage: { volumes },
      cacheEnabled: Boolean(savedCache),
      distributedCache: { ...NEW_CACHE, ...savedCache, accessKeySecret: "" },
    },
  });
  const cacheEnabled = useWatch({ control, name: "cacheEnabled" });
  const cacheValues = useWatch({ control, name: "distributedCache" });
  const { fields, append, remove } = useFieldArray({ control, name: "storage.volumes" });
  const kinds = useWatch({ control, name: "storage.volumes" })?.map((v) => v?.backend?.kind);
  const errors = formState.errors.storage?.volumes;
  return (
    <form
      noValidate
      onSubmit={handleSubmit((v) => onNext({ storage: v.storage, distributedCache: v.distributedCache }))}
      className="max-w-3xl space-y-4"
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      {fields.length === 0 && <p className="text-sm italic text-slate-500">{t("none")}</p>}
      {fields.map((field, i) => {
        const e = errors?.[i];
        const backendErrors = e?.backend as Record<string, { message?: string }> | undefined;
        return (
          <fieldset key={field.id} className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
            <legend className="px-1 text-sm font-medium">{t("volume", { index: i + 1 })}</legend>
            <div className="grid gap-3 sm:grid-cols-3">
              <Field label={t("name")} error={e?.name?.message}>
                <input
                  {...register(`storage.volumes.${i}.name`)}
                  aria-invalid={Boolean(e?.name)}
                  className={inputClass}
                />
              </Field>
              <Field label={t("mountPath")} error={e?.mountPath?.message}>
                <input
                  {...register(`storage.volumes.${i}.mountPath`)}
                  aria-invalid={Boolean(e?.mountPath)}
                  className={inputClass}
                />
              </Field>
              <Field label={t("size")} error={e?.size?.message}>
                <input
                  {...register(`storage.volumes.${i}.size`)}
                  aria-invalid={Boolean(e?.size)}
                  className={inputClass}
                />
              </Field>
            </div>
            <div className="grid gap-3 sm:grid-cols-3">
              <Field label={t("backend")}>
                <select {...register(`storage.volumes.${i}.backend.kind`)} className={inputClass}>
                  <option value="nas">{t("nas")}</option>
                  <option value="storageClass">{t("storageClass")}</option>
                </select>
              </Field>
              {kinds?.[i] === "storageClass" ? (
                <Field
                  label={t("storageClassName")}
                  hint={t("storageClassHint")}
                  error={backendErrors?.storageClassName?.message}
                >
                  <input {...register(`storage.volumes.${i}.backend.storageClassName`)} className={inputClass} />
                </Field>
              ) : (
                <>
                  <Field label={t("server")} hint={t("serverHint")} error={backendErrors?.server?.message}>
                    <input {...register(`storage.volumes.${i}.backend.server`)} className={inputClass} />
                  </Field>
                  <Field label={t("path")} error={backendErrors?.path?.message}>
                    <input {...register(`storage.volumes.${i}.backend.path`)} className={inputClass} />
                  </Field>
                </>
              )}
            </div>
            <Button variant="dangerLink" className="text-sm" onClick={() => remove(i)}>
              {t("remove")}
            </Button>
          </fieldset>
        );
      })}
      {formState.errors.storage?.volumes?.root?.message && (
        <p role="alert" className="text-sm text-red-600">
          {formState.errors.storage.volumes.root.message}
        </p>
      )}
      <Button onClick={() => append(fields.length === 0 ? NEW_VOLUME : { ...NEW_VOLUME, name: "", mountPath: "" })}>
        {t("add")}
      </Button>
      <DistributedCacheFields
        register={(name) => register(name)}
        errors={formState.errors.distributedCache}
        enabled={cacheEnabled}
        values={cacheValues}
        secretSaved={cacheSecretSaved}
      />
      <StepButtons saving={saving} onBack={() => onBack(toInput(getValues()))} />
    </form>
  );
}
