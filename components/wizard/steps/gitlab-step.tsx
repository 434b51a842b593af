"use client";

import { useTranslations } from "next-intl";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { gitlabSchema } from "@/lib/validations/runner";
import { emptyToUndefined } from "@/lib/wizard/form-values";
import { Field } from "../field";
import { StepButtons } from "../step-buttons";
import { stepResolver } from "../step-resolver";
import { inputClass, textareaClass } from "../styles";
import type { StepProps } from "./types";

interface Values {
  gitlab: { url: string; runnerToken: string; runnerName: string; concurrent: number; checkIntervalSeconds: number; caCertificate: string };
}

// With a token already stored, an empty field means "keep it"; anything typed is still checked in full.
const keepTokenSchema = z.object({ gitlab: gitlabSchema.extend({ runnerToken: gitlabSchema.shape.runnerToken.or(z.literal("")) }) });
const newTokenSchema = z.object({ gitlab: gitlabSchema });

export function GitlabStep({ draft, saving, onBack, onNext, tokenSaved }: StepProps & { tokenSaved: boolean }) {
  const t = useTranslations("setup.gitlab");
  const schema = tokenSaved ? keepTokenSchema : newTokenSchema;
  const g = draft.gitlab ?? {};
  const toInput = (v: Values) => ({ gitlab: { ...v.gitlab, caCertificate: emptyToUndefined(v.gitlab.caCertificate.trim()) } });
  const { register, handleSubmit, getValues, formState } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: stepResolver(schema, toInput),
    defaultValues: {
      gitlab: {
        url: g.url ?? "",
        runnerToken: g.runnerToken ?? "",
        runnerName: g.runnerName ?? "ask-eci-runner",
        concurrent: g.concurrent ?? 4,
        checkIntervalSeconds: g.checkIntervalSeconds ?? 3,
        caCertificate: g.caCertificate ?? "",
      },
    },
  });
  const errors = formState.errors.gitlab;
  return (
    <form noValidate onSubmit={handleSubmit((v) => onNext({ gitlab: { ...g, ...v.gitlab } }))} className="max-w-xl space-y-4">
      <Field label={t("url")} hint={t("urlHint")} error={errors?.url?.message}>
        <input {...register("gitlab.url")} placeholder="https://gitlab.example.com/" aria-invalid={Boolean(errors?.url)} className={inputClass} />
      </Field>
      <Field label={t("token")} hint={tokenSaved ? t("tokenSaved") : t("tokenHint")} error={errors?.runnerToken?.message}>
        <input {...register("gitlab.runnerToken")} type="password" autoComplete="off" placeholder={tokenSaved ? "••••••••" : "glrt-…"} aria-invalid={Boolean(errors?.runnerToken)} className={inputClass} />
      </Field>
      <Field label={t("runnerName")} error={errors?.runnerName?.message}>
        <input {...register("gitlab.runnerName")} aria-invalid={Boolean(errors?.runnerName)} className={inputClass} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("concurrent")} hint={t("concurrentHint")} error={errors?.concurrent?.message}>
          <input {...register("gitlab.concurrent", { valueAsNumber: true })} type="number" aria-invalid={Boolean(errors?.concurrent)} className={inputClass} />
        </Field>
        <Field label={t("checkInterval")} hint={t("checkIntervalHint")} error={errors?.checkIntervalSeconds?.message}>
          <input {...register("gitlab.checkIntervalSeconds", { valueAsNumber: true })} type="number" aria-invalid={Boolean(errors?.checkIntervalSeconds)} className={inputClass} />
        </Field>
      </div>
      <Field label={t("caCertificate")} hint={t("caCertificateHint")} error={errors?.caCertificate?.message}>
        <textarea {...register("gitlab.caCertificate")} rows={4} placeholder="-----BEGIN CERTIFICATE-----" aria-invalid={Boolean(errors?.caCertificate)} className={textareaClass} />
      </Field>
      <StepButtons saving={saving} onBack={() => onBack({ gitlab: { ...g, ...getValues().gitlab } })} />
    </form>
  );
}
