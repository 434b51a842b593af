import { getTranslations } from "next-intl/server";
import { EcsPrices } from "@/components/settings/ecs-prices";
import { PriceBookForm, RegionOverrideReset } from "@/components/settings/price-book-form";
import { PriceLines } from "@/components/settings/price-lines";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guard.server";
import { listEcsPrices } from "@/lib/cost/ecs-prices.server";
import { formatUnitPrice } from "@/lib/cost/money";
import { DEFAULT_REGION, listPriceBookOverrides, loadPriceBookWithOrigin } from "@/lib/cost/price-book.server";
import { DEFAULT_PRICE_BOOKS, type Site } from "@/lib/cost/prices";
import { Card } from "@/components/ui/card";
import { Chip } from "@/components/ui/chip";

const SITES: Site[] = ["cn", "intl"];

export default async function SettingsPage() {
  await requireUser();
  const t = await getTranslations("settings");
  const books = await Promise.all(SITES.map((site) => loadPriceBookWithOrigin(site)));
  const regionOverrides = (await listPriceBookOverrides()).filter((book) => book.region !== DEFAULT_REGION);
  const ecsPrices = await listEcsPrices();

  return (
    <>
      <PageHeader title={t("title")} />
      <div className="space-y-8">
        <section aria-labelledby="price-books-heading" className="space-y-4">
          <div>
            <h2 id="price-books-heading" className="text-lg font-semibold">
              {t("priceBook.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("priceBook.intro")}</p>
          </div>
          <div className="grid gap-4 xl:grid-cols-2">
            {books.map(({ book, origin }) => {
              const fallback = DEFAULT_PRICE_BOOKS[book.site];
              return (
                <Card as="article" key={book.site} data-testid={`price-book-${book.site}`}>
                  <header className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                    <h3 className="font-semibold">{t(`priceBook.site.${book.site}`)}</h3>
                    <Chip tone={origin === "default" ? "neutral" : "accent"}>
                      {origin === "default"
                        ? t("priceBook.default")
                        : t("priceBook.edited", { date: book.prices["eci.vcpu"].readOn ?? "—" })}
                    </Chip>
                  </header>
                  <p className="mb-3 text-xs text-slate-500">
                    {t("priceBook.defaultSource", {
                      vcpu: formatUnitPrice(fallback.prices["eci.vcpu"].perSecond ?? 0, fallback.currency),
                      memory: formatUnitPrice(fallback.prices["eci.memory"].perSecond ?? 0, fallback.currency),
                      source: fallback.prices["eci.vcpu"].source ?? "—",
                      date: fallback.prices["eci.vcpu"].readOn ?? "—",
                    })}
                  </p>
                  <PriceBookForm book={book} overridden={origin === "database"} />
                  <PriceLines book={book} />
                </Card>
              );
            })}
          </div>
          {regionOverrides.length > 0 && (
            <Card>
              <h3 className="mb-2 font-semibold">{t("priceBook.regionsHeading")}</h3>
              <ul className="space-y-2 text-sm">
                {regionOverrides.map((book) => (
                  <li key={`${book.site}-${book.region}`} className="flex flex-wrap items-center justify-between gap-2">
                    <span>
                      <span className="font-medium">{book.region}</span> ({t(`priceBook.site.${book.site}`)}):{" "}
                      {t("priceBook.regionPrices", {
                        vcpu: formatUnitPrice(book.prices["eci.vcpu"].perSecond ?? 0, book.currency),
                        memory: formatUnitPrice(book.prices["eci.memory"].perSecond ?? 0, book.currency),
                      })}
                    </span>
                    <RegionOverrideReset
                      site={book.site}
                      region={book.region}
                      label={t("priceBook.resetRegion", { region: book.region })}
                    />
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </section>

        <Card as="section" aria-labelledby="ecs-prices-heading" className="space-y-3">
          <div>
            <h2 id="ecs-prices-heading" className="text-lg font-semibold">
              {t("ecs.heading")}
            </h2>
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t("ecs.intro")}</p>
          </div>
          <EcsPrices prices={ecsPrices} />
        </Card>
      </div>
    </>
  );
}
