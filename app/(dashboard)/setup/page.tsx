import { getTranslations } from "next-intl/server";
import { ProfileList } from "@/components/wizard/profile-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";
import { listConnections } from "@/lib/connections/store.server";
import { listProfiles } from "@/lib/wizard/profiles.server";
import { ButtonLink } from "@/components/ui/button";

export default async function SetupPage() {
  const user = await requireUser();
  const canOperate = hasRole(user.role, "operator");
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
        {canOperate && (
          <ButtonLink href="/setup/new" variant="primary">
            {t("setup.list.newRunner")}
          </ButtonLink>
        )}
      </PageHeader>
      {profiles.length === 0 ? (
        <EmptyState
          title={t("setup.list.noProfilesTitle")}
          body={t("setup.list.noProfilesBody")}
          action={canOperate ? { href: "/setup/new", label: t("setup.list.newRunner") } : undefined}
        />
      ) : (
        <ProfileList profiles={profiles} connections={connections} />
      )}
    </>
  );
}
