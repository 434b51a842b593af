import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { GitlabConnectionList } from "@/components/gitlab/gitlab-connection-list";
import { EmptyState } from "@/components/ui/empty-state";
import { primaryButton } from "@/components/ui/form-styles";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listGitlabConnections } from "@/lib/gitlab/store.server";

export default async function GitlabPage() {
  await requireUser();
  const t = await getTranslations("gitlab");
  const connections = await listGitlabConnections();
  return (
    <>
      <PageHeader title={t("title")}>
        {connections.length > 0 && (
          <Link href="/gitlab/new" className={primaryButton}>
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
