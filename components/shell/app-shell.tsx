import { cookies } from "next/headers";
import Image from "next/image";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { logout } from "@/app/login/actions";
import { RoleProvider } from "@/components/auth/role-context";
import type { Role } from "@/lib/auth/roles";
import { LanguageSwitch } from "./language-switch";
import { NavLinks } from "./nav-links";
import { THEME_COOKIE } from "./theme";
import { ThemeToggle } from "./theme-toggle";
import { Button } from "@/components/ui/button";

export async function AppShell({
  username,
  role,
  children,
}: {
  username: string;
  role: Role;
  children: React.ReactNode;
}) {
  const t = await getTranslations();
  const theme = (await cookies()).get(THEME_COOKIE)?.value === "dark" ? "dark" : "light";
  const items = [
    { href: "/clusters", label: t("nav.clusters") },
    { href: "/gitlab", label: t("nav.gitlab") },
    { href: "/pipelines", label: t("nav.pipelines") },
    { href: "/setup", label: t("nav.setup") },
    { href: "/monitor", label: t("nav.monitor") },
    { href: "/cost", label: t("nav.cost") },
    { href: "/settings", label: t("nav.settings") },
  ];
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 print:hidden">
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-4 px-4 py-2">
          <Link href="/" className="flex items-center gap-2 font-semibold text-orange-600">
            {/* The SVG as it is: next/image would only pass it through. */}
            <Image src="/logo.svg" alt="" width={24} height={24} unoptimized priority />
            {t("app.name")}
          </Link>
          <NavLinks items={items} label={t("nav.main")} />
          <div className="ml-auto flex items-center gap-2">
            <Link
              href="/settings/sessions"
              className="hidden text-sm text-slate-500 hover:underline lg:inline"
              data-testid="signed-in-as"
            >
              {t("header.signedInAs", { username, role: t(`roles.${role}`) })}
            </Link>
            <LanguageSwitch />
            <ThemeToggle initialTheme={theme} />
            <form action={logout}>
              <Button type="submit" variant="ghost">
                {t("header.logout")}
              </Button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-screen-2xl flex-1 px-4 py-6">
        <RoleProvider role={role}>{children}</RoleProvider>
      </main>
    </div>
  );
}
