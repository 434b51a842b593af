"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { RunnerSchemas } from "@/lib/runner-settings/schema";
import { Field, inputClass } from "@/components/ui/field";
import { StepButtons } from "../step-buttons";
import { useRunnerSchemas } from "../use-runner-schemas";
import { optionalStepResolver } from "../step-resolver";
import type { StepProps } from "./types";
import { EnableToggle } from "../enable-toggle";

interface Values {
  enabled: boolean;
  registry: { server: string; username: string; password: string; secretName: string; mountPath: string };
}

const withPassword = ({ registrySchema }: RunnerSchemas) => z.object({ registry: registrySchema });
// A stored password is kept when the field is left empty.
const keepPassword = ({ registrySchema }: RunnerSchemas) =>
  z.object({ registry: registrySchema.extend({ password: z.string() }) });

export function RegistryStep({ draft, saving, onBack, onNext, passwordSaved }: StepProps & { passwordSaved: boolean }) {
  const t = useTranslations("setup.registry");
  const r = draft.registry;
  const schemas = useRunnerSchemas();
  const schema = useMemo(() => (passwordSaved ? keepPassword : withPassword)(schemas), [passwordSaved, schemas]);
  const { register, handleSubmit, getValues, control, formState } = useForm<Values, unknown, Values>({
    resolver: optionalStepResolver(schema, (v: Values) => ({ registry: v.registry }), schemas.parseOptions),
    defaultValues: {
      enabled: Boolean(r),
      registry: {
        server: r?.server ?? "",
        username: r?.username ?? "",
        password: "",
        secretName: r?.secretName ?? "registry-auth-secret",
        mountPath: r?.mountPath ?? "/root/.docker",
      },
    },
  });
  const enabled = useWatch({ control, name: "enabled" });
  const errors = formState.errors.registry;
  const patchOf = (v: Values) => ({
    registry: v.enabled ? { ...v.registry, server: v.registry.server.trim() } : undefined,
  });
  return (
    <form noValidate onSubmit={handleSubmit((v) => onNext(patchOf(v)))} className="max-w-xl space-y-4">
      <EnableToggle registration={register("enabled")} label={t("enable")} hint={t("enableHint")} />
      {enabled && (
        <>
          <Field label={t("server")} error={errors?.server?.message}>
            <input
              {...register("registry.server")}
              placeholder="registry.cn-hangzhou.aliyuncs.com"
              aria-invalid={Boolean(errors?.server)}
              className={inputClass}
            />
          </Field>
          <Field label={t("username")} error={errors?.username?.message}>
            <input
              {...register("registry.username")}
              autoComplete="off"
              aria-invalid={Boolean(errors?.username)}
              className={inputClass}
            />
          </Field>
          <Field
            label={t("password")}
            hint={passwordSaved ? t("passwordSaved") : undefined}
            error={errors?.password?.message}
          >
            <input
              {...register("registry.password")}
              type="password"
              autoComplete="new-password"
              aria-invalid={Boolean(errors?.password)}
              className={inputClass}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("secretName")} error={errors?.secretName?.message}>
              <input {...register("registry.secretName")} className={inputClass} />
            </Field>
            <Field label={t("mountPath")} error={errors?.mountPath?.message}>
              <input {...register("registry.mountPath")} className={inputClass} />
            </Field>
          </div>
        </>
      )}
      <StepButtons saving={saving} onBack={() => onBack(patchOf(getValues()))} />
    </form>
  );
}
