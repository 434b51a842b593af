import { getTranslations } from "next-intl/server";
import { SettingsTabs } from "@/components/teams/settings-tabs";
import { requireUser } from "@/lib/auth/guard.server";
import { hasRole } from "@/lib/auth/roles";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations("teams.tabs");
  const admin = hasRole(user.role, "admin");
  const items = [
    { href: "/settings", label: t("prices") },
    ...(admin
      ? [
          { href: "/settings/users", label: t("users") },
          { href: "/settings/audit", label: t("audit") },
        ]
      : []),
    { href: "/settings/sessions", label: t("sessions") },
  ];
  return (
    <>
      <SettingsTabs items={items} label={t("label")} />
      {children}
    </>
  );
}
