import { getFormatter, getTranslations } from "next-intl/server";
import { formatMoney, formatUnitPrice } from "@/lib/cost/money";
import { formatSpec } from "@ask-ci/billing/eci/specs";
import { DEFAULT_SPOT_DISCOUNT } from "@/lib/cost/pod-cost";
import { BackendTable } from "./backend-table";
import { BreakEvenChart } from "./break-even-chart";
import { wholeJobsPerDay, type CalculatorModel } from "@/lib/cost/calculator-model";
import { Card } from "@/components/ui/card";

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <Card>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {detail && <div className="mt-1 text-xs text-slate-500">{detail}</div>}
    </Card>
  );
}

export async function CalculatorResult({ model }: { model: CalculatorModel }) {
  const t = await getTranslations("cost.result");
  const tComparison = await getTranslations("cost.comparison");
  const format = await getFormatter();
  const { query, result, book } = model;
  const currency = book.currency;
  const money = (amount: Parameters<typeof formatMoney>[0], decimals?: number) =>
    formatMoney(amount, currency, { decimals });
  const number = (value: number, digits = 2) => format.number(value, { maximumFractionDigits: digits });
  const breakEven = result.breakEven;
  const fixed = result.fixedMonthly.total;

  const sentence = (() => {
    const values = {
      jobs: number(query.jobs),
      eci: money(model.eciMonthly),
      ecs: money(result.ecsMonthly),
      diff: money(model.difference),
    };
    if (breakEven.kind === "eci-never-cheaper")
      return t("sentence.neverCheaper", { fixed: money(fixed), ecs: money(result.ecsMonthly) });
    if (breakEven.kind === "eci-always-cheaper") return t("sentence.alwaysCheaper");
    const n = number(breakEven.jobsPerDay.toNumber());
    if (model.verdict === "same") return t("sentence.same", values);
    if (model.verdict === "eci-cheaper")
      return t("sentence.eciCheaper", { ...values, upTo: number(breakEven.eciCheaperUpTo, 0), n });
    return t("sentence.ecsCheaper", { ...values, n });
  })();

  const eciVcpu = book.prices["eci.vcpu"];
  const eciMemory = book.prices["eci.memory"];
  const acsClassName = tComparison(`classes.${query.acsclass}`);
  // The headline option's line first (its crossing is labelled), then the others in table order.
  const chartLines = model.comparison
    .filter((o) => o.ok)
    .sort((a, b) => Number(b.id === model.headline) - Number(a.id === model.headline))
    .map((o) => ({ id: o.id, name: tComparison(`backends.${o.id}`, { class: acsClassName }) }));
  const vcpuPrice = (query.economy ? book.prices["eci.economy-vcpu"].perSecond : null) ?? eciVcpu.perSecond ?? 0;
  const spot = query.spot !== null || query.spotlimit !== null;

  return (
    <section aria-labelledby="cost-result-heading" className="space-y-4">
      <h2 id="cost-result-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      {/* The form is not printed; the printout still says what was compared. */}
      <p className="hidden text-sm print:block">
        {t("printedInputs", {
          spec: formatSpec({ vcpu: query.vcpu, memoryGiB: query.mem }),
          minutes: number(query.minutes),
          jobs: number(query.jobs),
          ecs: money(result.ecsMonthly),
          days: number(query.days),
          site: query.site,
        })}
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        <Stat
          label={t("eciMonthly", { jobs: number(query.jobs) })}
          value={money(model.eciMonthly)}
          detail={fixed.isZero() ? undefined : t("includesFixed", { fixed: money(fixed) })}
          testId="eci-monthly"
        />
        <Stat label={t("ecsMonthly")} value={money(result.ecsMonthly)} testId="ecs-monthly" />
        <Stat
          label={t("breakEven")}
          value={
            breakEven.kind === "crossing"
              ? t("jobsPerDay", { jobs: number(wholeJobsPerDay(breakEven.jobsPerDay), 0) })
              : breakEven.kind === "eci-never-cheaper"
                ? t("never")
                : t("always")
          }
          detail={
            breakEven.kind === "crossing" ? t("exact", { n: number(breakEven.jobsPerDay.toNumber(), 2) }) : undefined
          }
          testId="break-even"
        />
      </div>

      <p
        className="rounded-xl bg-orange-50 p-4 text-sm leading-relaxed text-orange-950 dark:bg-orange-950/40 dark:text-orange-100"
        data-testid="cost-sentence"
      >
        {sentence}
      </p>

      {model.roundedUp && (
        <p className="text-sm text-amber-700 dark:text-amber-300">
          {t("roundedUp", {
            requested: formatSpec({ vcpu: query.vcpu, memoryGiB: query.mem }),
            billed: formatSpec(result.billedJobSpec),
          })}
        </p>
      )}

      <Card>
        <BreakEvenChart
          series={model.comparisonSeries}
          lines={chartLines}
          ecsName={tComparison("backends.ecs", { class: acsClassName })}
          headlineCrossing={model.series.crossing?.jobsPerDay ?? null}
          currentJobsPerDay={query.jobs}
          currency={currency}
        />
      </Card>

      <BackendTable
        outcomes={model.comparison}
        ecsMonthly={result.ecsMonthly}
        jobsPerDay={query.jobs}
        currency={currency}
        acsClass={query.acsclass}
        spotDiscountPercent={query.spot ?? DEFAULT_SPOT_DISCOUNT * 100}
      />

      <Card className="text-sm">
        <h3 className="font-semibold">{t("formula.heading")}</h3>
        <ul className="mt-2 space-y-1 font-mono text-xs leading-relaxed">
          <li>
            {t("formula.pricePerSecond", {
              vcpu: number(result.billedJobSpec.vcpu),
              vcpuPrice: formatUnitPrice(vcpuPrice, currency),
              mem: number(result.billedJobSpec.memoryGiB),
              memPrice: formatUnitPrice(eciMemory.perSecond ?? 0, currency),
              total: formatUnitPrice(result.jobPricePerSecond, currency),
            })}
            {query.economy && ` ${t("formula.economy")}`}
            {spot && ` ${t("formula.spot")}`}
          </li>
          <li>
            {t("formula.costPerJob", {
              perSecond: formatUnitPrice(result.jobPricePerSecond, currency),
              seconds: number(result.jobSeconds, 0),
              cost: money(result.costPerJob, 4),
            })}
          </li>
          <li>
            {t("formula.fixed", {
              runner: money(result.fixedMonthly.runner),
              nas: money(result.fixedMonthly.nas),
              imageCache: money(result.fixedMonthly.imageCache),
              total: money(fixed),
            })}
          </li>
          <li>
            {t("formula.eciMonthly", {
              days: number(query.days),
              cost: money(result.costPerJob, 4),
              fixed: money(fixed),
            })}
          </li>
          <li>
            {t("formula.breakEven", {
              ecs: money(result.ecsMonthly),
              fixed: money(fixed),
              days: number(query.days),
              cost: money(result.costPerJob, 4),
              n: breakEven.kind === "crossing" ? number(breakEven.jobsPerDay.toNumber(), 2) : "—",
            })}
          </li>
        </ul>
        <p className="mt-3 text-xs text-slate-500">
          {t("prices", {
            vcpuPrice: formatUnitPrice(eciVcpu.perSecond ?? 0, currency),
            memPrice: formatUnitPrice(eciMemory.perSecond ?? 0, currency),
            source: eciVcpu.source ?? "—",
            date: eciVcpu.readOn ?? "—",
          })}
        </p>
      </Card>
    </section>
  );
}
