"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useTransition } from "react";
import { setUserActiveAction, setUserRoleAction, type UsersFormState } from "@/app/(dashboard)/settings/users/actions";
import { inputClass } from "@/components/ui/form-styles";
import { ROLES } from "@/lib/auth/roles";
import type { UserDto } from "@/lib/auth/users.server";

function RoleForm({ user }: { user: UserDto }) {
  const t = useTranslations("teams.users");
  const roleName = useTranslations("roles");
  const [state, action, pending] = useActionState<UsersFormState, FormData>(setUserRoleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={user.id} />
      <select
        name="role"
        defaultValue={user.role}
        aria-label={t("roleFor", { name: user.username })}
        className={`${inputClass} mt-0 w-auto py-1`}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {roleName(role)}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {t("saveRole")}
      </button>
      {state.ok && !pending && (
        <span role="status" className="text-xs text-green-700 dark:text-green-400">
          {t("saved")}
        </span>
      )}
      {state.error && (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {t(`errors.${state.error}`)}
        </span>
      )}
    </form>
  );
}

function ActiveButton({ user }: { user: UserDto }) {
  const t = useTranslations("teams.users");
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      className={`text-sm hover:underline disabled:opacity-60 ${user.disabled ? "text-orange-700 dark:text-orange-300" : "text-red-700 dark:text-red-400"}`}
      onClick={() => {
        if (!user.disabled && !window.confirm(t("deactivateConfirm", { name: user.username }))) return;
        startTransition(async () => {
          const form = new FormData();
          form.set("userId", user.id);
          form.set("active", String(user.disabled));
          await setUserActiveAction(form);
        });
      }}
    >
      {user.disabled ? t("activate") : t("deactivate")}
    </button>
  );
}

/** Every account with its role (editable for GitLab users), groups, last sign-in and status. */
export function UserTable({ users, currentUserId }: { users: UserDto[]; currentUserId: string }) {
  const t = useTranslations("teams.users");
  const roleName = useTranslations("roles");
  const format = useFormatter();
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            <th className="px-3 py-2">{t("user")}</th>
            <th className="px-3 py-2">{t("provider")}</th>
            <th className="px-3 py-2">{t("role")}</th>
            <th className="px-3 py-2">{t("groups")}</th>
            <th className="px-3 py-2">{t("lastLogin")}</th>
            <th className="px-3 py-2">{t("sessions")}</th>
            <th className="px-3 py-2">{t("status")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {users.map((user) => (
            <tr key={user.id} data-testid={`user-${user.username}`} className="align-top">
              <td className="px-3 py-2">
                <div className="font-medium">{user.username}</div>
                {user.displayName && <div className="text-xs text-slate-500">{user.displayName}</div>}
                {user.email && <div className="text-xs text-slate-500">{user.email}</div>}
              </td>
              <td className="px-3 py-2">{user.provider === "local" ? t("providerLocal") : t("providerGitlab")}</td>
              <td className="px-3 py-2">
                {user.provider === "local" ? (
                  roleName("admin")
                ) : (
                  <>
                    <RoleForm user={user} />
                    {user.groupRole && (
                      <div className="mt-1 text-xs text-slate-500">
                        {t("fromGroups", { role: roleName(user.groupRole) })}
                      </div>
                    )}
                  </>
                )}
              </td>
              <td className="max-w-xs px-3 py-2 text-xs text-slate-600 dark:text-slate-400">
                {user.groups.length > 0 ? user.groups.join(", ") : "—"}
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                {user.lastLoginAt
                  ? format.dateTime(new Date(user.lastLoginAt), { dateStyle: "medium", timeStyle: "short" })
                  : t("never")}
              </td>
              <td className="px-3 py-2 tabular-nums">{user.activeSessions}</td>
              <td className="px-3 py-2">
                <div>{user.disabled ? t("deactivated") : t("active")}</div>
                {user.provider !== "local" && user.id !== currentUserId && <ActiveButton user={user} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
