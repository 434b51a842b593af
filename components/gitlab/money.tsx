import { formatMoney, fromMicros, isCurrencyCode } from "@/lib/cost/money";

/** Per-currency totals as "¥1.20 + $0.30", or an em dash for none. */
export function MoneyTotals({ totals }: { totals: Record<string, number> }) {
  const parts = Object.entries(totals).map(([currency, micros]) =>
    isCurrencyCode(currency)
      ? formatMoney(fromMicros(micros), currency, { decimals: 4 })
      : `${micros / 1e6} ${currency}`,
  );
  return <>{parts.length ? parts.join(" + ") : "—"}</>;
}
