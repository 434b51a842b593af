import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/cost/money";
import type { PriceBook } from "@/lib/cost/prices";
import { seedExample, SEED_EXAMPLE_QUERY, SEED_EXAMPLE_WITH_RUNNER_QUERY } from "@/lib/cost/seed-example";
import { Card } from "@/components/ui/card";

const linkClass = "font-medium text-orange-700 underline-offset-2 hover:underline dark:text-orange-300";

/** The seed article's worked example, computed with the China site's current price book. */
export async function SeedExampleCard({ book }: { book: PriceBook }) {
  const t = await getTranslations("cost.example");
  const tComparison = await getTranslations("cost.comparison");
  const format = await getFormatter();
  const { without, withRunner, backends } = seedExample(book);
  const others = backends.filter((o) => o.id !== "eci");
  const jobs = (result: typeof without) =>
    result.breakEven.kind === "crossing" ? format.number(result.breakEven.jobsPerDay.floor().toNumber()) : "—";
  return (
    <Card as="aside" className="text-sm print:hidden">
      <h2 className="font-semibold">{t("heading")}</h2>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        {t("claim", { cost: formatMoney(without.costPerJob, book.currency, { decimals: 4 }), n: jobs(without) })}
      </p>
      <p className="mt-2 text-slate-700 dark:text-slate-300" data-testid="seed-backends">
        {t.rich("backends", {
          list: () =>
            others.map((outcome, i) => (
              <span key={outcome.id}>
                {i > 0 && ", "}
                <span data-testid={`seed-break-even-${outcome.id}`}>
                  {t("backendItem", {
                    name: tComparison(`backends.${outcome.id}`, { class: tComparison("classes.general-purpose") }),
                    n: outcome.ok ? jobs(outcome.result) : "—",
                  })}
                </span>
              </span>
            )),
        })}
      </p>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        {t("withRunner", { runner: formatMoney(withRunner.fixedMonthly.runner, book.currency), n: jobs(withRunner) })}
      </p>
      <div className="mt-3 flex flex-wrap gap-4">
        <Link href={`/cost?${SEED_EXAMPLE_QUERY}`} className={linkClass}>
          {t("open")}
        </Link>
        <Link href={`/cost?${SEED_EXAMPLE_WITH_RUNNER_QUERY}`} className={linkClass}>
          {t("openWithRunner")}
        </Link>
      </div>
    </Card>
  );
}
