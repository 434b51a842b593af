"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { login } from "@/app/login/actions";
import type { LoginState } from "@/lib/validations/login";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { ErrorAlert } from "@/components/ui/error-alert";

export function LoginForm() {
  const t = useTranslations("login");
  const [state, action, pending] = useActionState<LoginState, FormData>(login, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <label className="block text-sm font-medium">
        {t("username")}
        <input name="username" autoComplete="username" defaultValue={state.username} className={inputClass} />
        {state.fieldErrors?.username && (
          <span role="alert" className="mt-1 block text-xs text-red-600">
            {t(state.fieldErrors.username)}
          </span>
        )}
      </label>
      <label className="block text-sm font-medium">
        {t("password")}
        <input name="password" type="password" autoComplete="current-password" className={inputClass} />
        {state.fieldErrors?.password && (
          <span role="alert" className="mt-1 block text-xs text-red-600">
            {t(state.fieldErrors.password)}
          </span>
        )}
      </label>
      {state.error && <ErrorAlert>{t(state.error)}</ErrorAlert>}
      <Button type="submit" disabled={pending} variant="primary" className="w-full">
        {t("submit")}
      </Button>
    </form>
  );
}
