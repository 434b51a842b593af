"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { setAuditRetentionAction, type RetentionFormState } from "@/app/(dashboard)/settings/audit/actions";
import { inputClass, secondaryButton } from "@/components/ui/form-styles";

export function RetentionForm({ days }: { days: number }) {
  const t = useTranslations("teams.audit");
  const [state, action, pending] = useActionState<RetentionFormState, FormData>(setAuditRetentionAction, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
      <label className="block text-sm font-medium">
        {t("days")}
        <input
          name="days"
          type="number"
          min={1}
          max={3650}
          defaultValue={days}
          aria-invalid={state.invalid || undefined}
          className={`${inputClass} w-32`}
        />
      </label>
      <button type="submit" disabled={pending} className={secondaryButton}>
        {t("save")}
      </button>
      {state.ok && !pending && (
        <span role="status" className="text-sm text-green-700 dark:text-green-400">
          {t("retentionSaved", { pruned: state.pruned ?? 0 })}
        </span>
      )}
      {state.invalid && (
        <span role="alert" className="text-sm text-red-600 dark:text-red-400">
          {t("retentionInvalid")}
        </span>
      )}
    </form>
  );
}
