import "server-only";
import { AppsV1Api } from "@kubernetes/client-node";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { loadConnectionPricing } from "@/lib/cost/connection-pricing.server";
import { formatMoney } from "@/lib/cost/money";
import { costSoFar } from "@/lib/cost/pod-cost";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { podsWithoutJobs, type LivePod, type OrphanJobInput } from "@/lib/gitlab/orphans";
import { podCreatedAt, podJobInfo, podPhase, podWaitingReason, type Pod } from "@/lib/kube/pod";
import { onShutdown } from "@/lib/lifecycle";
import { isJobRecordWriter, liveJobPodsOf } from "@/lib/monitor/job-recorder.server";
import { toApiJson } from "@/lib/monitor/kube-source.server";
import { isRunnerDeployment } from "@/lib/monitor/runner-info";
import { log } from "@/lib/observability/log";
import { budgetConditions } from "./budgets";
import { budgetScope, podScope, runnerScope, type AlertCondition } from "./conditions";
import { planAlerts } from "./dedupe";
import { DEFAULT_DELIVERY, postWebhook, type DeliveryOptions, type DeliveryResult } from "./deliver.server";
import { webhookRequest, type AlertMessage } from "./formats";
import type { AlertRules } from "./input";
import { runnerDownConditions, runnerStateOf } from "./runners-down";
import { stuckPodConditions, type LiveJobPod } from "./stuck-pods";
import {
  budgetsWithSpend,
  channelTargets,
  liveRunningJobCosts,
  loadAlertRules,
  pruneDeliveries,
  recordDelivery,
  type ChannelTarget,
} from "./store.server";

interface Collected {
  conditions: AlertCondition[];
  /** Scopes evaluated this round: only their conditions may clear. */
  scopes: Set<string>;
}

// A cluster that does not answer must not hold up the round (the other clusters, the budgets).
const CLUSTER_TIMEOUT_MS = 10_000;
// At most this many new alerts per round; the rest fire next round (their state is not written yet).
const MAX_FIRED_PER_ROUND = 50;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Pods whose GitLab job has ended while they still run: the same rule the monitor shows. */
async function orphanedJobs(connectionId: string, pods: Pod[], now: Date): Promise<Map<string, OrphanJobInput>> {
  const live: LivePod[] = [];
  for (const pod of pods) {
    const jobId = Number(podJobInfo(pod).jobId);
    const phase = podPhase(pod);
    if (!Number.isSafeInteger(jobId) || jobId <= 0) continue;
    live.push({
      uid: pod.metadata?.uid ?? "",
      namespace: pod.metadata?.namespace ?? "",
      name: pod.metadata?.name ?? "",
      connectionId,
      jobId,
      alive: (phase === "Pending" || phase === "Running") && !pod.metadata?.deletionTimestamp,
      createdAt: null,
    });
  }
  if (live.length === 0) return new Map();
  const rows = await db.gitlabJob.findMany({
    where: { jobId: { in: live.map((pod) => pod.jobId) } },
    select: { jobId: true, status: true, runnerId: true, startedAt: true, finishedAt: true },
  });
  // The same job id on two GitLab instances says nothing about this pod: skip ambiguous ids.
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.jobId, (counts.get(row.jobId) ?? 0) + 1);
  const jobs = new Map(rows.filter((row) => counts.get(row.jobId) === 1).map((row) => [row.jobId, row]));
  const orphans = new Map<string, OrphanJobInput>();
  for (const orphan of podsWithoutJobs(live, jobs, now)) orphans.set(orphan.pod.uid, jobs.get(orphan.jobId)!);
  return orphans;
}

async function stuckPodsOf(connection: { id: string; name: string }, pods: Pod[], rules: AlertRules, now: Date) {
  const { book, defaultBackend } = await loadConnectionPricing(connection.id);
  const orphans = await orphanedJobs(connection.id, pods, now);
  const live: LiveJobPod[] = pods.map((pod) => {
    const uid = pod.metadata?.uid ?? "";
    const orphan = orphans.get(uid);
    return {
      uid,
      namespace: pod.metadata?.namespace ?? "",
      name: pod.metadata?.name ?? "",
      phase: podPhase(pod),
      reason: podWaitingReason(pod),
      createdAt: podCreatedAt(pod),
      costSoFar: formatMoney(costSoFar(pod, now, book, { defaultBackend }).cost, book.currency),
      orphanedJob: orphan ? { jobId: orphan.jobId, status: orphan.status } : null,
    };
  });
  return stuckPodConditions(connection, live, now.getTime(), rules.stuckMinutes * 60_000);
}

async function runnersDownOf(connection: { id: string; name: string }, rules: AlertRules, now: Date) {
  const apps = (await kubeConfigForConnection(connection.id)).makeApiClient(AppsV1Api);
  const list = await withTimeout(apps.listDeploymentForAllNamespaces(), CLUSTER_TIMEOUT_MS);
  const runners = toApiJson<IDeployment[]>(list.items).filter(isRunnerDeployment).map(runnerStateOf);
  return runnerDownConditions(connection, runners, now.getTime(), rules.runnerDownMinutes * 60_000);
}

/** Where an evaluation reads what is running now. */
export interface AlertSources {
  /**
   * The job pods of a connection that have not ended, or null when they are not known to be
   * current (JobRecorder.liveJobPods: the watch is still listing after a restart, or reconnecting).
   */
  liveJobPods: (connectionId: string) => Pod[] | null;
}

const RECORDER_SOURCES: AlertSources = { liveJobPods: liveJobPodsOf };

/** Every condition true now, by the rules; a disabled rule counts as evaluated with nothing found. */
async function collectConditions(rules: AlertRules, now: Date, sources: AlertSources): Promise<Collected> {
  const conditions: AlertCondition[] = [];
  const scopes = new Set<string>([budgetScope()]);
  if (rules.budgets) {
    const running = await liveRunningJobCosts(now, sources.liveJobPods);
    conditions.push(...budgetConditions(await budgetsWithSpend(now, running), now));
  }
  const connections = await db.connection.findMany({ where: { archivedAt: null }, select: { id: true, name: true } });
  await Promise.all(
    connections.map(async (connection) => {
      if (!rules.stuckPods) {
        scopes.add(podScope(connection.id));
      } else {
        // Pods as a stale watch last saw them may have ended long ago (the dashboard was down, the
        // cluster away): not evaluated then, so their alerts neither fire nor clear this round.
        const pods = sources.liveJobPods(connection.id);
        if (pods) {
          conditions.push(...(await stuckPodsOf(connection, pods, rules, now)));
          scopes.add(podScope(connection.id));
        }
      }
      if (!rules.runnersDown) {
        scopes.add(runnerScope(connection.id));
        return;
      }
      try {
        conditions.push(...(await runnersDownOf(connection, rules, now)));
        scopes.add(runnerScope(connection.id));
      } catch (error) {
        // Not evaluated: its runner alerts neither fire nor clear this round.
        log().warn(`alerts: runners of ${connection.name} not read: ${(error as Error).message}`);
      }
    }),
  );
  return { conditions, scopes };
}

function dashboardUrl(): string | undefined {
  return env().ASK_CI_PUBLIC_URL;
}

/** Sends one message to each channel and records each attempt in the history (or that there was no channel). */
export async function deliverAlert(
  message: AlertMessage,
  channels: readonly ChannelTarget[],
  options: DeliveryOptions = DEFAULT_DELIVERY,
): Promise<DeliveryResult[]> {
  const base = { conditionKey: message.key, kind: message.kind, title: message.title, message: message.message };
  if (channels.length === 0) {
    await recordDelivery({
      ...base,
      channelId: null,
      channelName: "",
      ok: false,
      httpStatus: null,
      attempts: 0,
      error: "no channel enabled",
    });
    return [];
  }
  return Promise.all(
    channels.map(async (channel) => {
      const request = webhookRequest(channel.format, channel, message, Date.now());
      const result = await postWebhook(channel.format, request, options);
      await recordDelivery({
        ...base,
        channelId: channel.id,
        channelName: channel.name,
        ok: result.ok,
        httpStatus: result.httpStatus,
        attempts: result.attempts,
        error: result.error ?? null,
      });
      return result;
    }),
  );
}

export interface EvaluationResult {
  fired: string[];
  cleared: string[];
}

/**
 * One round: compute the conditions, send each new one once to every enabled channel, forget the
 * ones that cleared. The AlertState row is written before sending: if two replicas ever overlap
 * (a leadership hand-over), the unique key lets one of them send, and a crash mid-send loses an
 * alert rather than repeating it.
 */
export async function evaluateAlerts(
  now = new Date(),
  options: DeliveryOptions = DEFAULT_DELIVERY,
  sources: AlertSources = RECORDER_SOURCES,
): Promise<EvaluationResult> {
  const rules = await loadAlertRules();
  const { conditions, scopes } = await collectConditions(rules, now, sources);
  const active = await db.alertState.findMany({ select: { key: true, scope: true } });
  const plan = planAlerts(active, conditions, scopes);
  if (plan.clear.length > 0) await db.alertState.deleteMany({ where: { key: { in: plan.clear } } });
  if (plan.ongoing.length > 0)
    await db.alertState.updateMany({
      where: { key: { in: plan.ongoing.map((c) => c.key) } },
      data: { lastSeenAt: now },
    });
  const fired: string[] = [];
  const channels = plan.fire.length > 0 ? await channelTargets({ enabledOnly: true }) : [];
  for (const condition of plan.fire.slice(0, MAX_FIRED_PER_ROUND)) {
    try {
      await db.alertState.create({
        data: {
          key: condition.key,
          scope: condition.scope,
          kind: condition.kind,
          title: condition.title.slice(0, 300),
          firedAt: now,
          lastSeenAt: now,
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") continue;
      throw error;
    }
    fired.push(condition.key);
    await deliverAlert({ ...condition, at: now, dashboardUrl: dashboardUrl() }, channels, options);
  }
  if (fired.length > 0) await pruneDeliveries();
  return { fired, cleared: plan.clear };
}

/** The "send test" button: one test message to one channel, recorded in the history like any alert. */
export async function sendTestAlert(channelId: string, actor: string): Promise<DeliveryResult | null> {
  const [channel] = await channelTargets({ id: channelId });
  if (!channel) return null;
  const at = new Date();
  const [result] = await deliverAlert(
    {
      key: `test:${channel.id}:${at.getTime()}`,
      kind: "test",
      title: `Test alert from ask-ci (sent by ${actor})`,
      message: `If you read this in "${channel.name}", alerts reach you here.`,
      at,
      dashboardUrl: dashboardUrl(),
    },
    [channel],
    { ...DEFAULT_DELIVERY, attempts: 1 },
  );
  return result;
}

const globalAlerts = globalThis as unknown as { askCiAlertTimer?: ReturnType<typeof setInterval> };

/**
 * Evaluates every ASK_CI_ALERT_INTERVAL_SECONDS on the elected writer replica only (the one that
 * records jobs): replicas never send the same alert twice, and de-duplication state lives in the
 * database, so a new leader carries on where the old one stopped.
 */
export function startAlertEvaluator(): void {
  if (globalAlerts.askCiAlertTimer) return;
  let running = false;
  const tick = async () => {
    if (running || !isJobRecordWriter()) return;
    running = true;
    try {
      const result = await evaluateAlerts();
      if (result.fired.length > 0) log().info(`alerts: sent ${result.fired.length} new alert(s)`);
    } catch (error) {
      log().warn(`alerts: evaluation failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), env().ASK_CI_ALERT_INTERVAL_SECONDS * 1000);
  timer.unref?.();
  globalAlerts.askCiAlertTimer = timer;
  onShutdown({ name: "alert evaluation", run: async () => clearInterval(timer) });
}
