"use client";

import { useTranslations } from "next-intl";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
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
        <Table framed={false}>
          <caption className="sr-only">{t("features")}</caption>
          <THead className="bg-transparent dark:bg-transparent">
            <Th>{t("feature")}</Th>
            <Th>{t("needs")}</Th>
            <Th>{t("status")}</Th>
          </THead>
          <TBody>
            {token.features.map((feature) => (
              <tr key={feature.feature} data-feature={feature.feature} data-available={feature.available}>
                <Td>{t(`featureNames.${feature.feature}`)}</Td>
                <Td className="font-mono text-xs">{feature.anyOf.join(t("or"))}</Td>
                <Td>{feature.available ? `✓ ${t("available")}` : `✗ ${t("missing")}`}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      ) : (
        <p>{t("scopesUnknown")}</p>
      )}
    </section>
  );
}
