"use client";

import { useTranslations } from "next-intl";
import { useActionState, useTransition } from "react";
import {
  addRoleMappingAction,
  deleteRoleMappingAction,
  type UsersFormState,
} from "@/app/(dashboard)/settings/users/actions";
import { inputClass, primaryButton } from "@/components/ui/form-styles";
import { GITLAB_ACCESS } from "@/lib/auth/group-roles";
import { ROLES } from "@/lib/auth/roles";
import type { RoleMappingDto } from "@/lib/auth/users.server";

/** The admin's GitLab group → role rules: the list, a delete button each, and a form to add one. */
export function RoleMappings({ mappings }: { mappings: RoleMappingDto[] }) {
  const t = useTranslations("teams.mappings");
  const errors = useTranslations("teams.users.errors");
  const roleName = useTranslations("roles");
  const [state, action, pending] = useActionState<UsersFormState, FormData>(addRoleMappingAction, {});
  const [deleting, startDelete] = useTransition();
  return (
    <div className="space-y-4">
      {mappings.length === 0 ? (
        <p className="text-sm text-slate-500">{t("empty")}</p>
      ) : (
        <ul className="space-y-2 text-sm" data-testid="role-mappings">
          {mappings.map((mapping) => (
            <li key={mapping.id} className="flex flex-wrap items-center justify-between gap-2">
              <span>
                {t("rule", {
                  access: t(`access.${mapping.minAccess}`),
                  group: mapping.groupPath,
                  role: roleName(mapping.role),
                })}
              </span>
              <button
                type="button"
                disabled={deleting}
                aria-label={t("deleteNamed", { group: mapping.groupPath })}
                className="text-sm text-red-700 hover:underline disabled:opacity-60 dark:text-red-400"
                onClick={() =>
                  startDelete(async () => {
                    const form = new FormData();
                    form.set("mappingId", mapping.id);
                    await deleteRoleMappingAction(form);
                  })
                }
              >
                {t("delete")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form action={action} className="grid gap-3 sm:grid-cols-4" noValidate>
        <label className="block text-sm font-medium sm:col-span-2">
          {t("group")}
          <input
            name="groupPath"
            placeholder={t("groupPlaceholder")}
            autoComplete="off"
            aria-invalid={state.error === "invalid" || undefined}
            className={inputClass}
          />
        </label>
        <label className="block text-sm font-medium">
          {t("minAccess")}
          <select name="minAccess" defaultValue="maintainer" className={inputClass}>
            {GITLAB_ACCESS.map((access) => (
              <option key={access} value={access}>
                {t(`access.${access}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium">
          {t("role")}
          <select name="role" defaultValue="operator" className={inputClass}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleName(role)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-center gap-3 sm:col-span-4">
          <button type="submit" disabled={pending} className={primaryButton}>
            {t("add")}
          </button>
          {state.error && (
            <span role="alert" className="text-sm text-red-600 dark:text-red-400">
              {state.error === "invalid" ? t("invalid") : errors(state.error)}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
