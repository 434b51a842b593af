import type { GitlabJob } from "./schemas";
import { mergeRequestIidOf } from "./join";

/** GitLab's job answer (or a webhook's job) → the GitlabJob row's columns. Pure. */
export interface GitlabJobColumns {
  jobId: number;
  projectId: number;
  projectPath: string | null;
  pipelineId: number | null;
  name: string;
  stage: string;
  status: string;
  ref: string | null;
  mergeRequestIid: number | null;
  source: string | null;
  userName: string | null;
  commitSha: string | null;
  commitTitle: string | null;
  runnerId: number | null;
  allowFailure: boolean;
  failureReason: string | null;
  webUrl: string | null;
  createdAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationSeconds: number | null;
  queuedSeconds: number | null;
  /** The pipeline's status as the job answer summarises it (not a GitlabJob column). */
  pipelineStatus?: string | null;
}

export const toDate = (text: string | null | undefined): Date | null => {
  if (!text) return null;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time) : null;
};

/** `projectId`/`projectPath` come from the endpoint when the answer does not carry them (project job endpoints). */
export function jobColumns(job: GitlabJob, project: { id?: number; path?: string | null } = {}): GitlabJobColumns {
  const ref = job.pipeline?.ref ?? job.ref ?? null;
  return {
    jobId: job.id,
    projectId: job.project?.id ?? job.pipeline?.project_id ?? project.id ?? 0,
    projectPath: job.project?.path_with_namespace ?? project.path ?? projectPathFromWebUrl(job.web_url) ?? null,
    pipelineId: job.pipeline?.id ?? null,
    name: job.name,
    stage: job.stage,
    status: job.status,
    ref,
    mergeRequestIid: mergeRequestIidOf(ref),
    source: job.pipeline?.source ?? null,
    userName: job.user?.username ?? null,
    commitSha: job.commit?.id ?? job.pipeline?.sha ?? null,
    commitTitle: job.commit?.title ?? null,
    runnerId: job.runner?.id ?? null,
    allowFailure: job.allow_failure ?? false,
    failureReason: job.failure_reason ?? null,
    webUrl: job.web_url ?? null,
    createdAt: toDate(job.created_at),
    startedAt: toDate(job.started_at),
    finishedAt: toDate(job.finished_at),
    durationSeconds: job.duration ?? null,
    queuedSeconds: job.queued_duration ?? null,
    pipelineStatus: job.pipeline?.status ?? null,
  };
}

/** https://gitlab/group/sub/app/-/jobs/42 → group/sub/app (the instance's relative root is not known here). */
export function projectPathFromWebUrl(webUrl: string | null | undefined): string | null {
  if (!webUrl) return null;
  try {
    const match = /^\/(.+?)\/-\/jobs\/\d+/.exec(new URL(webUrl).pathname);
    return match ? decodeURIComponent(match[1]) : null;
  } catch {
    return null;
  }
}
