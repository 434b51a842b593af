"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import { gitlabLink } from "@/lib/gitlab/link.server";
import { nudgePipelineWatches } from "@/lib/gitlab/pipeline-watch.server";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { jobAction, runPipeline } from "@/lib/gitlab/pipelines.server";

export type PipelineActionResult =
  { ok: true; pipelineId: number | null } | { ok: false; problem?: GitlabProblem; error?: string };

const runSchema = z.object({
  gitlabConnectionId: z.string().min(1).max(64),
  projectId: z.coerce.number().int().positive(),
  // Git ref names: no spaces, control characters or "..".
  ref: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^(?!.*\.\.)[^\s~^:?*[\\\x00-\x1f]+$/),
});
const jobSchema = z.object({
  gitlabConnectionId: z.string().min(1).max(64),
  jobId: z.coerce.number().int().positive(),
  action: z.enum(["retry", "cancel"]),
});

/** Operators run pipelines (POST /projects/:id/pipeline). */
export async function runPipelineAction(input: unknown): Promise<PipelineActionResult> {
  const user = await requireRole("operator", { action: "gitlab-pipeline.run" });
  const parsed = runSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.path.join(".") || "invalid" };
  const { gitlabConnectionId, projectId, ref } = parsed.data;
  const result = await runPipeline(gitlabConnectionId, projectId, ref);
  // The new pipeline's jobs go to our runners: a sync pass now, not at the next poll.
  if (result.ok) gitlabLink()?.wake(gitlabConnectionId);
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action: "gitlab-pipeline.run",
    target: {
      type: "gitlab-pipeline",
      id: result.ok ? String(result.value.pipelineId) : null,
      name: `${projectId}@${ref}`,
    },
    result: result.ok ? "ok" : "error",
    message: result.ok ? null : result.problem.code,
  });
  revalidatePath("/pipelines");
  return result.ok ? { ok: true, pipelineId: result.value.pipelineId } : { ok: false, problem: result.problem };
}

/** Operators retry or cancel a job. */
export async function jobActionAction(input: unknown): Promise<PipelineActionResult> {
  const parsed = jobSchema.safeParse(input);
  const action = parsed.success && parsed.data.action === "cancel" ? "gitlab-job.cancel" : "gitlab-job.retry";
  const user = await requireRole("operator", { action });
  if (!parsed.success) return { ok: false, error: "invalid" };
  const result = await jobAction(parsed.data.gitlabConnectionId, parsed.data.jobId, parsed.data.action);
  if (result.ok) {
    gitlabLink()?.wake(parsed.data.gitlabConnectionId);
    // The job's pipeline was just read again: its open pages on this replica show it now.
    if (result.value.pipelineId !== null)
      nudgePipelineWatches(parsed.data.gitlabConnectionId, [result.value.pipelineId]);
  }
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action,
    target: { type: "gitlab-job", id: String(parsed.data.jobId) },
    result: result.ok ? "ok" : "error",
    message: result.ok ? null : result.problem.code,
  });
  revalidatePath("/pipelines");
  return result.ok ? { ok: true, pipelineId: result.value.pipelineId } : { ok: false, problem: result.problem };
}
