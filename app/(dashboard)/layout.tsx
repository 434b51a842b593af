import { getTranslations } from "next-intl/server";
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/guard.server";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  let user;
  try {
    user = await requireUser();
  } catch (error) {
    // Database down (every page needs the session): say so, rather than a generic crash page.
    if (isDatabaseUnavailable(error)) return <DatabaseUnavailable />;
    throw error;
  }
  return (
    <AppShell username={user.username} role={user.role}>
      {children}
    </AppShell>
  );
}

async function DatabaseUnavailable() {
  const t = await getTranslations("common");
  return (
    <div role="alert" className="mx-auto mt-24 max-w-md text-center">
      <h1 className="text-lg font-semibold">{t("databaseUnavailableTitle")}</h1>
      <p className="mt-2">{t("databaseUnavailable")}</p>
    </div>
  );
}
