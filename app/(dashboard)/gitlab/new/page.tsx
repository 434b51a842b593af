import { getTranslations } from "next-intl/server";
import { GitlabConnectionForm } from "@/components/gitlab/gitlab-connection-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/authorize.server";

export default async function NewGitlabConnectionPage() {
  await requireRole("admin");
  const t = await getTranslations("gitlab");
  return (
    <>
      <PageHeader title={t("form.title")} />
      <GitlabConnectionForm />
    </>
  );
}
