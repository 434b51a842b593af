import "server-only";
import { readSetting, writeSetting } from "@/lib/app-settings.server";
import { connectionPricingOf } from "@/lib/cost/connection-pricing";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { microsFromDatabase, toMicros } from "@/lib/cost/money";
import { siteCurrency } from "@/lib/cost/prices";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import { db } from "@/lib/db.server";
import type { Pod } from "@/lib/kube/pod";
import { budgetWindow, type BudgetPeriod, type BudgetSpend } from "./budgets";
import { isChannelFormat, type ChannelFormat } from "./formats";
import { runningJobCosts, runningSpendOf, type RunningJobCost } from "./running-spend";
import {
  alertRulesSchema,
  DEFAULT_ALERT_RULES,
  urlHint,
  type AlertRules,
  type BudgetInput,
  type ChannelInput,
} from "./input";

const RULES_KEY = "alerts.rules";

export function loadAlertRules(): Promise<AlertRules> {
  return readSetting(RULES_KEY, alertRulesSchema, DEFAULT_ALERT_RULES);
}

export function saveAlertRules(rules: AlertRules): Promise<void> {
  return writeSetting(RULES_KEY, alertRulesSchema.parse(rules));
}

// ---- budgets

export type SaveBudgetResult = { ok: true; id: string } | { ok: false; error: "noConnection" | "duplicate" };

/** A new budget, in the currency of the connection's price book (the currency its jobs are recorded in). */
export async function createBudget(input: BudgetInput): Promise<SaveBudgetResult> {
  const connection = await db.connection.findFirst({
    where: { id: input.connectionId, archivedAt: null },
    select: { priceSite: true, priceRegion: true, defaultBackend: true },
  });
  if (!connection) return { ok: false, error: "noConnection" };
  try {
    const budget = await db.budget.create({
      data: {
        connectionId: input.connectionId,
        projectPath: input.projectPath,
        period: input.period,
        currency: siteCurrency(connectionPricingOf(connection).site),
        amountMicros: toMicros(input.amount),
      },
    });
    return { ok: true, id: budget.id };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { ok: false, error: "duplicate" };
    throw error;
  }
}

export async function deleteBudget(
  id: string,
): Promise<{ connectionName: string; projectPath: string; period: string } | null> {
  const budget = await db.budget.findUnique({ where: { id }, include: { connection: { select: { name: true } } } });
  if (!budget) return null;
  await db.budget.deleteMany({ where: { id } });
  return { connectionName: budget.connection.name, projectPath: budget.projectPath, period: budget.period };
}

export interface BudgetView extends BudgetSpend {
  connectionId: string;
  fromDay: string;
  toDay: string;
}

/**
 * The cost so far of every running job pod on the connections whose pods are known to be current
 * (`liveJobPods` answers null for the others: their running jobs are not counted, rather than
 * counted from a stale copy). Priced as the live monitor prices them.
 */
export async function liveRunningJobCosts(
  now: Date,
  liveJobPods: (connectionId: string) => Pod[] | null,
): Promise<RunningJobCost[]> {
  const connections = await db.connection.findMany({ where: { archivedAt: null }, select: { id: true } });
  const perConnection = await Promise.all(
    connections.map(async ({ id }) => {
      const pods = liveJobPods(id);
      if (!pods || pods.length === 0) return [];
      const { book, defaultBackend } = await loadConnectionPricing(id);
      const uids = pods.map((pod) => pod.metadata?.uid).filter((uid): uid is string => Boolean(uid));
      const recorded = new Set<string>();
      for (let i = 0; i < uids.length; i += 500) {
        const rows = await db.jobRecord.findMany({
          where: { podUid: { in: uids.slice(i, i + 500) } },
          select: { podUid: true },
        });
        for (const row of rows) recorded.add(row.podUid);
      }
      return runningJobCosts(id, pods, book, now, { defaultBackend, recorded });
    }),
  );
  return perConnection.flat();
}

/**
 * Every budget with what its connection (or project) spent in the current window: the jobs
 * recorded in the budget's currency, plus `running`, the cost so far of the jobs still running.
 */
export async function budgetsWithSpend(now: Date, running: readonly RunningJobCost[] = []): Promise<BudgetView[]> {
  const budgets = await db.budget.findMany({
    where: { connection: { archivedAt: null } },
    include: { connection: { select: { name: true } } },
    orderBy: [{ createdAt: "asc" }],
  });
  return Promise.all(
    budgets.map(async (budget) => {
      const period = budget.period as BudgetPeriod;
      const window = budgetWindow(period, now);
      const sum = await db.jobRecord.aggregate({
        _sum: { costMicros: true },
        where: {
          connectionId: budget.connectionId,
          currency: budget.currency,
          day: { gte: window.fromDay, lte: window.toDay },
          ...(budget.projectPath ? { projectPath: budget.projectPath } : {}),
        },
      });
      const runningSpend = runningSpendOf(budget, running);
      return {
        id: budget.id,
        connectionId: budget.connectionId,
        connectionName: budget.connection.name,
        projectPath: budget.projectPath,
        period,
        currency: budget.currency,
        amountMicros: microsFromDatabase(budget.amountMicros),
        spentMicros: microsFromDatabase(sum._sum.costMicros) + runningSpend.micros,
        runningMicros: runningSpend.micros,
        runningJobs: runningSpend.jobs,
        fromDay: window.fromDay,
        toDay: window.toDay,
      };
    }),
  );
}

// ---- channels

/** What the browser may see of a channel: never the URL's path and query, never the secret. */
export interface ChannelView {
  id: string;
  name: string;
  format: ChannelFormat;
  urlHint: string;
  signed: boolean;
  enabled: boolean;
}

interface ChannelSecrets {
  url: string;
  secret: string | null;
}

export interface ChannelTarget extends ChannelSecrets {
  id: string;
  name: string;
  format: ChannelFormat;
}

export async function createChannel(
  input: ChannelInput,
): Promise<{ ok: true; id: string } | { ok: false; error: "duplicate" }> {
  const secrets: ChannelSecrets = { url: input.url, secret: input.secret || null };
  try {
    const channel = await db.alertChannel.create({
      data: { name: input.name, format: input.format, secrets: encryptJson(secrets), urlHint: urlHint(input.url) },
    });
    return { ok: true, id: channel.id };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { ok: false, error: "duplicate" };
    throw error;
  }
}

export async function listChannels(): Promise<ChannelView[]> {
  const rows = await db.alertChannel.findMany({ orderBy: { name: "asc" } });
  return rows
    .filter((row) => isChannelFormat(row.format))
    .map((row) => ({
      id: row.id,
      name: row.name,
      format: row.format as ChannelFormat,
      urlHint: row.urlHint,
      signed: channelSecrets(row.secrets)?.secret != null,
      enabled: row.enabled,
    }));
}

function channelSecrets(envelope: string): ChannelSecrets | null {
  try {
    return decryptJson<ChannelSecrets>(envelope);
  } catch {
    // Encrypted under another key (restored without its key file): unusable until re-entered.
    return null;
  }
}

/** The channels to deliver to, decrypted (server only); `id` picks one (the "send test" button). */
export async function channelTargets(options: { id?: string; enabledOnly?: boolean } = {}): Promise<ChannelTarget[]> {
  const rows = await db.alertChannel.findMany({
    where: { ...(options.id ? { id: options.id } : {}), ...(options.enabledOnly ? { enabled: true } : {}) },
    orderBy: { name: "asc" },
  });
  const targets: ChannelTarget[] = [];
  for (const row of rows) {
    const secrets = channelSecrets(row.secrets);
    if (secrets && isChannelFormat(row.format))
      targets.push({ id: row.id, name: row.name, format: row.format, ...secrets });
  }
  return targets;
}

export async function setChannelEnabled(id: string, enabled: boolean): Promise<string | null> {
  const channel = await db.alertChannel.findUnique({ where: { id }, select: { name: true } });
  if (!channel) return null;
  await db.alertChannel.updateMany({ where: { id }, data: { enabled } });
  return channel.name;
}

export async function deleteChannel(id: string): Promise<string | null> {
  const channel = await db.alertChannel.findUnique({ where: { id }, select: { name: true } });
  if (!channel) return null;
  await db.alertChannel.deleteMany({ where: { id } });
  return channel.name;
}

// ---- history

export interface DeliveryRecord {
  conditionKey: string;
  kind: string;
  title: string;
  message: string;
  channelId: string | null;
  channelName: string;
  ok: boolean;
  httpStatus: number | null;
  attempts: number;
  error: string | null;
}

export async function recordDelivery(record: DeliveryRecord, at = new Date()): Promise<void> {
  await db.alertDelivery.create({
    data: {
      ...record,
      at,
      title: record.title.slice(0, 300),
      message: record.message.slice(0, 2000),
      error: record.error?.slice(0, 300) ?? null,
    },
  });
}

export interface DeliveryView extends DeliveryRecord {
  id: string;
  at: string;
}

// The history keeps its newest entries; older ones go, so a long-lived install does not grow it forever.
const HISTORY_KEEP = 1_000;

export async function recentDeliveries(limit = 100): Promise<DeliveryView[]> {
  const rows = await db.alertDelivery.findMany({ orderBy: [{ at: "desc" }, { id: "desc" }], take: limit });
  return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
}

export async function pruneDeliveries(): Promise<void> {
  const cutoff = await db.alertDelivery.findMany({
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: HISTORY_KEEP,
    take: 1,
    select: { at: true },
  });
  if (cutoff[0]) await db.alertDelivery.deleteMany({ where: { at: { lt: cutoff[0].at } } });
}

/** The connections a budget can be set on, with the currency their jobs are recorded in. */
export async function budgetConnections(): Promise<Array<{ id: string; name: string; currency: string }>> {
  const rows = await db.connection.findMany({
    where: { archivedAt: null },
    select: { id: true, name: true, priceSite: true, priceRegion: true, defaultBackend: true },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => ({ id: row.id, name: row.name, currency: siteCurrency(connectionPricingOf(row).site) }));
}
