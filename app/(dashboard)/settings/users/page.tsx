import { getTranslations } from "next-intl/server";
import { RoleMappings } from "@/components/teams/role-mappings";
import { SessionTable } from "@/components/teams/session-table";
import { UserTable } from "@/components/teams/user-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/authorize.server";
import { listSessions } from "@/lib/auth/sessions.server";
import { listRoleMappings, listUsers } from "@/lib/auth/users.server";
import { ROLES } from "@/lib/auth/roles";

export default async function UsersPage() {
  const admin = await requireRole("admin");
  const t = await getTranslations("teams");
  const roleName = await getTranslations("roles");
  const [users, mappings, sessions] = await Promise.all([
    listUsers(),
    listRoleMappings(),
    listSessions({}, admin.sessionId),
  ]);
  return (
    <>
      <PageHeader title={t("users.title")} />
      <div className="space-y-8">
        <section className="space-y-3">
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("users.intro")}</p>
          <ul className="text-xs text-slate-500">
            {ROLES.map((role) => (
              <li key={role}>
                <span className="font-medium">{roleName(role)}</span>: {t(`roles.${role}Help`)}
              </li>
            ))}
          </ul>
          <UserTable users={users} currentUserId={admin.id} />
        </section>
        <Card as="section" aria-labelledby="mappings-heading" className="space-y-3">
          <h2 id="mappings-heading" className="text-lg font-semibold">
            {t("mappings.title")}
          </h2>
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("mappings.intro")}</p>
          <RoleMappings mappings={mappings} />
        </Card>
        <section aria-labelledby="sessions-heading" className="space-y-3">
          <h2 id="sessions-heading" className="text-lg font-semibold">
            {t("users.allSessions")}
          </h2>
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("users.allSessionsIntro")}</p>
          <SessionTable sessions={sessions} scope="all" />
        </section>
      </div>
    </>
  );
}
