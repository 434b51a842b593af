import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { GitlabConnectionList } from "@/components/gitlab/gitlab-connection-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listGitlabConnections } from "@/lib/gitlab/store.server";
import { buttonClass } from "@/components/ui/button";

export default async function GitlabPage() {
  await requireUser();
  const t = await getTranslations("gitlab");
  const connections = await listGitlabConnections();
  return (
    <>
      <PageHeader title={t("title")}>
        {connections.length > 0 && (
          <Link href="/gitlab/new" className={buttonClass("primary")}>
            {t("add")}
          </Link>
        )}
      </PageHeader>
      {connections.length === 0 ? (
        <EmptyState title={t("emptyTitle")} body={t("emptyBody")} action={{ href: "/gitlab/new", label: t("add") }} />
      ) : (
        <GitlabConnectionList connections={connections} />
      )}
    </>
  );
}
