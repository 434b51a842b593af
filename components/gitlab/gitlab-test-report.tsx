"use client";

import { useTranslations } from "next-intl";
import type { GitlabTestReport } from "@/lib/gitlab/dto";

/** The "Test" answer: version, token user, scopes, expiry, and what each feature needs. */
export function GitlabTestReportView({ report }: { report: GitlabTestReport }) {
  const t = useTranslations("gitlab.report");
  const token = report.token;
  return (
    <section aria-label={t("title")} className="space-y-3 rounded-md bg-emerald-50 p-4 text-sm dark:bg-emerald-950/40">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500">{t("version")}</dt>
        <dd data-testid="gitlab-version">{report.version ?? t("unknown")}</dd>
        <dt className="text-slate-500">{t("user")}</dt>
        <dd data-testid="gitlab-user">
          {report.user ? `${report.user.username}${report.user.name ? ` (${report.user.name})` : ""}` : t("unknown")}
        </dd>
        <dt className="text-slate-500">{t("kind")}</dt>
        <dd>{token ? t(`kinds.${token.kind}`) : t("unknown")}</dd>
        <dt className="text-slate-500">{t("scopes")}</dt>
        <dd data-testid="gitlab-scopes">{token ? token.scopes.join(", ") || "—" : t("unknown")}</dd>
        <dt className="text-slate-500">{t("expiry")}</dt>
        <dd data-expiry={token?.expiry}>
          {!token
            ? t("unknown")
            : token.expiry === "none"
              ? t("expiryNone")
              : t(`expiry_${token.expiry}`, { date: token.expiresAt ?? "", days: token.daysLeft ?? 0 })}
        </dd>
        <dt className="text-slate-500">{t("latency")}</dt>
        <dd>{t("ms", { ms: report.latencyMs })}</dd>
      </dl>
      {token ? (
        <table className="w-full text-left">
          <caption className="sr-only">{t("features")}</caption>
          <thead>
            <tr className="text-slate-500">
              <th className="py-1 font-normal">{t("feature")}</th>
              <th className="py-1 font-normal">{t("needs")}</th>
              <th className="py-1 font-normal">{t("status")}</th>
            </tr>
          </thead>
          <tbody>
            {token.features.map((feature) => (
              <tr key={feature.feature} data-feature={feature.feature} data-available={feature.available}>
                <td className="py-1">{t(`featureNames.${feature.feature}`)}</td>
                <td className="py-1 font-mono text-xs">{feature.anyOf.join(t("or"))}</td>
                <td className="py-1">{feature.available ? `✓ ${t("available")}` : `✗ ${t("missing")}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("scopesUnknown")}</p>
      )}
    </section>
  );
}
