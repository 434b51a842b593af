import "server-only";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { isJobRecordWriter } from "@/lib/monitor/job-recorder.server";
import { GitlabApiError } from "./problems";
import { nextPollDelayMs, WAKE_MIN_GAP_MS, wokenDueAt } from "./poll-policy";
import { storedClient } from "./service.server";
import { syncGitlabConnection } from "./sync.server";
import { hasFeature } from "./token-report";

/**
 * The GitLab link in the background: per GitLab connection, register webhooks on the projects our
 * runners work for (where the token may), and run the sync pass as often as nextPollDelayMs says.
 * One pass at a time per connection; a failing GitLab only delays its own connection. Only the
 * replica elected as the job-record writer runs passes (`isWriter`): the others stay idle and take
 * over when elected, reading from the stored cursors what they have not seen.
 */
export class GitlabLink {
  private timer: ReturnType<typeof setInterval> | null = null;
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  private wakeTimerAt = 0;
  private readonly due = new Map<string, { at: number; previousMs: number | null }>();
  private readonly lastPass = new Map<string, { startedAt: number; failed: boolean }>();
  /** Wakes per connection, so a wake that arrives during the connection's own pass is not lost. */
  private readonly wakes = new Map<string, number>();
  private running: Promise<void> | null = null;
  private tickAgain = false;

  constructor(
    private readonly log: (line: string) => void = console.warn,
    private readonly isWriter: () => boolean = () => true,
    private readonly wakeGapMs = WAKE_MIN_GAP_MS,
  ) {}

  start(tickMs = 5_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref?.();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.timer = null;
    this.wakeTimer = null;
  }

  /**
   * Asks for a pass soon (a webhook hinted at news, a user ran a pipeline): now, or once the gap after
   * the last pass is over (wokenDueAt). A hint only: a replica that is not the writer runs no passes.
   */
  wake(gitlabConnectionId: string, now = Date.now()): void {
    const slot = this.due.get(gitlabConnectionId);
    const at = wokenDueAt(now, this.lastPass.get(gitlabConnectionId) ?? null, slot?.at ?? null, this.wakeGapMs);
    this.due.set(gitlabConnectionId, { at, previousMs: slot?.previousMs ?? null });
    this.wakes.set(gitlabConnectionId, (this.wakes.get(gitlabConnectionId) ?? 0) + 1);
    this.tickAt(at, now);
  }

  /**
   * A tick at `at` besides the regular ones (only once started). One such timer, the earliest asked
   * for; a later one for another connection waits for the regular tick (at most tickMs).
   */
  private tickAt(at: number, now: number): void {
    if (!this.timer || (this.wakeTimer && this.wakeTimerAt <= at)) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimerAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        void this.tick();
      },
      Math.max(0, at - now),
    );
    this.wakeTimer.unref?.();
  }

  tick(now = Date.now()): Promise<void> {
    if (!this.isWriter()) return Promise.resolve();
    if (this.running) {
      // A wake during a pass: look again as soon as this one is over.
      this.tickAgain = true;
      return this.running;
    }
    this.running = this.runDue(now).finally(() => {
      this.running = null;
      if (!this.tickAgain) return;
      this.tickAgain = false;
      void this.tick();
    });
    return this.running;
  }

  private async runDue(now: number): Promise<void> {
    const connections = await db.gitlabConnection.findMany({ select: { id: true, tokenScopes: true } });
    for (const connection of connections) {
      const slot = this.due.get(connection.id);
      if (slot && slot.at > now) continue;
      const wakesBefore = this.wakes.get(connection.id) ?? 0;
      const startedAt = Date.now();
      let next: { at: number; previousMs: number; failed: boolean };
      try {
        const scopes = connection.tokenScopes?.split(",") ?? [];
        const webhooksLive = await ensureWebhooks(connection.id, hasFeature(scopes, "registerWebhooks"));
        const report = await syncGitlabConnection(connection.id);
        if (report.problem) this.log(`GitLab link: ${connection.id}: ${report.problem}`);
        const unfinishedJobs = await db.gitlabJob.count({
          where: { gitlabConnectionId: connection.id, status: { in: ["pending", "running", "canceling", "created"] } },
        });
        const delay = nextPollDelayMs({
          unfinishedJobs,
          webhooksLive,
          lastProblem: report.problem,
          previousMs: slot?.previousMs ?? null,
        });
        next = { at: now + delay, previousMs: delay, failed: report.problem !== null };
      } catch (error) {
        this.log(`GitLab link: ${connection.id}: ${(error as Error).message}`);
        next = { at: now + 60_000, previousMs: 60_000, failed: true };
      }
      const last = { startedAt, failed: next.failed };
      this.lastPass.set(connection.id, last);
      // Woken while this pass ran: the news may have come after GitLab was asked, so pass again.
      const woken = (this.wakes.get(connection.id) ?? 0) !== wakesBefore;
      const at = woken ? wokenDueAt(Date.now(), last, next.at, this.wakeGapMs) : next.at;
      this.due.set(connection.id, { at, previousMs: next.previousMs });
      if (woken) this.tickAt(at, Date.now());
    }
  }
}

/**
 * Registers a job + pipeline hook on each project our runners ran jobs for, pointing at
 * <ASK_CI_WEBHOOK_URL or ASK_CI_PUBLIC_URL>/api/gitlab/webhook/<connection id> with the connection's
 * secret. Returns true when every such project has a hook. Without either URL GitLab cannot reach
 * us: polling only.
 */
export async function ensureWebhooks(gitlabConnectionId: string, mayRegister: boolean): Promise<boolean> {
  const publicUrl = env().ASK_CI_WEBHOOK_URL ?? env().ASK_CI_PUBLIC_URL;
  const projectIds = (
    await db.gitlabJob.findMany({ where: { gitlabConnectionId }, select: { projectId: true }, distinct: ["projectId"] })
  ).map((p) => p.projectId);
  if (projectIds.length === 0) return false;
  const known = new Map(
    (await db.gitlabProject.findMany({ where: { gitlabConnectionId } })).map((p) => [p.projectId, p]),
  );
  let allLive = true;
  const stored = await storedClient(gitlabConnectionId);
  for (const projectId of projectIds) {
    const project = known.get(projectId);
    if (project?.hookId) continue;
    if (!publicUrl || !mayRegister || !stored.ok) {
      const hookProblem = !publicUrl ? "noPublicUrl" : !mayRegister ? "forbidden" : "connection";
      await db.gitlabProject.upsert({
        where: { gitlabConnectionId_projectId: { gitlabConnectionId, projectId } },
        create: { gitlabConnectionId, projectId, path: String(projectId), hookProblem },
        update: { hookProblem },
      });
      allLive = false;
      continue;
    }
    // A recent failure is not retried on every pass.
    if (project?.hookProblem && project.lastPolledAt && Date.now() - project.lastPolledAt.getTime() < 3_600_000) {
      allLive = false;
      continue;
    }
    const url = `${publicUrl.replace(/\/+$/, "")}/api/gitlab/webhook/${gitlabConnectionId}`;
    let hookId: number | null = null;
    let hookProblem: string | null = null;
    try {
      const { client, webhookSecret } = stored.value;
      const existing = (await client.projectHooks(projectId)).find((hook) => hook.url === url);
      hookId =
        existing?.id ??
        (await client.addProjectHook(projectId, { url, token: webhookSecret, enableSslVerification: true })).id;
    } catch (error) {
      if (!(error instanceof GitlabApiError)) throw error;
      hookProblem = error.problem.code;
    }
    await db.gitlabProject.upsert({
      where: { gitlabConnectionId_projectId: { gitlabConnectionId, projectId } },
      create: { gitlabConnectionId, projectId, path: String(projectId), hookId, hookProblem, lastPolledAt: new Date() },
      update: { hookId, hookProblem, lastPolledAt: new Date() },
    });
    if (hookId === null) allLive = false;
  }
  return allLive;
}

const globalLink = globalThis as unknown as { askCiGitlabLink?: GitlabLink };

/** Starts the process-wide link (idempotent); called from onServerStart, after the job recorder. */
export function startGitlabLink(): GitlabLink {
  if (!globalLink.askCiGitlabLink) {
    globalLink.askCiGitlabLink = new GitlabLink(console.warn, isJobRecordWriter);
    globalLink.askCiGitlabLink.start();
  }
  return globalLink.askCiGitlabLink;
}

export function gitlabLink(): GitlabLink | undefined {
  return globalLink.askCiGitlabLink;
}
