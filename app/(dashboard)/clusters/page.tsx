import { getTranslations } from "next-intl/server";
import { ConnectionList } from "@/components/clusters/connection-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { listConnections } from "@/lib/connections/store.server";
import { ButtonLink } from "@/components/ui/button";

export default async function ClustersPage() {
  const user = await requireUser();
  const canAdd = hasRole(user.role, "admin");
  const t = await getTranslations("clusters");
  const connections = await listConnections();
  return (
    <>
      <PageHeader title={t("title")}>
        {canAdd && connections.length > 0 && (
          <ButtonLink href="/clusters/new" variant="primary">
            {t("add")}
          </ButtonLink>
        )}
      </PageHeader>
      {connections.length === 0 ? (
        <EmptyState
          title={t("emptyTitle")}
          body={t("emptyBody")}
          action={canAdd ? { href: "/clusters/new", label: t("add") } : undefined}
        />
      ) : (
        <ConnectionList connections={connections} />
      )}
    </>
  );
}
