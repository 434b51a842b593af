import "server-only";
import { db } from "@/lib/db.server";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import { ACTIVE_STATUSES } from "./job-status";
import { MONITOR_GITLAB_PAGE, chunks, type ActiveJobsCursor, type MonitorGitlabPage } from "./monitor-facts-pages";
import type { MonitorGitlabJob, MonitorGitlabRunner } from "./monitor-orphans";
import { runnerStatusForProfile } from "./runners.server";

/** One status answer per runner profile is reused this long: many viewers, one question to GitLab. */
const STATUS_TTL_MS = 30_000;

type Status = Pick<MonitorGitlabRunner, "status" | "problem">;
const cache = globalThis as unknown as { askCiRunnerStatusCache?: Map<string, { at: number; value: Promise<Status> }> };
const statusCache = (cache.askCiRunnerStatusCache ??= new Map());

async function fetchStatus(profileId: string): Promise<Status> {
  const answer = await runnerStatusForProfile(profileId);
  if (answer === null) return { status: null, problem: null };
  if (!answer.ok) return { status: null, problem: answer.problem };
  const { online, paused, contactedAt, version } = answer.value;
  return { status: { online, paused, contactedAt, version }, problem: null };
}

function cachedStatus(profileId: string, now: number): Promise<Status> {
  const hit = statusCache.get(profileId);
  if (hit && now - hit.at < STATUS_TTL_MS) return hit.value;
  const value = fetchStatus(profileId);
  statusCache.set(profileId, { at: now, value });
  // A failure (the database, not GitLab: GitLab's refusals are answers) is not kept.
  value.catch(() => statusCache.delete(profileId));
  return value;
}

function namespaceOf(settings: string): { namespace: string; instanceName: string | null } {
  try {
    const parsed = JSON.parse(settings) as { cluster?: { namespace?: string; instanceName?: string } };
    return {
      namespace: parsed.cluster?.namespace ?? "gitlab-runner",
      instanceName: parsed.cluster?.instanceName ?? null,
    };
  } catch {
    return { namespace: "gitlab-runner", instanceName: null };
  }
}

const JOB_SELECT = {
  gitlabConnectionId: true,
  jobId: true,
  status: true,
  runnerId: true,
  name: true,
  projectPath: true,
  pipelineId: true,
  webUrl: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** Which page of jobs a request asks for: the jobs of these pods, or a page of the active jobs. */
export type MonitorGitlabAsk = { jobIds: readonly number[] } | { activeAfter: ActiveJobsCursor | null };

/**
 * One page of what the monitor shows from GitLab for one cluster and namespace: the runner profiles
 * linked to a runner in GitLab with GitLab's status of it, and either the stored jobs of the live pods
 * asked about (`jobIds`, at most MONITOR_GITLAB_PAGE of them) or the next page of the jobs running on
 * these runners (keyset on jobId, then connection id). The browser asks page by page
 * (collectMonitorGitlabFacts), so every request and every answer stays bounded at any pod count.
 */
export async function monitorGitlabFacts(
  connectionId: string,
  namespace: string,
  ask: MonitorGitlabAsk,
  now = Date.now(),
): Promise<MonitorGitlabPage> {
  const profiles = (
    await db.runnerProfile.findMany({
      where: { connectionId, gitlabConnectionId: { not: null }, gitlabRunnerId: { not: null } },
      select: { id: true, name: true, settings: true, gitlabConnectionId: true, gitlabRunnerId: true },
      orderBy: { name: "asc" },
    })
  )
    .map((profile) => ({ ...profile, ...namespaceOf(profile.settings) }))
    .filter((profile) => namespace === ALL_NAMESPACES || profile.namespace === namespace);
  if (profiles.length === 0) return { runners: [], instances: [], jobs: [], nextActive: null };

  const runners: MonitorGitlabRunner[] = await Promise.all(
    profiles.map(async (profile) => ({
      profileId: profile.id,
      profileName: profile.name,
      instanceName: profile.instanceName ?? profile.name,
      namespace: profile.namespace,
      gitlabConnectionId: profile.gitlabConnectionId!,
      runnerId: profile.gitlabRunnerId!,
      ...(await cachedStatus(profile.id, now)),
    })),
  );
  const connectionIds = [...new Set(runners.map((r) => r.gitlabConnectionId))];
  const instances = await db.gitlabConnection.findMany({
    where: { id: { in: connectionIds } },
    select: { id: true, url: true },
  });
  const { rows, nextActive } =
    "jobIds" in ask
      ? { rows: await jobsByIds(connectionIds, ask.jobIds), nextActive: null }
      : await activeJobsPage(
          connectionIds,
          runners.map((r) => r.runnerId),
          ask.activeAfter,
        );
  const jobs: MonitorGitlabJob[] = rows.map((row) => ({
    ...row,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }));
  return { runners, instances, jobs, nextActive };
}

// Prisma's SQLite provider allows 999 bound values per statement (P2029 beyond): ids go in slices.
const IDS_PER_QUERY = 500;

/** (connection, jobId) is unique, so this is at most ids × connections rows: no cap needed. */
async function jobsByIds(connectionIds: string[], jobIds: readonly number[]) {
  const slices = await Promise.all(
    chunks(jobIds, IDS_PER_QUERY).map((ids) =>
      db.gitlabJob.findMany({
        where: { gitlabConnectionId: { in: connectionIds }, jobId: { in: ids } },
        select: JOB_SELECT,
        orderBy: [{ jobId: "asc" }, { gitlabConnectionId: "asc" }],
      }),
    ),
  );
  return slices.flat();
}

async function activeJobsPage(connectionIds: string[], runnerIds: number[], after: ActiveJobsCursor | null) {
  const rows = await db.gitlabJob.findMany({
    where: {
      gitlabConnectionId: { in: connectionIds },
      status: { in: [...ACTIVE_STATUSES] },
      runnerId: { in: runnerIds },
      ...(after && {
        OR: [
          { jobId: { gt: after.jobId } },
          { jobId: after.jobId, gitlabConnectionId: { gt: after.gitlabConnectionId } },
        ],
      }),
    },
    select: JOB_SELECT,
    orderBy: [{ jobId: "asc" }, { gitlabConnectionId: "asc" }],
    take: MONITOR_GITLAB_PAGE,
  });
  const last = rows.at(-1);
  const nextActive =
    rows.length === MONITOR_GITLAB_PAGE && last
      ? { jobId: last.jobId, gitlabConnectionId: last.gitlabConnectionId }
      : null;
  return { rows, nextActive };
}
