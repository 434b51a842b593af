/**
 * Pod ↔ GitLab job, pure. The runner's Kubernetes executor writes the job's identity on every job pod
 * (gitlab-runner v17.11.0 executors/kubernetes/kubernetes.go buildPodAnnotations/buildLabels):
 * annotations `job.runner.gitlab.com/id` and `/url` (the job's web URL, on the GitLab instance's
 * own address), `project.runner.gitlab.com/id` (annotation and label). No pipeline id is written,
 * so pipeline, user, stage and times come from GitLab's job API.
 */

export const JOB_ID_ANNOTATION = "job.runner.gitlab.com/id";
export const JOB_URL_ANNOTATION = "job.runner.gitlab.com/url";
export const PROJECT_ID_KEY = "project.runner.gitlab.com/id";

export interface PodMetadataLike {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface PodJobRef {
  jobId: number;
  projectId: number | null;
  /** The job's web URL, when the runner wrote one that parses as http(s). */
  jobUrl: string | null;
}

const positiveInt = (text: string | undefined | null): number | null =>
  text && /^\d{1,15}$/.test(text.trim()) && Number(text) > 0 ? Number(text) : null;

/** The GitLab job a pod runs, from the runner's annotations; null for a pod that is not a job pod. */
export function podJobRef(pod: PodMetadataLike): PodJobRef | null {
  const annotations = pod.metadata?.annotations ?? {};
  const labels = pod.metadata?.labels ?? {};
  const jobId = positiveInt(annotations[JOB_ID_ANNOTATION]);
  if (jobId === null) return null;
  return {
    jobId,
    projectId: positiveInt(annotations[PROJECT_ID_KEY] ?? labels[PROJECT_ID_KEY]),
    jobUrl: httpUrl(annotations[JOB_URL_ANNOTATION]),
  };
}

/** The same from a JobRecord's columns (recorded from those annotations). */
export function recordJobRef(record: {
  jobId: string | null;
  projectId: string | null;
  jobUrl: string | null;
}): PodJobRef | null {
  const jobId = positiveInt(record.jobId);
  if (jobId === null) return null;
  return { jobId, projectId: positiveInt(record.projectId), jobUrl: httpUrl(record.jobUrl) };
}

export interface GitlabInstance {
  id: string;
  url: string;
}

/**
 * The GitLab connection a job URL belongs to: same origin, and the connection's path (a relative
 * root such as /gitlab) a prefix of the URL's path; the longest match wins. A pod from an instance we
 * are not connected to matches nothing, so its job id is never looked up on the wrong GitLab.
 */
export function instanceForJobUrl(jobUrl: string | null, instances: GitlabInstance[]): GitlabInstance | null {
  if (!jobUrl) return null;
  const url = new URL(jobUrl);
  let best: { instance: GitlabInstance; length: number } | null = null;
  for (const instance of instances) {
    let base: URL;
    try {
      base = new URL(instance.url);
    } catch {
      continue;
    }
    const prefix = base.pathname.replace(/\/+$/, "");
    if (base.origin !== url.origin) continue;
    if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) continue;
    if (!best || prefix.length > best.length) best = { instance, length: prefix.length };
  }
  return best?.instance ?? null;
}

/**
 * Where to look the job up, when the URL alone cannot say (a runner that wrote no URL): the only
 * connected GitLab, or none when there are several.
 */
export function instanceForRef(ref: PodJobRef, instances: GitlabInstance[]): GitlabInstance | null {
  if (ref.jobUrl) return instanceForJobUrl(ref.jobUrl, instances);
  return instances.length === 1 ? instances[0] : null;
}

/** "refs/merge-requests/12/head" (a merge request pipeline's ref) → 12. */
export function mergeRequestIidOf(ref: string | null | undefined): number | null {
  const match = ref ? /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/.exec(ref) : null;
  return match ? Number(match[1]) : null;
}

function httpUrl(text: string | undefined | null): string | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
