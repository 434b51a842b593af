import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LoginForm } from "@/components/auth/login-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { currentUser } from "@/lib/auth/session.server";

export default async function LoginPage() {
  if (await currentUser()) redirect("/");
  const t = await getTranslations();
  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-start justify-between gap-2">
          <div>
            <h1 className="text-xl font-semibold">{t("login.title")}</h1>
            <p className="mt-1 text-xs text-slate-500">{t("app.tagline")}</p>
          </div>
          <LanguageSwitch />
        </div>
        <LoginForm />
        <p className="mt-6 text-xs text-slate-500">{t("login.hint")}</p>
      </div>
    </div>
  );
}
