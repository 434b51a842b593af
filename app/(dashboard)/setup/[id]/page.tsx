import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { ApplyHistory } from "@/components/wizard/apply-history";
import { SetupWizard } from "@/components/wizard/setup-wizard";
import { RunnerGitlabStatus } from "@/components/gitlab/runner-gitlab-status";
import { listApplyRecords } from "@/lib/apply/records.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { listConnections } from "@/lib/connections/store.server";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import { listGitlabConnections } from "@/lib/gitlab/store.server";
import { getProfile } from "@/lib/wizard/profiles.server";

export default async function RunnerProfilePage({ params }: { params: Promise<{ id: string }> }) {
  await requireRole("operator");
  const { id } = await params;
  const profile = await getProfile(id);
  if (!profile) notFound();
  const t = await getTranslations("setup");
  const [connections, records] = await Promise.all([listConnections(), listApplyRecords(id)]);
  const priceBooks = { cn: await loadPriceBook("cn"), intl: await loadPriceBook("intl") };
  const gitlabConnections = (await listGitlabConnections()).map(({ id, name, url }) => ({ id, name, url }));
  return (
    <>
      <PageHeader title={t("editTitle", { name: profile.name })} />
      <SetupWizard
        profile={profile}
        connections={connections}
        gitlabConnections={gitlabConnections}
        priceBooks={priceBooks}
      />
      <RunnerGitlabStatus profileId={profile.id} />
      <ApplyHistory records={records} />
    </>
  );
}
