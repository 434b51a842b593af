"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ConnectionTestReport } from "@/lib/connections/probe.server";
import type { PermissionPurpose, PermissionRow } from "@/lib/connections/permissions";
import { Button } from "@/components/ui/button";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { Card } from "@/components/ui/card";

const SHOWN_NAMESPACES = 20;
const PURPOSES: PermissionPurpose[] = ["wizard", "grant", "monitor"];

export function TestReport({ report }: { report: ConnectionTestReport }) {
  const t = useTranslations("clusters.report");
  const { permissions } = report;
  return (
    <Card as="section" aria-label={t("title")} className="space-y-4" data-testid="test-report">
      <h2 className="flex items-center gap-2 font-semibold">
        <span className="inline-block h-2.5 w-2.5 rounded-full bg-green-500" aria-hidden />
        {t("ok")}
      </h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">{t("server")}</dt>
        <dd className="break-all">{report.server}</dd>
        <dt className="text-slate-500">{t("version")}</dt>
        <dd>{report.serverVersion}</dd>
        <dt className="text-slate-500">{t("latency")}</dt>
        <dd>{t("latencyValue", { ms: report.latencyMs })}</dd>
        <dt className="text-slate-500">{t("tls")}</dt>
        <dd className={report.tlsVerified ? "" : "font-medium text-amber-700 dark:text-amber-400"}>
          {report.tlsVerified ? t("tlsVerified") : t("tlsNotVerified")}
        </dd>
        <dt className="text-slate-500">{t("ca")}</dt>
        <dd className="break-all font-mono text-xs">{report.caFingerprint ?? t("caSystem")}</dd>
        <dt className="text-slate-500">{t("user")}</dt>
        <dd className="break-all">{permissions.username ?? t("userUnknown")}</dd>
        <dt className="text-slate-500">{t("namespaces")}</dt>
        <dd>
          {report.namespaces.visible
            ? `${report.namespaces.names.slice(0, SHOWN_NAMESPACES).join(", ")}${
                report.namespaces.total > SHOWN_NAMESPACES
                  ? ` ${t("namespacesMore", { count: report.namespaces.total - SHOWN_NAMESPACES })}`
                  : ""
              }`
            : t("namespacesHidden")}
        </dd>
      </dl>

      <h3 className="font-semibold">{t("permissionsTitle", { namespace: permissions.namespace })}</h3>
      <ul className="space-y-1 text-sm">
        <Verdict
          ok={permissions.wizardReady}
          text={permissions.wizardReady ? t("wizardReady") : t("wizardMissing")}
          testId="wizard-verdict"
        />
        <Verdict
          ok={permissions.monitorReady}
          text={permissions.monitorReady ? t("monitorReady") : t("monitorMissing")}
          testId="monitor-verdict"
        />
      </ul>
      {permissions.canEscalate && <p className="text-sm text-slate-600 dark:text-slate-400">{t("escalate")}</p>}

      <Table framed={false} data-testid="permission-table">
        <THead>
          <Th>{t("resource")}</Th>
          <Th>{t("scope")}</Th>
          <Th>{t("allowed")}</Th>
          <Th>{t("missing")}</Th>
        </THead>
        {PURPOSES.map((purpose) => (
          <TBody key={purpose}>
            <tr>
              <Th colSpan={4} className="pt-2 text-xs font-semibold text-slate-600 dark:text-slate-400">
                {t(`purpose.${purpose}`)}
              </Th>
            </tr>
            {permissions.rows
              .filter((row) => row.purpose === purpose)
              .map((row) => (
                <PermissionLine key={row.id} row={row} />
              ))}
          </TBody>
        ))}
      </Table>

      {permissions.rbacYaml && <RbacYaml yaml={permissions.rbacYaml} />}
    </Card>
  );
}

function Verdict({ ok, text, testId }: { ok: boolean; text: string; testId: string }) {
  return (
    <li
      className={ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}
      data-testid={testId}
      data-ok={ok}
    >
      {ok ? "✓" : "✗"} {text}
    </li>
  );
}

function PermissionLine({ row }: { row: PermissionRow }) {
  const t = useTranslations("clusters.report");
  const resource = row.group ? `${row.resource}.${row.group}` : row.resource;
  const missing = row.missing.length > 0;
  return (
    <tr data-testid={`permission-${row.purpose}-${row.id}`} data-missing={missing}>
      <Td className="font-mono text-xs">
        {resource}
        {row.optional && (
          <span className="ml-2 rounded bg-slate-100 px-1 font-sans text-[10px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">
            {t("optional")}
          </span>
        )}
      </Td>
      <Td className="text-xs text-slate-500">{row.clusterScoped ? t("clusterWide") : t("namespaced")}</Td>
      <Td className="text-green-700 dark:text-green-400">{row.allowed.length ? row.allowed.join(", ") : t("none")}</Td>
      <Td
        className={`${missing ? (row.optional ? "text-amber-700 dark:text-amber-400" : "text-red-700 dark:text-red-400") : ""}`}
      >
        {missing ? row.missing.join(", ") : t("none")}
        {row.unknown.length > 0 && (
          <span className="ml-2 text-xs text-slate-500">{t("unknownVerbs", { verbs: row.unknown.join(", ") })}</span>
        )}
      </Td>
    </tr>
  );
}

function RbacYaml({ yaml }: { yaml: string }) {
  const t = useTranslations("clusters.report");
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">{t("rbacTitle")}</h3>
        <Button
          onClick={() => {
            void navigator.clipboard?.writeText(yaml).then(() => setCopied(true));
          }}
        >
          {copied ? t("copied") : t("copy")}
        </Button>
      </div>
      <p className="mt-1 text-xs text-slate-500">{t("rbacHint")}</p>
      <pre
        className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-900"
        data-testid="rbac-yaml"
      >
        {yaml}
      </pre>
    </div>
  );
}
