import { getFormatter, getTranslations } from "next-intl/server";
import type { ApplyRecordDto } from "@/lib/apply/records.server";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";

/** Who applied what, when, and how it went (ApplyRecord rows of this profile). */
export async function ApplyHistory({ records }: { records: ApplyRecordDto[] }) {
  const t = await getTranslations("setup.history");
  const format = await getFormatter();
  if (records.length === 0) return null;
  return (
    <section className="mt-10">
      <h2 className="mb-3 text-lg font-semibold">{t("title")}</h2>
      <Table>
        <THead>
          <Th>{t("when")}</Th>
          <Th>{t("who")}</Th>
          <Th>{t("action")}</Th>
          <Th>{t("result")}</Th>
          <Th>{t("objects")}</Th>
        </THead>
        <TBody>
          {records.map((r) => (
            <tr key={r.id}>
              <Td>{format.dateTime(new Date(r.startedAt), { dateStyle: "medium", timeStyle: "short" })}</Td>
              <Td>{r.username}</Td>
              <Td>{t(`actions.${r.action}`)}</Td>
              <Td>{t(`results.${r.result}`)}</Td>
              <Td className="text-xs">{r.objects.map((o) => `${o.kind}/${o.name}: ${o.outcome}`).join(", ")}</Td>
            </tr>
          ))}
        </TBody>
      </Table>
    </section>
  );
}
