import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ConnectionForm } from "@/components/clusters/connection-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/authorize.server";

export default async function NewClusterPage() {
  await requireRole("admin");
  const t = await getTranslations("clusters");
  return (
    <>
      <Link href="/clusters" className="text-sm text-slate-500 hover:underline">
        ← {t("back")}
      </Link>
      <PageHeader title={t("addTitle")} />
      <ConnectionForm />
    </>
  );
}
