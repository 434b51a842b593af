import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ProfileList } from "@/components/wizard/profile-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listConnections } from "@/lib/connections/store.server";
import { listProfiles } from "@/lib/wizard/profiles.server";

export default async function SetupPage() {
  await requireUser();
  const t = await getTranslations();
  const [connections, profiles] = await Promise.all([listConnections(), listProfiles()]);
  if (connections.length === 0) {
    return (
      <>
        <PageHeader title={t("setup.title")} />
        <EmptyState
          title={t("setup.emptyTitle")}
          body={t("setup.emptyBody")}
          action={{ href: "/clusters", label: t("common.goToClusters") }}
        />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("setup.title")}>
        <Link
          href="/setup/new"
          className="rounded-md bg-orange-600 px-4 py-2 text-sm font-medium text-white hover:bg-orange-700"
        >
          {t("setup.list.newRunner")}
        </Link>
      </PageHeader>
      {profiles.length === 0 ? (
        <EmptyState
          title={t("setup.list.noProfilesTitle")}
          body={t("setup.list.noProfilesBody")}
          action={{ href: "/setup/new", label: t("setup.list.newRunner") }}
        />
      ) : (
        <ProfileList profiles={profiles} connections={connections} />
      )}
    </>
  );
}
