import type { MonitorGitlabFacts, MonitorGitlabJob } from "./monitor-orphans";

/**
 * The monitor's GitLab facts come page by page, so that a request's query and an answer's body stay
 * bounded at any number of pods: the live pods' job ids in chunks of this many, and the jobs running
 * on our runners (for "job without a pod") in pages of this many, keyset-paged.
 */
export const MONITOR_GITLAB_PAGE = 1_000;

/** Where the next page of active jobs starts: after this (jobId, GitLab connection). */
export interface ActiveJobsCursor {
  jobId: number;
  gitlabConnectionId: string;
}

/** One answer of `/api/monitor/gitlab`. */
export interface MonitorGitlabPage extends MonitorGitlabFacts {
  /** Set on a full page of active jobs: ask again from here. */
  nextActive: ActiveJobsCursor | null;
}

/** One request: the jobs of these pods' job ids, or a page of active jobs. */
export type MonitorGitlabPageRequest = { jobs: number[] } | { after: ActiveJobsCursor | null };

/** The request as query parameters (the route's schema reads them back). */
export function pageRequestParams(request: MonitorGitlabPageRequest): Record<string, string> {
  if ("jobs" in request) return { jobs: request.jobs.join(",") };
  return request.after ? { after: `${request.after.jobId}:${request.after.gitlabConnectionId}` } : {};
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * All the facts the orphan rules need, however many pods: the first page of active jobs (which also
 * carries the runners and GitLab instances), the following active pages, and the pods' jobs one chunk
 * per request, merged with each (connection, job) once.
 */
export async function collectMonitorGitlabFacts(
  podJobIds: readonly number[],
  fetchPage: (request: MonitorGitlabPageRequest) => Promise<MonitorGitlabPage>,
): Promise<MonitorGitlabFacts> {
  const first = await fetchPage({ after: null });
  // No runner of ours is linked to GitLab here: there is nothing to join pods to.
  if (first.runners.length === 0) return { runners: first.runners, instances: first.instances, jobs: [] };
  const jobs = new Map<string, MonitorGitlabJob>();
  const keep = (page: MonitorGitlabPage) => {
    for (const job of page.jobs) jobs.set(`${job.gitlabConnectionId}:${job.jobId}`, job);
  };
  const activePages = (async () => {
    let page = first;
    keep(page);
    while (page.nextActive) {
      page = await fetchPage({ after: page.nextActive });
      keep(page);
    }
  })();
  await Promise.all([
    activePages,
    ...chunks(podJobIds, MONITOR_GITLAB_PAGE).map(async (ids) => keep(await fetchPage({ jobs: ids }))),
  ]);
  return { runners: first.runners, instances: first.instances, jobs: [...jobs.values()] };
}
