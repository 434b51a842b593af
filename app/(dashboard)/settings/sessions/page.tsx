import { getTranslations } from "next-intl/server";
import { SessionTable } from "@/components/teams/session-table";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listSessions } from "@/lib/auth/sessions.server";

export default async function SessionsPage() {
  const user = await requireUser();
  const t = await getTranslations("teams.sessions");
  const sessions = await listSessions({ userId: user.id }, user.sessionId);
  return (
    <>
      <PageHeader title={t("title")} />
      <p className="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      <SessionTable sessions={sessions} scope="own" />
    </>
  );
}
