"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { createChannelAction, type AlertFormState } from "@/app/(dashboard)/cost/budgets/actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { CHANNEL_FORMATS } from "@/lib/alerts/formats";
import { FieldError } from "./form-message";

/** Adds a webhook channel (admins). The URL and the secret go to the server and never come back. */
export function ChannelForm() {
  const t = useTranslations("alerts.channels");
  const [state, action, pending] = useActionState<AlertFormState, FormData>(createChannelAction, {});
  const invalid = (field: string) => state.fieldErrors?.[field] === true;
  const error = (field: string) =>
    invalid(field) ? t(state.error === "duplicate" && field === "name" ? "errors.duplicate" : `errors.${field}`) : null;
  return (
    <form
      action={action}
      noValidate
      className="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800"
    >
      <h3 className="text-sm font-semibold sm:col-span-2">{t("addHeading")}</h3>
      <label className="block text-sm font-medium">
        {t("name")}
        <input
          name="name"
          defaultValue={state.values?.name ?? ""}
          autoComplete="off"
          aria-invalid={invalid("name") || undefined}
          className={inputClass}
        />
        <FieldError message={error("name")} />
      </label>
      <label className="block text-sm font-medium">
        {t("format")}
        <select
          name="format"
          defaultValue={state.values?.format ?? "json"}
          aria-invalid={invalid("format") || undefined}
          className={inputClass}
        >
          {CHANNEL_FORMATS.map((format) => (
            <option key={format} value={format}>
              {t(`formats.${format}`)}
            </option>
          ))}
        </select>
        <FieldError message={error("format")} />
      </label>
      <label className="block text-sm font-medium">
        {t("url")}
        <input
          name="url"
          type="password"
          autoComplete="off"
          placeholder="https://"
          aria-invalid={invalid("url") || undefined}
          className={inputClass}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("urlHint")}</span>
        <FieldError message={error("url")} />
      </label>
      <label className="block text-sm font-medium">
        {t("secret")}
        <input
          name="secret"
          type="password"
          autoComplete="off"
          aria-invalid={invalid("secret") || undefined}
          className={inputClass}
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">{t("secretHint")}</span>
        <FieldError message={error("secret")} />
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" variant="primary" disabled={pending}>
          {t("add")}
        </Button>
        {state.ok && (
          <span role="status" className="text-sm text-green-700 dark:text-green-400">
            {t("saved")}
          </span>
        )}
      </div>
    </form>
  );
}
