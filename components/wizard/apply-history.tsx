import { getFormatter, getTranslations } from "next-intl/server";
import type { ApplyRecordDto } from "@/lib/apply/records.server";

/** Who applied what, when, and how it went (ApplyRecord rows of this profile). */
export async function ApplyHistory({ records }: { records: ApplyRecordDto[] }) {
  const t = await getTranslations("setup.history");
  const format = await getFormatter();
  if (records.length === 0) return null;
  return (
    <section className="mt-10">
      <h2 className="mb-3 text-lg font-semibold">{t("title")}</h2>
      <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900">
            <tr>
              <th className="px-4 py-2">{t("when")}</th>
              <th className="px-4 py-2">{t("who")}</th>
              <th className="px-4 py-2">{t("action")}</th>
              <th className="px-4 py-2">{t("result")}</th>
              <th className="px-4 py-2">{t("objects")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {records.map((r) => (
              <tr key={r.id}>
                <td className="px-4 py-2">
                  {format.dateTime(new Date(r.startedAt), { dateStyle: "medium", timeStyle: "short" })}
                </td>
                <td className="px-4 py-2">{r.username}</td>
                <td className="px-4 py-2">{t(`actions.${r.action}`)}</td>
                <td className="px-4 py-2">{t(`results.${r.result}`)}</td>
                <td className="px-4 py-2 text-xs">
                  {r.objects.map((o) => `${o.kind}/${o.name}: ${o.outcome}`).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
