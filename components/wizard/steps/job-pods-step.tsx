"use client";

import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useForm, useWatch, type UseFormRegister, type FieldErrors } from "react-hook-form";
import { z } from "zod";
import type { PriceBook, Site } from "@/lib/cost/prices";
import type { ContainerResources, RunnerSchemas } from "@/lib/runner-settings/schema";
import { listToText, mapToText, textToList, textToMap } from "@/lib/wizard/form-values";
import { draftImages } from "@/lib/wizard/draft-images";
import { jobPodPrice } from "@/lib/wizard/pricing";
import { collectMessages, Field, inputClass, textareaClass } from "@/components/ui/field";
import { StepButtons } from "../step-buttons";
import { useRunnerSchemas } from "../use-runner-schemas";
import { stepResolver } from "../step-resolver";
import type { StepProps } from "./types";
import { Card } from "@/components/ui/card";

type Container = "build" | "helper" | "services";
const CONTAINERS: Container[] = ["build", "helper", "services"];

interface Values {
  jobPods: {
    backend: "eci" | "acs";
    computeClass: "general-purpose" | "performance";
    qos: "default" | "best-effort";
    image: string;
    pullPolicy: "if-not-present" | "always" | "never";
    build: ContainerResources;
    helper: ContainerResources;
    services: ContainerResources;
    spot: { strategy: "none" | "SpotAsPriceGo" | "SpotWithPriceLimit"; priceLimit?: number };
    economyCompute: boolean;
    useImageCache: boolean;
    pollTimeoutSeconds: number;
  };
  text: { eciUseSpecs: string; podLabels: string; podAnnotations: string };
}

const stepSchema = ({ jobPodsSchema }: RunnerSchemas) => z.object({ jobPods: jobPodsSchema });

function toInput(v: Values) {
  return {
    jobPods: {
      ...v.jobPods,
      eciUseSpecs: textToList(v.text.eciUseSpecs),
      podLabels: textToMap(v.text.podLabels),
      podAnnotations: textToMap(v.text.podAnnotations),
    },
  };
}

export function JobPodsStep({
  draft,
  saving,
  onBack,
  onNext,
  priceBooks,
}: StepProps & { priceBooks: Record<Site, PriceBook> }) {
  const t = useTranslations("setup.jobPods");
  const schemas = useRunnerSchemas();
  const schema = useMemo(() => stepSchema(schemas), [schemas]);
  const d = schemas.jobPodsSchema.parse({}); // the schema's defaults, for a fresh draft
  const j = { ...d, ...draft.jobPods } as typeof d;
  const images = draftImages(draft);
  const { register, handleSubmit, getValues, control, formState } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: stepResolver(schema, toInput, schemas.parseOptions),
    defaultValues: {
      jobPods: {
        backend: j.backend,
        computeClass: j.computeClass,
        qos: j.qos,
        image: draft.jobPods?.image ?? images.job,
        pullPolicy: j.pullPolicy,
        build: { ...d.build, ...j.build },
        helper: { ...d.helper, ...j.helper },
        services: { ...d.services, ...j.services },
        spot: {
          strategy: j.spot?.strategy ?? "none",
          priceLimit: j.spot?.strategy === "SpotWithPriceLimit" ? j.spot.priceLimit : undefined,
        },
        economyCompute: j.economyCompute,
        useImageCache: j.useImageCache,
        pollTimeoutSeconds: j.pollTimeoutSeconds,
      },
      text: {
        eciUseSpecs: listToText(j.eciUseSpecs, ", "),
        podLabels: mapToText(j.podLabels),
        podAnnotations: mapToText(j.podAnnotations),
      },
    },
  });
  const errors = formState.errors.jobPods;
  // Errors of fields edited as text (maps, lists) arrive under the schema's paths.
  const textErrors = errors as Record<string, unknown> | undefined;
  const watched = useWatch({ control }) as Values;
  const strategy = watched.jobPods?.spot?.strategy;
  const onAcs = watched.jobPods?.backend === "acs";
  const patchOf = (v: Values) => toInput(v);

  return (
    <form noValidate onSubmit={handleSubmit((v) => onNext({ jobPods: v.jobPods }))} className="space-y-6">
      <div className="grid gap-6 xl:grid-cols-[1fr_20rem]">
        <div className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label={t("backend")} hint={t("backendHint")}>
              <select {...register("jobPods.backend")} className={inputClass}>
                <option value="eci">{t("backends.eci")}</option>
                <option value="acs">{t("backends.acs")}</option>
              </select>
            </Field>
            {onAcs && (
              <Field label={t("computeClass")}>
                <select {...register("jobPods.computeClass")} className={inputClass}>
                  <option value="general-purpose">{t("computeClasses.general-purpose")}</option>
                  <option value="performance">{t("computeClasses.performance")}</option>
                </select>
              </Field>
            )}
            {onAcs && (
              <Field label={t("qos")}>
                <select {...register("jobPods.qos")} className={inputClass}>
                  <option value="default">{t("qosLevels.default")}</option>
                  <option value="best-effort">{t("qosLevels.best-effort")}</option>
                </select>
              </Field>
            )}
          </div>
          {onAcs && (
            <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="acs-note">
              {watched.jobPods?.qos === "best-effort" ? t("bestEffortCaveat") : t("acsNote")}
            </p>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("image")} hint={t("imageHint")} error={errors?.image?.message}>
              <input {...register("jobPods.image")} aria-invalid={Boolean(errors?.image)} className={inputClass} />
            </Field>
            <Field label={t("helperImage")} hint={t("helperImageHint")}>
              <input value={images.helper} readOnly className={inputClass} data-testid="helper-image" />
            </Field>
          </div>
          {CONTAINERS.map((container) => (
            <ResourceRow
              key={container}
              container={container}
              register={register}
              errors={errors}
              label={t(`container.${container}`)}
            />
          ))}
          {!onAcs && (
            <>
              <Field
                label={t("eciUseSpecs")}
                hint={t("eciUseSpecsHint")}
                error={collectMessages(textErrors?.eciUseSpecs)}
              >
                <input
                  {...register("text.eciUseSpecs")}
                  placeholder="2-4Gi, ecs.c6.large"
                  aria-invalid={Boolean(textErrors?.eciUseSpecs)}
                  className={inputClass}
                />
              </Field>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label={t("spot")} hint={t("spotHint")}>
                  <select {...register("jobPods.spot.strategy")} className={inputClass}>
                    <option value="none">{t("spotNone")}</option>
                    <option value="SpotAsPriceGo">{t("spotAsPriceGo")}</option>
                    <option value="SpotWithPriceLimit">{t("spotWithPriceLimit")}</option>
                  </select>
                </Field>
                {strategy === "SpotWithPriceLimit" && (
                  <Field
                    label={t("priceLimit")}
                    error={collectMessages((errors?.spot as Record<string, unknown> | undefined)?.priceLimit)}
                  >
                    <input
                      {...register("jobPods.spot.priceLimit", { valueAsNumber: true })}
                      type="number"
                      step="0.001"
                      className={inputClass}
                    />
                  </Field>
                )}
              </div>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" {...register("jobPods.economyCompute")} />
                {t("economy")}
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" {...register("jobPods.useImageCache")} />
                {t("useImageCache")}
              </label>
            </>
          )}
          <Field label={t("pollTimeout")} hint={t("pollTimeoutHint")} error={errors?.pollTimeoutSeconds?.message}>
            <input
              {...register("jobPods.pollTimeoutSeconds", { valueAsNumber: true })}
              type="number"
              aria-invalid={Boolean(errors?.pollTimeoutSeconds)}
              className={inputClass}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("podLabels")} hint={t("mapHint")} error={collectMessages(textErrors?.podLabels)}>
              <textarea
                {...register("text.podLabels")}
                rows={3}
                aria-invalid={Boolean(textErrors?.podLabels)}
                className={textareaClass}
              />
            </Field>
            <Field label={t("podAnnotations")} hint={t("mapHint")} error={collectMessages(textErrors?.podAnnotations)}>
              <textarea
                {...register("text.podAnnotations")}
                rows={3}
                aria-invalid={Boolean(textErrors?.podAnnotations)}
                className={textareaClass}
              />
            </Field>
          </div>
        </div>
        <LivePrice values={watched} priceBooks={priceBooks} />
      </div>
      <StepButtons saving={saving} onBack={() => onBack(patchOf(getValues()))} />
    </form>
  );
}

function ResourceRow({
  container,
  label,
  register,
  errors,
}: {
  container: Container;
  label: string;
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>["jobPods"];
}) {
  const t = useTranslations("setup.jobPods");
  const e = errors?.[container];
  const fields = ["cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit"] as const;
  return (
    <fieldset className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">{label}</legend>
      <div className="grid gap-3 sm:grid-cols-4">
        {fields.map((f) => (
          <Field key={f} label={t(f)} error={e?.[f]?.message}>
            <input {...register(`jobPods.${container}.${f}`)} aria-invalid={Boolean(e?.[f])} className={inputClass} />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

function LivePrice({ values, priceBooks }: { values: Values; priceBooks: Record<Site, PriceBook> }) {
  const t = useTranslations("setup.jobPods.price");
  const [site, setSite] = useState<Site>("cn");
  const input = values.jobPods
    ? toInput({ ...values, text: values.text ?? { eciUseSpecs: "", podLabels: "", podAnnotations: "" } }).jobPods
    : undefined;
  const price = input ? jobPodPrice(input, priceBooks[site]) : undefined;
  const withService = input ? jobPodPrice(input, priceBooks[site], 1) : undefined;
  return (
    <Card
      as="aside"
      className="h-fit space-y-3 text-sm xl:sticky xl:top-4"
      aria-live="polite"
      data-testid="job-pod-price"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 className="font-semibold">{t("title")}</h3>
        <select
          aria-label={t("site")}
          value={site}
          onChange={(e) => setSite(e.target.value as Site)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
        >
          <option value="cn">{t("siteCn")}</option>
          <option value="intl">{t("siteIntl")}</option>
        </select>
      </div>
      {price ? (
        <>
          <p>
            {t("billed")}: <strong data-testid="billed-spec">{price.billed}</strong>
          </p>
          {price.requested && (
            <p className="text-slate-500 dark:text-slate-400">
              {t("requested", { spec: price.requested, source: price.source })}
            </p>
          )}
          <p className="text-lg font-semibold" data-testid="price-per-minute">
            {t("perMinute", { price: price.perMinute })}
          </p>
          <p className="text-slate-500 dark:text-slate-400">{t("perHour", { price: price.perHour })}</p>
          {withService && (
            <p className="text-slate-500 dark:text-slate-400">
              {t("withService", { spec: withService.billed, price: withService.perMinute })}
            </p>
          )}
          {price.estimate && <p className="text-amber-700 dark:text-amber-400">{t("estimate")}</p>}
          {price.notice && <p className="text-amber-700 dark:text-amber-400">{price.notice}</p>}
        </>
      ) : (
        <p className="text-slate-500 dark:text-slate-400">{t("invalid")}</p>
      )}
    </Card>
  );
}
