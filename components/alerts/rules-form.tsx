"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { saveAlertRulesAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { AlertRules } from "@/lib/alerts/input";

/** Which conditions alert, and after how long (operators and admins may change them). */
export function RulesForm({ rules, canEdit }: { rules: AlertRules; canEdit: boolean }) {
  const t = useTranslations("alerts.rules");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(saveAlertRulesAction, {});
  const minutes = (name: "stuckMinutes" | "runnerDownMinutes") => (
    <Field
      label={t(name)}
      name={name}
      error={state.fieldErrors?.[name] ? t(`errors.${name}`) : undefined}
      className="sm:w-56"
    >
      <input
        defaultValue={state.values?.[name] ?? String(rules[name])}
        inputMode="numeric"
        disabled={!canEdit}
        className={inputClass}
      />
    </Field>
  );
  const check = (name: "budgets" | "stuckPods" | "runnersDown") => (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={rules[name]} disabled={!canEdit} className="mt-1" />
      {t(name)}
    </label>
  );
  return (
    <form action={action} noValidate className="space-y-4">
      {check("budgets")}
      <div className="space-y-2">
        {check("stuckPods")}
        {minutes("stuckMinutes")}
      </div>
      <div className="space-y-2">
        {check("runnersDown")}
        {minutes("runnerDownMinutes")}
      </div>
      {canEdit && (
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {t("save")}
          </Button>
          {state.ok && (
            <span role="status" className="text-sm text-green-700 dark:text-green-400">
              {t("saved")}
            </span>
          )}
        </div>
      )}
    </form>
  );
}
