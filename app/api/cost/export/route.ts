import { NextResponse } from "next/server";
import { calculatorCsv } from "@/lib/cost/calculator-csv";
import { buildCalculatorModel } from "@/lib/cost/calculator-model";
import { authenticateRequest } from "@/lib/auth/guard.server";
import { loadSitePriceBook } from "@/lib/cost/price-book.server";
import { parseCostQuery } from "@/lib/cost/validation";
import { requestLocale } from "@/lib/i18n/locales";

/** GET /api/cost/export?<the /cost page's query>: the comparison as a CSV download. */
export async function GET(request: Request) {
  const auth = await authenticateRequest(request);
  if (auth.error) return auth.error;
  const parsed = parseCostQuery(new URL(request.url).searchParams, requestLocale(request));
  if (!parsed.success)
    return NextResponse.json({ error: "Invalid cost inputs", fields: parsed.errors }, { status: 422 });
  const outcome = buildCalculatorModel(parsed.data, await loadSitePriceBook(parsed.data.site, parsed.data.region));
  if (!outcome.ok) return NextResponse.json({ error: outcome.message }, { status: 422 });
  return new NextResponse(calculatorCsv(outcome.model), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="ask-ci-cost-comparison.csv"',
      "cache-control": "no-store",
    },
  });
}
