import "server-only";
import { db } from "@/lib/db.server";
import { ALL_NAMESPACES } from "@/lib/monitor/validation";
import { ACTIVE_STATUSES } from "./job-status";
import type { MonitorGitlabFacts, MonitorGitlabJob, MonitorGitlabRunner } from "./monitor-orphans";
import { runnerStatusForProfile } from "./runners.server";

/** One status answer per runner profile is reused this long: many viewers, one question to GitLab. */
const STATUS_TTL_MS = 30_000;
const MAX_JOBS = 2_000;

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

/**
 * What the monitor shows from GitLab for one cluster and namespace: the runner profiles linked to a
 * runner in GitLab with GitLab's status of it, and the stored GitLab jobs the orphan rules need —
 * those running on these runners, and those of the live pods (`podJobIds`).
 */
export async function monitorGitlabFacts(
  connectionId: string,
  namespace: string,
  podJobIds: readonly number[],
  now = Date.now(),
): Promise<MonitorGitlabFacts> {
  const profiles = (
    await db.runnerProfile.findMany({
      where: { connectionId, gitlabConnectionId: { not: null }, gitlabRunnerId: { not: null } },
      select: { id: true, name: true, settings: true, gitlabConnectionId: true, gitlabRunnerId: true },
      orderBy: { name: "asc" },
    })
  )
    .map((profile) => ({ ...profile, ...namespaceOf(profile.settings) }))
    .filter((profile) => namespace === ALL_NAMESPACES || profile.namespace === namespace);
  if (profiles.length === 0) return { runners: [], instances: [], jobs: [] };

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
  const rows = await db.gitlabJob.findMany({
    where: {
      gitlabConnectionId: { in: connectionIds },
      OR: [
        { status: { in: [...ACTIVE_STATUSES] }, runnerId: { in: runners.map((r) => r.runnerId) } },
        ...(podJobIds.length > 0 ? [{ jobId: { in: [...podJobIds] } }] : []),
      ],
    },
    select: {
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
    },
    orderBy: { jobId: "desc" },
    take: MAX_JOBS,
  });
  const jobs: MonitorGitlabJob[] = rows.map((row) => ({
    ...row,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }));
  return { runners, instances, jobs };
}
