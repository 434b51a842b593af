import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ConnectionList } from "@/components/clusters/connection-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listConnections } from "@/lib/connections/store.server";

export default async function ClustersPage() {
  await requireUser();
  const t = await getTranslations("clusters");
  const connections = await listConnections();
  return (
    <>
      <PageHeader title={t("title")}>
        {connections.length > 0 && (
          <Link
            href="/clusters/new"
            className="rounded-md bg-orange-600 px-4 py-2 text-sm font-medium text-white hover:bg-orange-700"
          >
            {t("add")}
          </Link>
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
