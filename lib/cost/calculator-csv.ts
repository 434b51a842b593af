import { roundMoney } from "@/lib/cost/money";
import { formatSpecCompact } from "@ask-ci/billing/eci/specs";
import type { CalculatorModel } from "./calculator-model";
import { toCsv } from "@/lib/csv";

/**
 * The comparison as CSV: the inputs, the result and the chart's series. Column names are plain
 * English identifiers (a data file, not UI text); amounts are plain decimals in the currency.
 */
export function calculatorCsv(model: CalculatorModel): string {
  const { query, result, book } = model;
  const currency = book.currency;
  const amount = (value: { toFixed: (digits: number) => string }) => value.toFixed(6);
  const breakEven =
    result.breakEven.kind === "crossing" ? result.breakEven.jobsPerDay.toFixed(4) : result.breakEven.kind;
  const pricedIds = model.comparison.filter((o) => o.ok).map((o) => o.id);
  const rows: Array<Array<string | number | null>> = [
    ["field", "value"],
    ["site", query.site],
    ["currency", currency],
    ["job_pod_requested", formatSpecCompact({ vcpu: query.vcpu, memoryGiB: query.mem })],
    ["job_pod_billed", formatSpecCompact(result.billedJobSpec)],
    ["job_minutes", query.minutes],
    ["jobs_per_day", query.jobs],
    ["days_per_month", query.days],
    ["economy", query.economy ? "yes" : "no"],
    ["spot_discount_percent", query.spot],
    ["spot_price_limit_per_hour", query.spotlimit],
    ["runner_pod", query.runner ? formatSpecCompact(query.runner) : "none"],
    ["vcpu_price_per_second", book.prices["eci.vcpu"].perSecond],
    ["memory_gib_price_per_second", book.prices["eci.memory"].perSecond],
    ["price_source", book.prices["eci.vcpu"].source],
    ["job_price_per_second", amount(result.jobPricePerSecond)],
    ["cost_per_job", amount(result.costPerJob)],
    ["runner_monthly", amount(result.fixedMonthly.runner)],
    ["nas_monthly", amount(result.fixedMonthly.nas)],
    ["imagecache_monthly", amount(result.fixedMonthly.imageCache)],
    ["ecs_monthly", amount(result.ecsMonthly)],
    ["eci_monthly_at_jobs_per_day", amount(model.eciMonthly)],
    ["break_even_jobs_per_day", breakEven],
    ["region_group", query.region],
    ["acs_compute_class", query.acsclass],
    [],
    [
      "option",
      "billed_spec",
      `price_per_second_${currency}`,
      `cost_per_job_${currency}`,
      `monthly_at_jobs_per_day_${currency}`,
      "break_even_jobs_per_day",
      "note",
    ],
    ...model.comparison.map((outcome) =>
      outcome.ok
        ? [
            outcome.id,
            formatSpecCompact(outcome.result.billedJobSpec),
            outcome.result.jobPricePerSecond.toFixed(),
            amount(outcome.result.costPerJob),
            amount(outcome.monthly),
            outcome.result.breakEven.kind === "crossing"
              ? outcome.result.breakEven.jobsPerDay.toFixed(4)
              : outcome.result.breakEven.kind,
            "",
          ]
        : [outcome.id, "", "", "", "", "", outcome.message],
    ),
    ["ecs", "", "", "", amount(result.ecsMonthly), "", ""],
    [],
    ["jobs_per_day", ...pricedIds.map((id) => `${id}_monthly_${currency}`), `ecs_monthly_${currency}`],
    ...model.comparisonSeries.points.map((point) => [
      point.jobsPerDay,
      ...pricedIds.map((id) => roundMoney(point[id] ?? 0, 6).toFixed(6)),
      roundMoney(point.ecs, 6).toFixed(6),
    ]),
  ];
  return toCsv(rows);
}
