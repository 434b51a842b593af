"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { setAuditRetentionAction, type RetentionFormState } from "@/app/(dashboard)/settings/audit/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";

export function RetentionForm({ days }: { days: number }) {
  const t = useTranslations("teams.audit");
  const [state, action, pending] = useActionState<RetentionFormState, FormData>(setAuditRetentionAction, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
      <Field label={t("days")} name="days" error={state.invalid ? t("retentionInvalid") : undefined}>
        <input type="number" min={1} max={3650} defaultValue={days} className={`${inputClass} w-32`} />
      </Field>
      <Button type="submit" disabled={pending}>
        {t("save")}
      </Button>
      {state.ok && !pending && (
        <span role="status" className="text-sm text-green-700 dark:text-green-400">
          {t("retentionSaved", { pruned: state.pruned ?? 0 })}
        </span>
      )}
    </form>
  );
}
