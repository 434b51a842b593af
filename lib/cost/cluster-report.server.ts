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
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { loadPriceBook } from "@/lib/cost/price-book.server";
import type { PriceBook, Site } from "@/lib/cost/prices";
import { observedDays, observedSpan, repriceObserved, type ObservedSpan, type Repricing } from "@/lib/cost/observed";
import { db } from "@/lib/db.server";

export interface ClusterCostReport {
  filter: HistoryFilter;
  periodDays: number;
  /** The time the period's jobs were actually observed in (rates per day come from it, not the period). */
  span: ObservedSpan;
  /** What the observed jobs would have cost on each option. */
  repricing: Repricing[];
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
  // The connection's own book when the report is in its currency; the site's book for older records.
  const pricing = await loadConnectionPricing(connectionId);
  const book = pricing.book.currency === currency ? pricing.book : await loadPriceBook(SITE_OF_CURRENCY[currency]);
  const span = observedSpan(period, await firstSeenAt(connectionId), options.now ?? new Date());
  const byDayAndProject = await historyByDayAndProject(filter);
  const percentiles = await historyDurationPercentiles(filter);
  const specGroups = await historySpecGroups(filter);
  const mostExpensive = await historyMostExpensive(filter, options.topJobs ?? 10);
  return {
    filter,
    periodDays: days,
    span,
    repricing: repriceObserved(specGroups, book, span),
    currencies,
    book,
    // Per day over the observed span; below the minimum the view shows no rate, so any day count does.
    summary: summaryOf(totalsOf(byDayAndProject), span.enough ? observedDays(span).toNumber() : days),
    byDay: daysOf(byDayAndProject),
    byProject: projectsOf(byDayAndProject),
    byDayAndProject,
    percentiles,
    specs: billedSpecsOf(specGroups),
    mostExpensive,
    rightSizing: rightSizingOf(specGroups, book),
  };
}

/**
 * When the recorder began seeing this connection's jobs: the creation of the first job pod it
 * recorded (the history holds nothing from before it).
 */
async function firstSeenAt(connectionId: string): Promise<Date | null> {
  const first = await db.jobRecord.findFirst({
    where: { connectionId },
    orderBy: { finishedAt: "asc" },
    select: { createdAt: true },
  });
  return first?.createdAt ?? null;
}
