import { getTranslations } from "next-intl/server";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { formatUnitPrice } from "@/lib/cost/money";
import { PRICE_KEYS, type PriceBook } from "@/lib/cost/prices";

/** Every unit price of a book with where it comes from and when it was read (or last saved). */
export async function PriceLines({ book }: { book: PriceBook }) {
  const t = await getTranslations("settings.priceBook");
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer font-medium">{t("linesHeading")}</summary>
      <Table framed={false} data-testid={`price-lines-${book.site}`} className="mt-2 text-xs">
        <THead>
          <Th>{t("lines.price")}</Th>
          <Th numeric>{t("lines.perSecond")}</Th>
          <Th>{t("lines.source")}</Th>
          <Th>{t("lines.readOn")}</Th>
        </THead>
        <TBody>
          {PRICE_KEYS.map((key) => {
            const line = book.prices[key];
            return (
              <tr key={key} data-price-key={key}>
                <Td className="font-mono">{key}</Td>
                <Td numeric>
                  {line.perSecond === null ? t("lines.none") : formatUnitPrice(line.perSecond, book.currency)}
                </Td>
                <Td className="break-all">{line.source ?? "—"}</Td>
                <Td className="whitespace-nowrap">{line.readOn ?? "—"}</Td>
              </tr>
            );
          })}
        </TBody>
      </Table>
    </details>
  );
}
