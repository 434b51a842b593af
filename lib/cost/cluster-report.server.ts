import "server-only";
import {
  billedSpecsOf,
  daysOf,
  historyByDayAndProject,
  historyCurrencies,
  historyDurationPercentiles,
  historyMostExpensive,
  historySpecGroups,
  periodDays,
  projectsOf,
  rightSizingOf,
  summaryOf,
  totalsOf,
  type BilledSpecShare,
  type ExpensiveJob,
  type HistoryFilter,
  type HistorySummarySql,
  type RightSizingSummary,
} from "@/lib/job-history/aggregates.server";
import type { DurationPercentiles, GroupTotals } from "@/lib/job-history/aggregates";
import type { CurrencyCode } from "@/lib/cost/money";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import type { PriceBook, Site } from "@/lib/cost/prices";

export interface ClusterCostReport {
  filter: HistoryFilter;
  periodDays: number;
  /** Every currency recorded in the period; the report is in `filter.currency`. */
  currencies: CurrencyCode[];
  book: PriceBook;
  summary: HistorySummarySql;
  byDay: Array<{ day: string } & GroupTotals>;
  byProject: Array<{ projectPath: string | null } & GroupTotals>;
  byDayAndProject: Array<{ day: string; projectPath: string | null } & GroupTotals>;
  percentiles: DurationPercentiles;
  specs: BilledSpecShare[];
  mostExpensive: ExpensiveJob[];
  rightSizing: RightSizingSummary;
}

const SITE_OF_CURRENCY: Record<CurrencyCode, Site> = { CNY: "cn", USD: "intl" };

/**
 * Everything the "From your cluster" view shows for a connection and the last `days` days, in four
 * aggregate queries (day × project, duration histogram, spec groups, top jobs).
 */
export async function loadClusterCostReport(
  connectionId: string,
  days: number,
  options: { currency?: CurrencyCode; now?: Date; topJobs?: number } = {},
): Promise<ClusterCostReport> {
  const period = periodDays(days, options.now);
  const currencies = await historyCurrencies({ connectionId, ...period });
  const currency =
    options.currency && currencies.includes(options.currency) ? options.currency : (currencies[0] ?? "CNY");
  const filter: HistoryFilter = { connectionId, ...period, currency };
  const book = await loadPriceBook(SITE_OF_CURRENCY[currency]);
  const byDayAndProject = await historyByDayAndProject(filter);
  const percentiles = await historyDurationPercentiles(filter);
  const specGroups = await historySpecGroups(filter);
  const mostExpensive = await historyMostExpensive(filter, options.topJobs ?? 10);
  return {
    filter,
    periodDays: days,
    currencies,
    book,
    summary: summaryOf(totalsOf(byDayAndProject), days),
    byDay: daysOf(byDayAndProject),
    byProject: projectsOf(byDayAndProject),
    byDayAndProject,
    percentiles,
    specs: billedSpecsOf(specGroups),
    mostExpensive,
    rightSizing: rightSizingOf(specGroups, book),
  };
}
