import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ConnectionForm } from "@/components/clusters/connection-form";
import { ConnectionPricingForm } from "@/components/clusters/connection-pricing-form";
import { DeleteConnectionButton } from "@/components/clusters/delete-connection-button";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/authorize.server";
import { getConnection } from "@/lib/connections/store.server";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { idSchema } from "@/lib/validations/connection";

export default async function EditClusterPage({ params }: { params: Promise<{ id: string }> }) {
  await requireRole("admin");
  const id = idSchema.safeParse((await params).id);
  const connection = id.success ? await getConnection(id.data) : null;
  if (!connection) notFound();
  const t = await getTranslations("clusters");
  const { site, region, defaultBackend } = await loadConnectionPricing(connection.id);
  return (
    <>
      <Link href="/clusters" className="text-sm text-slate-500 hover:underline">
        ← {t("back")}
      </Link>
      <PageHeader title={t("editTitle", { name: connection.name })}>
        <DeleteConnectionButton id={connection.id} name={connection.name} redirectTo="/clusters" />
      </PageHeader>
      <ConnectionForm connection={connection} />
      <ConnectionPricingForm id={connection.id} pricing={{ site, region, defaultBackend }} />
    </>
  );
}
