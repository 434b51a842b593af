import { getTranslations } from "next-intl/server";
import { buildCalculatorModel } from "@/lib/cost/calculator-model";
import { CalculatorForm } from "@/components/cost/calculator-form";
import { CalculatorResult } from "@/components/cost/calculator-result";
import { CacheStorageCard } from "@/components/cost/cache-storage-card";
import { CostTabs } from "@/components/cost/cost-tabs";
import { costFormSearchParams, costFormValues } from "@/lib/cost/calculator-form-values";
import { ReportActions } from "@/components/cost/report-actions";
import { SeedExampleCard } from "@/components/cost/seed-example-card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listEcsPrices } from "@/lib/cost/ecs-prices.server";
import { CURRENCIES } from "@/lib/cost/money";
import { loadSitePriceBook } from "@/lib/cost/price-book.server";
import { parseCostQuery, type CostQueryField } from "@/lib/cost/validation";

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CostPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const t = await getTranslations("cost");
  const raw = await searchParams;
  const parsed = parseCostQuery(raw);
  const values = costFormValues(raw, parsed);
  // The engine's messages are English; the page names the field's valid range in the user's language.
  const errors: Partial<Record<CostQueryField, string>> = parsed.success
    ? {}
    : Object.fromEntries(Object.keys(parsed.errors).map((field) => [field, t(`errors.${field as CostQueryField}`)]));
  const site = parsed.success ? parsed.data.site : values.site === "intl" ? "intl" : "cn";
  const region = parsed.success ? parsed.data.region : "mainland";
  const book = await loadSitePriceBook(site, region);
  const outcome = parsed.success ? buildCalculatorModel(parsed.data, book) : null;
  const savedEcsPrices = (await listEcsPrices()).map(({ id, name, monthlyPrice, currency }) => ({
    id,
    name,
    monthlyPrice,
    currency,
  }));
  const exportHref = `/api/cost/export?${costFormSearchParams(values)}`;

  return (
    <>
      <PageHeader title={t("title")}>
        <ReportActions
          exportHref={outcome?.ok ? exportHref : null}
          exportLabel={t("exportCsv")}
          printLabel={t("print")}
        />
      </PageHeader>
      <CostTabs active="calculator" />
      <p className="mb-5 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] print:block">
        <div className="space-y-4">
          <CalculatorForm
            values={values}
            errors={errors}
            currencySymbol={CURRENCIES[book.currency].symbol}
            savedEcsPrices={savedEcsPrices}
          />
          <SeedExampleCard
            book={site === "cn" && region === "mainland" ? book : await loadSitePriceBook("cn", "mainland")}
          />
        </div>
        <div>
          {outcome?.ok ? (
            <CalculatorResult model={outcome.model} />
          ) : (
            <section
              className="rounded-xl border border-dashed border-red-300 p-6 text-sm dark:border-red-800"
              role="status"
            >
              <h2 className="font-semibold">{t("invalid.heading")}</h2>
              <p className="mt-2 text-slate-600 dark:text-slate-400">
                {outcome && !outcome.ok ? t(`invalid.${outcome.error}`) : t("invalid.body")}
              </p>
            </section>
          )}
          <CacheStorageCard
            // A new calculator query starts the card again from its jobs and days.
            key={`${book.currency}-${parsed.success ? `${parsed.data.jobs}-${parsed.data.days}` : ""}`}
            currency={book.currency}
            jobsPerDay={parsed.success ? parsed.data.jobs : 100}
            daysPerMonth={parsed.success ? parsed.data.days : 22}
          />
        </div>
      </div>
    </>
  );
}
