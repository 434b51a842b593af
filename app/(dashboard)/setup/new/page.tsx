import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { SetupWizard } from "@/components/wizard/setup-wizard";
import { requireRole } from "@/lib/auth/authorize.server";
import { listConnections } from "@/lib/connections/store.server";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import { listGitlabConnections } from "@/lib/gitlab/store.server";

export default async function NewRunnerPage() {
  await requireRole("operator");
  const t = await getTranslations("setup");
  const connections = await listConnections();
  if (connections.length === 0) redirect("/setup");
  const priceBooks = { cn: await loadPriceBook("cn"), intl: await loadPriceBook("intl") };
  const gitlabConnections = (await listGitlabConnections()).map(({ id, name, url }) => ({ id, name, url }));
  return (
    <>
      <PageHeader title={t("newTitle")} />
      <SetupWizard connections={connections} gitlabConnections={gitlabConnections} priceBooks={priceBooks} />
    </>
  );
}
