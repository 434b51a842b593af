import Image from "next/image";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LoginForm } from "@/components/auth/login-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { gitLabOidc } from "@/lib/auth/oidc/sign-in-request.server";
import { isSignInError } from "@/lib/auth/oidc/sign-in-error";
import { currentUser } from "@/lib/auth/session.server";
import { buttonClass } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  if (await currentUser()) redirect("/");
  const t = await getTranslations();
  const { error } = await searchParams;
  const signInError = isSignInError(error) ? error : null;
  const gitlab = gitLabOidc() !== null;
  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-start justify-between gap-2">
          <div className="flex items-start gap-3">
            <Image src="/logo.svg" alt="" width={40} height={40} unoptimized priority />
            <div>
              <h1 className="text-xl font-semibold">{t("login.title")}</h1>
              <p className="mt-1 text-xs text-slate-500">{t("app.tagline")}</p>
            </div>
          </div>
          <LanguageSwitch />
        </div>
        {signInError && (
          <ErrorAlert as="div" className="mb-4">
            <p className="font-medium">{t("login.gitlabError.title")}</p>
            <p>{t(`login.gitlabError.${signInError}`)}</p>
          </ErrorAlert>
        )}
        {gitlab && (
          <>
            {/* A plain link: the route redirects to GitLab, which must not be prefetched. */}
            <a href="/login/gitlab" className={buttonClass("primary", "block w-full text-center")}>
              {t("login.gitlab")}
            </a>
            <p className="my-4 text-center text-xs text-slate-500">{t("login.or")}</p>
          </>
        )}
        <LoginForm />
        <p className="mt-6 text-xs text-slate-500">{gitlab ? t("login.hintGitlab") : t("login.hint")}</p>
      </div>
    </div>
  );
}
