import { getTranslations } from "next-intl/server";
import { ConnectionList } from "@/components/clusters/connection-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listConnections } from "@/lib/connections/store.server";
import { ButtonLink } from "@/components/ui/button";

export default async function ClustersPage() {
  await requireUser();
  const t = await getTranslations("clusters");
  const connections = await listConnections();
  return (
    <>
      <PageHeader title={t("title")}>
        {connections.length > 0 && (
          <ButtonLink href="/clusters/new" variant="primary">
            {t("add")}
          </ButtonLink>
        )}
      </PageHeader>
      {connections.length === 0 ? (
        <EmptyState title={t("emptyTitle")} body={t("emptyBody")} action={{ href: "/clusters/new", label: t("add") }} />
      ) : (
        <ConnectionList connections={connections} />
      )}
    </>
  );
}
