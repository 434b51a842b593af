import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";

export default async function Page() {
  await requireUser();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("setup.title")} />
      <EmptyState title={t("setup.emptyTitle")} body={t("setup.emptyBody")} action={{ href: "/clusters", label: t("common.goToClusters") }} />
    </>
  );
}
