"use client";

import { useTranslations } from "next-intl";
import { useActionState, useTransition } from "react";
import {
  addRoleMappingAction,
  deleteRoleMappingAction,
  type UsersFormState,
} from "@/app/(dashboard)/settings/users/actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
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
              <Button
                variant="dangerLink"
                className="text-sm"
                disabled={deleting}
                aria-label={t("deleteNamed", { group: mapping.groupPath })}
                onClick={() =>
                  startDelete(async () => {
                    const form = new FormData();
                    form.set("mappingId", mapping.id);
                    await deleteRoleMappingAction(form);
                  })
                }
              >
                {t("delete")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form action={action} className="grid gap-3 sm:grid-cols-4" noValidate>
        <Field
          label={t("group")}
          name="groupPath"
          className="sm:col-span-2"
          error={state.error === "invalid" ? t("invalid") : undefined}
        >
          <input placeholder={t("groupPlaceholder")} autoComplete="off" className={inputClass} />
        </Field>
        <Field label={t("minAccess")} name="minAccess">
          <select defaultValue="maintainer" className={inputClass}>
            {GITLAB_ACCESS.map((access) => (
              <option key={access} value={access}>
                {t(`access.${access}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("role")} name="role">
          <select defaultValue="operator" className={inputClass}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleName(role)}
              </option>
            ))}
          </select>
        </Field>
        <div className="flex items-center gap-3 sm:col-span-4">
          <Button type="submit" variant="primary" disabled={pending}>
            {t("add")}
          </Button>
          {state.error && state.error !== "invalid" && (
            <span role="alert" className="text-sm text-red-600 dark:text-red-400">
              {errors(state.error)}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
