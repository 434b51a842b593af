import { formatMoney, fromMicros, isCurrencyCode } from "@/lib/cost/money";
import { budgetScope, type AlertCondition } from "./conditions";

export const BUDGET_PERIODS = ["day", "month"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** The UTC day or calendar month a budget is counted over, as of `now`. */
export interface BudgetWindow {
  /** First and last UTC day (YYYY-MM-DD), both included: JobRecord.day's range. */
  fromDay: string;
  toDay: string;
  /** "2026-12-06" for a day, "2026-12" for a month: part of the alert key, so a new period is a new alert. */
  label: string;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function budgetWindow(period: BudgetPeriod, now: Date): BudgetWindow {
  const today = isoDay(now);
  if (period === "day") return { fromDay: today, toDay: today, label: today };
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { fromDay: isoDay(first), toDay: isoDay(last), label: today.slice(0, 7) };
}

/** A budget with what has been spent in its current window. Money in micro-units of `currency`. */
export interface BudgetSpend {
  id: string;
  connectionName: string;
  /** "" for the whole connection. */
  projectPath: string;
  period: BudgetPeriod;
  currency: string;
  amountMicros: number;
  /** Recorded jobs of the window plus the running ones' cost so far (runningMicros). */
  spentMicros: number;
  /** The part of spentMicros from jobs still running, and how many they are. */
  runningMicros: number;
  runningJobs: number;
}

export interface BudgetStatus {
  /** spent ÷ amount (0.5 = half used); Infinity never happens, amounts are positive. */
  ratio: number;
  /** Spent has reached the amount. */
  crossed: boolean;
  remainingMicros: number;
}

export function budgetStatus(amountMicros: number, spentMicros: number): BudgetStatus {
  return {
    ratio: amountMicros > 0 ? spentMicros / amountMicros : 0,
    crossed: amountMicros > 0 && spentMicros >= amountMicros,
    remainingMicros: Math.max(0, amountMicros - spentMicros),
  };
}

function money(micros: number, currency: string): string {
  return isCurrencyCode(currency)
    ? formatMoney(fromMicros(micros), currency)
    : `${fromMicros(micros).toFixed(2)} ${currency}`;
}

export function budgetName(budget: Pick<BudgetSpend, "connectionName" | "projectPath" | "period">): string {
  const what = budget.projectPath ? `${budget.connectionName} / ${budget.projectPath}` : budget.connectionName;
  return `${what}, ${budget.period === "day" ? "daily" : "monthly"}`;
}

/**
 * One condition per budget whose spend reached its amount in the current window. The window's
 * label is in the key: the same budget crossed again next day (or month) is a new alert, and the
 * old period's condition clears when its key is no longer produced.
 */
export function budgetConditions(budgets: readonly BudgetSpend[], now: Date): AlertCondition[] {
  return budgets
    .filter((budget) => budgetStatus(budget.amountMicros, budget.spentMicros).crossed)
    .map((budget) => {
      const window = budgetWindow(budget.period, now);
      const percent = Math.floor((budget.spentMicros / budget.amountMicros) * 100);
      return {
        key: `budget:${budget.id}:${window.label}`,
        scope: budgetScope(),
        kind: "budget" as const,
        title: `Budget crossed: ${budgetName(budget)}`,
        message: [
          `Spent ${money(budget.spentMicros, budget.currency)} of ${money(budget.amountMicros, budget.currency)} (${percent} %) in ${window.label} (UTC).`,
          ...(budget.runningJobs > 0
            ? [
                `Includes ${money(budget.runningMicros, budget.currency)} so far of ${budget.runningJobs} job${budget.runningJobs === 1 ? "" : "s"} still running.`,
              ]
            : []),
          budget.projectPath ? `Project: ${budget.projectPath}` : "All projects of the cluster.",
        ].join("\n"),
        connectionName: budget.connectionName,
      };
    });
}
