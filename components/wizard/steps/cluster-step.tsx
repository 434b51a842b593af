"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import type { ConnectionDto } from "@/lib/connections/dto";
import type { SettingsDraft } from "@/lib/wizard/secrets";
import { Field, inputClass } from "@/components/ui/field";
import { StepButtons } from "../step-buttons";
import { stepResolver } from "../step-resolver";
import { useRunnerSchemas } from "../use-runner-schemas";
import type { WizardMeta } from "../setup-wizard";

interface Props {
  draft: SettingsDraft;
  saving: boolean;
  meta: WizardMeta;
  connections: ConnectionDto[];
  onNext: (patch: SettingsDraft, meta: WizardMeta) => void | Promise<void>;
}

interface Values {
  name: string;
  connectionId: string;
  cluster: { namespace: string; instanceName: string; createNamespace: boolean };
}

export function ClusterStep({ draft, saving, meta, connections, onNext }: Props) {
  const t = useTranslations("setup.cluster");
  const { clusterSchema, parseOptions } = useRunnerSchemas();
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t("errors.name")).max(100, t("errors.nameLength")),
        connectionId: z.string().min(1, t("errors.connection")),
        cluster: clusterSchema,
      }),
    [t, clusterSchema],
  );
  const { register, handleSubmit, formState } = useForm<Values, unknown, z.output<typeof schema>>({
    resolver: stepResolver(schema, (v: Values) => v, parseOptions),
    defaultValues: {
      name: meta.name,
      connectionId: meta.connectionId ?? "",
      cluster: {
        namespace: draft.cluster?.namespace ?? "gitlab-ci",
        instanceName: draft.cluster?.instanceName ?? "gitlab-runner",
        createNamespace: draft.cluster?.createNamespace ?? true,
      },
    },
  });
  const errors = formState.errors;
  return (
    <form
      noValidate
      onSubmit={handleSubmit((v) => onNext({ cluster: v.cluster }, { name: v.name, connectionId: v.connectionId }))}
      className="max-w-xl space-y-4"
    >
      <Field label={t("name")} hint={t("nameHint")} error={errors.name?.message}>
        <input {...register("name")} aria-invalid={Boolean(errors.name)} className={inputClass} />
      </Field>
      <Field label={t("connection")} hint={t("connectionHint")} error={errors.connectionId?.message}>
        <select {...register("connectionId")} aria-invalid={Boolean(errors.connectionId)} className={inputClass}>
          <option value="">—</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.server})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("namespace")} hint={t("namespaceHint")} error={errors.cluster?.namespace?.message}>
        <input
          {...register("cluster.namespace")}
          aria-invalid={Boolean(errors.cluster?.namespace)}
          className={inputClass}
        />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("cluster.createNamespace")} />
        {t("createNamespace")}
      </label>
      <Field label={t("instanceName")} hint={t("instanceNameHint")} error={errors.cluster?.instanceName?.message}>
        <input
          {...register("cluster.instanceName")}
          aria-invalid={Boolean(errors.cluster?.instanceName)}
          className={inputClass}
        />
      </Field>
      <StepButtons saving={saving} />
    </form>
  );
}
