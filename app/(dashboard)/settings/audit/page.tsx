import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { RetentionForm } from "@/components/teams/retention-form";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_RESULTS, isAuditAction } from "@/lib/audit/actions";
import { auditFilterSchema, searchParamsOf, type AuditFilter } from "@/lib/audit/filters";
import { auditFilterChoices, auditRetentionDays, listAuditEvents } from "@/lib/audit/log.server";
import { requireRole } from "@/lib/auth/authorize.server";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const RESULT_CLASS: Record<string, string> = {
  ok: "text-green-700 dark:text-green-400",
  error: "text-red-700 dark:text-red-400",
  denied: "text-amber-700 dark:text-amber-400",
};

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  await requireRole("admin");
  const t = await getTranslations("teams");
  const format = await getFormatter();
  const raw = Object.fromEntries(
    Object.entries(await searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  const parsed = auditFilterSchema.safeParse(raw);
  const filter: AuditFilter = parsed.success ? parsed.data : { page: 1 };
  const [{ events, total, page, pages }, choices, retention] = await Promise.all([
    listAuditEvents(filter),
    auditFilterChoices(),
    auditRetentionDays(),
  ]);
  const actionLabel = (action: string) => (isAuditAction(action) ? t(`actions.${action}`) : action);
  const pageHref = (n: number) => `/settings/audit?${searchParamsOf({ ...filter, page: n })}`;
  const exportHref = `/api/audit/export?${searchParamsOf({ ...filter, page: 1 })}`;

  return (
    <>
      <PageHeader title={t("audit.title")}>
        <a href={exportHref} download className={buttonClass("compact")}>
          {t("audit.export")}
        </a>
      </PageHeader>
      <p className="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("audit.intro")}</p>

      <form method="get" className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label={t("audit.filters")}>
        <Field label={t("audit.user")} name="user">
          <select defaultValue={filter.user ?? ""} className={inputClass}>
            <option value="">{t("audit.any")}</option>
            {choices.users.map((user) => (
              <option key={user} value={user}>
                {user}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("audit.action")} name="action">
          <select defaultValue={filter.action ?? ""} className={inputClass}>
            <option value="">{t("audit.any")}</option>
            {choices.actions.map((action) => (
              <option key={action} value={action}>
                {actionLabel(action)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("audit.result")} name="result">
          <select defaultValue={filter.result ?? ""} className={inputClass}>
            <option value="">{t("audit.any")}</option>
            {AUDIT_RESULTS.map((result) => (
              <option key={result} value={result}>
                {t(`audit.results.${result}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("audit.from")} name="from">
          <input type="date" defaultValue={filter.from ?? ""} className={inputClass} />
        </Field>
        <Field label={t("audit.to")} name="to">
          <input type="date" defaultValue={filter.to ?? ""} className={inputClass} />
        </Field>
        <div className="flex items-end gap-2">
          <Button type="submit">{t("audit.apply")}</Button>
          <Link href="/settings/audit" className="px-2 py-2 text-sm hover:underline">
            {t("audit.clear")}
          </Link>
        </div>
      </form>
      {!parsed.success && (
        <p role="alert" className="mb-3 text-sm text-amber-700 dark:text-amber-400">
          {t("audit.invalidFilter")}
        </p>
      )}

      <p className="mb-2 text-sm text-slate-500" data-testid="audit-count">
        {t("audit.count", { total })}
      </p>
      {events.length === 0 ? (
        <p className="text-sm text-slate-500">{t("audit.none")}</p>
      ) : (
        <Table data-testid="audit-table">
          <THead>
            <Th>{t("audit.when")}</Th>
            <Th>{t("audit.user")}</Th>
            <Th>{t("audit.address")}</Th>
            <Th>{t("audit.action")}</Th>
            <Th>{t("audit.target")}</Th>
            <Th>{t("audit.result")}</Th>
            <Th>{t("audit.message")}</Th>
          </THead>
          <TBody>
            {events.map((event) => (
              <tr key={event.id} className="align-top" data-testid="audit-row">
                <Td className="whitespace-nowrap tabular-nums">
                  {format.dateTime(new Date(event.at), { dateStyle: "medium", timeStyle: "medium" })}
                </Td>
                <Td className="font-medium">{event.actorName}</Td>
                <Td className="font-mono text-xs">{event.address ?? "—"}</Td>
                <Td>{actionLabel(event.action)}</Td>
                <Td>
                  {event.targetName ?? event.targetId ?? "—"}
                  {event.targetType && <span className="ml-1 text-xs text-slate-500">({event.targetType})</span>}
                </Td>
                <Td className={`font-medium ${RESULT_CLASS[event.result] ?? ""}`}>
                  {AUDIT_RESULTS.includes(event.result as (typeof AUDIT_RESULTS)[number])
                    ? t(`audit.results.${event.result as (typeof AUDIT_RESULTS)[number]}`)
                    : event.result}
                </Td>
                <Td className="max-w-md break-words text-xs text-slate-600 dark:text-slate-400">
                  {event.message ?? ""}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {pages > 1 && (
        <nav className="mt-3 flex items-center gap-4 text-sm" aria-label={t("audit.page", { page, pages })}>
          {page > 1 ? (
            <Link href={pageHref(page - 1)} className="hover:underline">
              ← {t("audit.previous")}
            </Link>
          ) : (
            <span className="text-slate-400">← {t("audit.previous")}</span>
          )}
          <span>{t("audit.page", { page, pages })}</span>
          {page < pages ? (
            <Link href={pageHref(page + 1)} className="hover:underline">
              {t("audit.next")} →
            </Link>
          ) : (
            <span className="text-slate-400">{t("audit.next")} →</span>
          )}
        </nav>
      )}

      <Card as="section" aria-labelledby="retention-heading" className="mt-8 space-y-2">
        <h2 id="retention-heading" className="text-lg font-semibold">
          {t("audit.retention")}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("audit.retentionIntro")}</p>
        <RetentionForm days={retention} />
      </Card>
    </>
  );
}
