"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { RunnerSchemas } from "@/lib/runner-settings/schema";
import { draftImages } from "@/lib/wizard/draft-images";
import { collectMessages, Field, inputClass, textareaClass } from "@/components/ui/field";
import { emptyToUndefined, listToText, textToList } from "@/lib/wizard/form-values";
import { StepButtons } from "../step-buttons";
import { useRunnerSchemas } from "../use-runner-schemas";
import { optionalStepResolver } from "../step-resolver";
import type { StepProps } from "./types";
import { EnableToggle } from "../enable-toggle";

interface Values {
  enabled: boolean;
  images: string;
  sizeGiB: number;
  retentionDays: number;
}

const stepSchema = ({ imageCacheSchema }: RunnerSchemas) => z.object({ imageCache: imageCacheSchema });
const toInput = (v: Values) => ({
  imageCache: { images: textToList(v.images), sizeGiB: v.sizeGiB, retentionDays: emptyToUndefined(v.retentionDays) },
});

export function ImageCacheStep({ draft, saving, onBack, onNext }: StepProps) {
  const t = useTranslations("setup.imageCache");
  const schemas = useRunnerSchemas();
  const schema = useMemo(() => stepSchema(schemas), [schemas]);
  const c = draft.imageCache;
  // The runner, its helper and the default build image, from the chosen registry: what every job pulls.
  const images = draftImages(draft);
  const suggested = [...new Set([images.runner, images.helper, images.job])];
  const { register, handleSubmit, getValues, control, formState } = useForm<Values, unknown, Values>({
    resolver: optionalStepResolver(schema, toInput, schemas.parseOptions),
    defaultValues: {
      enabled: Boolean(c),
      images: listToText((c?.images as string[] | undefined) ?? suggested),
      sizeGiB: c?.sizeGiB ?? 20,
      retentionDays: c?.retentionDays ?? (Number.NaN as number),
    },
  });
  const enabled = useWatch({ control, name: "enabled" });
  const errors = formState.errors as Record<string, unknown>;
  const cacheErrors = errors.imageCache as Record<string, unknown> | undefined;
  const patchOf = (v: Values) => ({ imageCache: v.enabled ? toInput(v).imageCache : undefined });
  return (
    <form noValidate onSubmit={handleSubmit((v) => onNext(patchOf(v)))} className="max-w-xl space-y-4">
      <EnableToggle registration={register("enabled")} label={t("enable")} hint={t("enableHint")} />
      {enabled && (
        <>
          <Field label={t("images")} hint={t("imagesHint")} error={collectMessages(cacheErrors?.images)}>
            <textarea {...register("images")} rows={5} className={textareaClass} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("size")} error={collectMessages(cacheErrors?.sizeGiB)}>
              <input {...register("sizeGiB", { valueAsNumber: true })} type="number" className={inputClass} />
            </Field>
            <Field
              label={t("retentionDays")}
              hint={t("retentionHint")}
              error={collectMessages(cacheErrors?.retentionDays)}
            >
              <input {...register("retentionDays", { valueAsNumber: true })} type="number" className={inputClass} />
            </Field>
          </div>
        </>
      )}
      <StepButtons saving={saving} onBack={() => onBack(patchOf(getValues()))} />
    </form>
  );
}
