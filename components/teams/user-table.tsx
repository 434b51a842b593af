"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useTransition } from "react";
import { setUserActiveAction, setUserRoleAction, type UsersFormState } from "@/app/(dashboard)/settings/users/actions";
import { Button } from "@/components/ui/button";
import { compactInputClass } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
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
        className={compactInputClass}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {roleName(role)}
          </option>
        ))}
      </select>
      <Button type="submit" variant="compact" disabled={pending}>
        {t("saveRole")}
      </Button>
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
    <Button
      variant={user.disabled ? "link" : "dangerLink"}
      className="text-sm"
      disabled={pending}
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
    </Button>
  );
}

/** Every account with its role (editable for GitLab users), groups, last sign-in and status. */
export function UserTable({ users, currentUserId }: { users: UserDto[]; currentUserId: string }) {
  const t = useTranslations("teams.users");
  const roleName = useTranslations("roles");
  const format = useFormatter();
  return (
    <Table>
      <THead>
        <Th>{t("user")}</Th>
        <Th>{t("provider")}</Th>
        <Th>{t("role")}</Th>
        <Th>{t("groups")}</Th>
        <Th>{t("lastLogin")}</Th>
        <Th numeric>{t("sessions")}</Th>
        <Th>{t("status")}</Th>
      </THead>
      <TBody>
        {users.map((user) => (
          <tr key={user.id} data-testid={`user-${user.username}`} className="align-top">
            <Td>
              <div className="font-medium">{user.username}</div>
              {user.displayName && <div className="text-xs text-slate-500">{user.displayName}</div>}
              {user.email && <div className="text-xs text-slate-500">{user.email}</div>}
            </Td>
            <Td>{user.provider === "local" ? t("providerLocal") : t("providerGitlab")}</Td>
            <Td>
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
            </Td>
            <Td className="max-w-xs text-xs text-slate-600 dark:text-slate-400">
              {user.groups.length > 0 ? user.groups.join(", ") : "—"}
            </Td>
            <Td className="whitespace-nowrap">
              {user.lastLoginAt
                ? format.dateTime(new Date(user.lastLoginAt), { dateStyle: "medium", timeStyle: "short" })
                : t("never")}
            </Td>
            <Td numeric>{user.activeSessions}</Td>
            <Td>
              <div>{user.disabled ? t("deactivated") : t("active")}</div>
              {user.provider !== "local" && user.id !== currentUserId && <ActiveButton user={user} />}
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
