import { z } from "zod";
import { isFinishedStatus } from "./job-status";
import { mergeRequestIidOf } from "./join";
import { toDate, type GitlabJobColumns } from "./records";

/**
 * GitLab's job and pipeline webhook payloads (docs: user/project/integrations/webhook_events.md,
 * "Job events" and "Pipeline events"; times as "2021-02-23 02:41:37 UTC") → our rows. Pure.
 */

const id = z.number().int().nonnegative();
const text = z.string().nullable().optional();
const num = z.number().nullable().optional();
const user = z.object({ username: z.string() }).nullable().optional();
const runner = z.object({ id }).nullable().optional();
const project = z.object({ id, path_with_namespace: z.string().optional(), web_url: z.string().optional() });

const jobHookSchema = z.object({
  object_kind: z.literal("build"),
  ref: text,
  sha: text,
  build_id: id,
  build_name: z.string(),
  build_stage: z.string(),
  build_status: z.string(),
  build_created_at: text,
  build_started_at: text,
  build_finished_at: text,
  build_duration: num,
  build_queued_duration: num,
  build_allow_failure: z.boolean().optional(),
  build_failure_reason: text,
  pipeline_id: id,
  project_id: id,
  user,
  runner,
  commit: z.object({ sha: z.string().optional(), message: z.string().optional() }).nullable().optional(),
  project: project.optional(),
});

const pipelineHookSchema = z.object({
  object_kind: z.literal("pipeline"),
  object_attributes: z.object({
    id,
    ref: text,
    sha: text,
    source: text,
    status: z.string(),
    created_at: text,
    finished_at: text,
    duration: num,
    queued_duration: num,
    url: text,
  }),
  user,
  project,
  commit: z.object({ title: z.string().optional(), message: z.string().optional() }).nullable().optional(),
  builds: z
    .array(
      z.object({
        id,
        stage: z.string(),
        name: z.string(),
        status: z.string(),
        created_at: text,
        started_at: text,
        finished_at: text,
        duration: num,
        queued_duration: num,
        failure_reason: text,
        allow_failure: z.boolean().optional(),
        user,
        runner,
      }),
    )
    .optional(),
});

export interface PipelineColumns {
  pipelineId: number;
  projectId: number;
  projectPath: string | null;
  status: string;
  ref: string | null;
  mergeRequestIid: number | null;
  source: string | null;
  sha: string | null;
  userName: string | null;
  webUrl: string | null;
  createdAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationSeconds: number | null;
  queuedSeconds: number | null;
}

export type WebhookEvent =
  | { kind: "job"; job: GitlabJobColumns }
  | { kind: "pipeline"; pipeline: PipelineColumns; jobs: GitlabJobColumns[] }
  | { kind: "ignored"; reason: string };

/** "Job Hook" / "Pipeline Hook" (X-Gitlab-Event) and the parsed JSON body. */
export function parseWebhook(event: string | null, body: unknown): WebhookEvent | { kind: "invalid"; field: string } {
  if (event === "Job Hook") {
    const parsed = jobHookSchema.safeParse(body);
    if (!parsed.success) return { kind: "invalid", field: parsed.error.issues[0]?.path.join(".") || "body" };
    const hook = parsed.data;
    const ref = hook.ref ?? null;
    return {
      kind: "job",
      job: {
        jobId: hook.build_id,
        projectId: hook.project_id,
        projectPath: hook.project?.path_with_namespace ?? null,
        pipelineId: hook.pipeline_id,
        name: hook.build_name,
        stage: hook.build_stage,
        status: hook.build_status,
        ref,
        mergeRequestIid: mergeRequestIidOf(ref),
        source: null,
        userName: hook.user?.username ?? null,
        commitSha: hook.sha ?? hook.commit?.sha ?? null,
        commitTitle: hook.commit?.message ? hook.commit.message.split("\n")[0] : null,
        runnerId: hook.runner?.id ?? null,
        allowFailure: hook.build_allow_failure ?? false,
        // GitLab sends "unknown_failure" for jobs that did not fail too; keep it only on failed jobs.
        failureReason: hook.build_status === "failed" ? (hook.build_failure_reason ?? null) : null,
        webUrl: hook.project?.web_url ? `${hook.project.web_url}/-/jobs/${hook.build_id}` : null,
        createdAt: toDate(hook.build_created_at),
        startedAt: toDate(hook.build_started_at),
        finishedAt: toDate(hook.build_finished_at),
        durationSeconds: hook.build_duration ?? null,
        queuedSeconds: hook.build_queued_duration ?? null,
      },
    };
  }
  if (event === "Pipeline Hook") {
    const parsed = pipelineHookSchema.safeParse(body);
    if (!parsed.success) return { kind: "invalid", field: parsed.error.issues[0]?.path.join(".") || "body" };
    const { object_attributes: p, project: proj, user: author, commit } = parsed.data;
    const ref = p.ref ?? null;
    const pipeline: PipelineColumns = {
      pipelineId: p.id,
      projectId: proj.id,
      projectPath: proj.path_with_namespace ?? null,
      status: p.status,
      ref,
      mergeRequestIid: mergeRequestIidOf(ref),
      source: p.source ?? null,
      sha: p.sha ?? null,
      userName: author?.username ?? null,
      webUrl: p.url ?? null,
      createdAt: toDate(p.created_at),
      startedAt: null,
      finishedAt: toDate(p.finished_at),
      durationSeconds: p.duration ?? null,
      queuedSeconds: p.queued_duration ?? null,
    };
    const jobs = (parsed.data.builds ?? []).map((b): GitlabJobColumns => ({
      jobId: b.id,
      projectId: proj.id,
      projectPath: proj.path_with_namespace ?? null,
      pipelineId: p.id,
      name: b.name,
      stage: b.stage,
      status: b.status,
      ref,
      mergeRequestIid: mergeRequestIidOf(ref),
      source: p.source ?? null,
      userName: b.user?.username ?? author?.username ?? null,
      commitSha: p.sha ?? null,
      commitTitle: commit?.title ?? null,
      runnerId: b.runner?.id ?? null,
      allowFailure: b.allow_failure ?? false,
      failureReason: b.status === "failed" ? (b.failure_reason ?? null) : null,
      webUrl: proj.web_url ? `${proj.web_url}/-/jobs/${b.id}` : null,
      createdAt: toDate(b.created_at),
      startedAt: toDate(b.started_at),
      finishedAt: toDate(b.finished_at),
      durationSeconds: b.duration ?? null,
      queuedSeconds: b.queued_duration ?? null,
    }));
    return { kind: "pipeline", pipeline, jobs };
  }
  return { kind: "ignored", reason: event ?? "no X-Gitlab-Event" };
}

/**
 * Deliveries of one hook arrive in order, but a webhook and a polling pass can cross: a finished job
 * never goes back to running because an older view arrived late.
 */
export function keepsStoredStatus(stored: string | null | undefined, incoming: string): boolean {
  return !!stored && isFinishedStatus(stored) && !isFinishedStatus(incoming);
}
