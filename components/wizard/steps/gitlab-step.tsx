"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { RunnerSchemas } from "@/lib/runner-settings/schema";
import {
  DEFAULT_RUNNER_VERSION,
  IMAGE_REGISTRIES,
  RUNNER_FLAVOURS,
  RUNNER_VERSIONS,
  type ImageRegistry,
  type RunnerFlavour,
  type RunnerVersion,
} from "@/lib/manifests/runner-release";
import { draftImages } from "@/lib/wizard/draft-images";
import { emptyToUndefined } from "@/lib/wizard/form-values";
import { Field, inputClass, textareaClass } from "@/components/ui/field";
import { StepButtons } from "../step-buttons";
import { stepResolver } from "../step-resolver";
import { useRunnerSchemas } from "../use-runner-schemas";
import type { StepProps } from "./types";

interface Values {
  gitlab: {
    url: string;
    runnerToken: string;
    runnerName: string;
    concurrent: number;
    checkIntervalSeconds: number;
    caCertificate: string;
  };
  runnerPod: {
    version: RunnerVersion;
    flavour: RunnerFlavour;
    cpu: string;
    memory: string;
    backend: "eci" | "acs";
    computeClass: "general-purpose" | "performance";
  };
  images: { registry: ImageRegistry; mirror: string };
}

// With a token already stored, an empty field means "keep it"; anything typed is still checked in full.
const keepTokenSchema = ({ gitlabSchema, runnerPodSchema, imagesSchema }: RunnerSchemas) =>
  z.object({
    gitlab: gitlabSchema.extend({ runnerToken: gitlabSchema.shape.runnerToken.or(z.literal("")) }),
    runnerPod: runnerPodSchema,
    images: imagesSchema,
  });
const newTokenSchema = ({ gitlabSchema, runnerPodSchema, imagesSchema }: RunnerSchemas) =>
  z.object({ gitlab: gitlabSchema, runnerPod: runnerPodSchema, images: imagesSchema });

export function GitlabStep({
  draft,
  saving,
  onBack,
  onNext,
  tokenSaved,
  createRunner,
}: StepProps & { tokenSaved: boolean; createRunner?: React.ReactNode }) {
  const t = useTranslations("setup.gitlab");
  const schemas = useRunnerSchemas();
  const schema = useMemo(() => (tokenSaved ? keepTokenSchema : newTokenSchema)(schemas), [tokenSaved, schemas]);
  const g = draft.gitlab ?? {};
  const runnerPod = { ...schemas.runnerPodSchema.parse({}), ...draft.runnerPod };
  const images = { ...schemas.imagesSchema.parse({}), ...draft.images };
  const toInput = (v: Values) => ({
    gitlab: { ...v.gitlab, caCertificate: emptyToUndefined(v.gitlab.caCertificate.trim()) },
    runnerPod: v.runnerPod,
    images: { registry: v.images.registry, mirror: emptyToUndefined(v.images.mirror.trim()) },
  });
  const { register, handleSubmit, getValues, control, formState } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: stepResolver(schema, toInput, schemas.parseOptions),
    defaultValues: {
      gitlab: {
        url: g.url ?? "",
        runnerToken: g.runnerToken ?? "",
        runnerName: g.runnerName ?? "ask-eci-runner",
        concurrent: g.concurrent ?? 4,
        checkIntervalSeconds: g.checkIntervalSeconds ?? 3,
        caCertificate: g.caCertificate ?? "",
      },
      runnerPod: {
        version: runnerPod.version,
        flavour: runnerPod.flavour,
        cpu: runnerPod.cpu,
        memory: runnerPod.memory,
        backend: runnerPod.backend,
        computeClass: runnerPod.computeClass,
      },
      images: { registry: images.registry, mirror: images.mirror ?? "" },
    },
  });
  const watched = useWatch({ control }) as Values;
  const preview = draftImages({
    runnerPod: watched.runnerPod,
    images: { registry: watched.images?.registry, mirror: emptyToUndefined(watched.images?.mirror?.trim() ?? "") },
  });
  const errors = formState.errors.gitlab;
  const podErrors = formState.errors.runnerPod;
  const imageErrors = formState.errors.images;
  const patchOf = (v: Values) => {
    const input = toInput(v);
    return { gitlab: { ...g, ...input.gitlab }, runnerPod: input.runnerPod, images: input.images };
  };
  return (
    <form
      noValidate
      onSubmit={handleSubmit((v) =>
        onNext({ gitlab: { ...g, ...v.gitlab }, runnerPod: v.runnerPod, images: v.images }),
      )}
      className="max-w-xl space-y-4"
    >
      {createRunner}
      <Field label={t("url")} hint={t("urlHint")} error={errors?.url?.message}>
        <input
          {...register("gitlab.url")}
          placeholder="https://gitlab.example.com/"
          aria-invalid={Boolean(errors?.url)}
          className={inputClass}
        />
      </Field>
      <Field
        label={t("token")}
        hint={tokenSaved ? t("tokenSaved") : t("tokenHint")}
        error={errors?.runnerToken?.message}
      >
        <input
          {...register("gitlab.runnerToken")}
          type="password"
          autoComplete="off"
          placeholder={tokenSaved ? "••••••••" : "glrt-…"}
          aria-invalid={Boolean(errors?.runnerToken)}
          className={inputClass}
        />
      </Field>
      <Field label={t("runnerName")} error={errors?.runnerName?.message}>
        <input {...register("gitlab.runnerName")} aria-invalid={Boolean(errors?.runnerName)} className={inputClass} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("concurrent")} hint={t("concurrentHint")} error={errors?.concurrent?.message}>
          <input
            {...register("gitlab.concurrent", { valueAsNumber: true })}
            type="number"
            aria-invalid={Boolean(errors?.concurrent)}
            className={inputClass}
          />
        </Field>
        <Field label={t("checkInterval")} hint={t("checkIntervalHint")} error={errors?.checkIntervalSeconds?.message}>
          <input
            {...register("gitlab.checkIntervalSeconds", { valueAsNumber: true })}
            type="number"
            aria-invalid={Boolean(errors?.checkIntervalSeconds)}
            className={inputClass}
          />
        </Field>
      </div>
      <Field label={t("caCertificate")} hint={t("caCertificateHint")} error={errors?.caCertificate?.message}>
        <textarea
          {...register("gitlab.caCertificate")}
          rows={4}
          placeholder="-----BEGIN CERTIFICATE-----"
          aria-invalid={Boolean(errors?.caCertificate)}
          className={textareaClass}
        />
      </Field>
      <fieldset className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">{t("runnerPod")}</legend>
        <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">{t("runnerPodHint")}</p>
        <div className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_1fr]">
          <Field label={t("runnerVersion")} hint={t("runnerVersionHint")} error={podErrors?.version?.message}>
            <select {...register("runnerPod.version")} className={inputClass}>
              {RUNNER_VERSIONS.map((version) => (
                <option key={version} value={version}>
                  {version === DEFAULT_RUNNER_VERSION ? t("runnerVersionDefault", { version }) : version}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("runnerFlavour")}>
            <select {...register("runnerPod.flavour")} className={inputClass}>
              {RUNNER_FLAVOURS.map((flavour) => (
                <option key={flavour} value={flavour}>
                  {t(`flavour.${flavour}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("runnerCpu")} error={podErrors?.cpu?.message}>
            <input {...register("runnerPod.cpu")} aria-invalid={Boolean(podErrors?.cpu)} className={inputClass} />
          </Field>
          <Field label={t("runnerMemory")} error={podErrors?.memory?.message}>
            <input {...register("runnerPod.memory")} aria-invalid={Boolean(podErrors?.memory)} className={inputClass} />
          </Field>
        </div>
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <Field label={t("runnerBackend")} hint={t("runnerBackendHint")}>
            <select {...register("runnerPod.backend")} className={inputClass}>
              <option value="eci">ECI</option>
              <option value="acs">ACS</option>
            </select>
          </Field>
          {watched.runnerPod?.backend === "acs" && (
            <Field label={t("runnerComputeClass")}>
              <select {...register("runnerPod.computeClass")} className={inputClass}>
                <option value="general-purpose">{t("computeClasses.general-purpose")}</option>
                <option value="performance">{t("computeClasses.performance")}</option>
              </select>
            </Field>
          )}
        </div>
        <div className="mt-3 grid gap-3 sm:grid-cols-[1fr_2fr]">
          <Field label={t("registry")} hint={t("registryHint")}>
            <select {...register("images.registry")} className={inputClass}>
              {IMAGE_REGISTRIES.map((registry) => (
                <option key={registry} value={registry}>
                  {t(`registries.${registry}`)}
                </option>
              ))}
            </select>
          </Field>
          {watched.images?.registry === "mirror" && (
            <Field label={t("mirror")} hint={t("mirrorHint")} error={imageErrors?.mirror?.message}>
              <input
                {...register("images.mirror")}
                placeholder="registry.cn-hangzhou.aliyuncs.com/acme"
                aria-invalid={Boolean(imageErrors?.mirror)}
                className={inputClass}
              />
            </Field>
          )}
        </div>
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400" data-testid="runner-images">
          {t("imagesPreview", { runner: preview.runner, helper: preview.helper })}
        </p>
      </fieldset>
      <StepButtons saving={saving} onBack={() => onBack(patchOf(getValues()))} />
    </form>
  );
}
