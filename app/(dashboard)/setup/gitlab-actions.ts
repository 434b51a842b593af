"use server";

import { z } from "zod";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import type { SessionUser } from "@/lib/auth/session.server";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import { createRunnerSchema } from "@/lib/gitlab/runner-input";
import { rotateAndReapply } from "@/lib/gitlab/rotate.server";
import {
  createRunnerForProfile,
  deleteRunnerInGitlab,
  runnerStatusForProfile,
  type CreatedRunnerDto,
  type RunnerStatusDto,
} from "@/lib/gitlab/runners.server";

export type RunnerActionResult<T> = { ok: true; value: T } | { ok: false; problem?: GitlabProblem; error?: string };

const id = z.string().min(1).max(64);

async function audit(user: SessionUser, action: AuditAction, profileId: string, result: RunnerActionResult<unknown>) {
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action,
    target: { type: "gitlab-runner", id: profileId },
    result: result.ok ? "ok" : "error",
    message: result.ok ? null : (result.problem?.code ?? result.error ?? null),
  });
}

export async function createGitlabRunnerAction(
  profileId: unknown,
  input: unknown,
): Promise<RunnerActionResult<CreatedRunnerDto>> {
  const user = await requireRole("operator", { action: "gitlab-runner.create" });
  const parsedId = id.safeParse(profileId);
  const parsed = createRunnerSchema.safeParse(input);
  if (!parsedId.success || !parsed.success)
    return { ok: false, error: parsed.error?.issues[0]?.message ?? "invalid request" };
  const { gitlabConnectionId, ...creation } = parsed.data;
  const result = await createRunnerForProfile(parsedId.data, gitlabConnectionId, creation);
  await audit(user, "gitlab-runner.create", parsedId.data, result);
  return result;
}

export async function gitlabRunnerStatusAction(
  profileId: unknown,
): Promise<RunnerActionResult<RunnerStatusDto> | null> {
  await requireRole("viewer");
  const parsedId = id.safeParse(profileId);
  if (!parsedId.success) return { ok: false, error: "invalid request" };
  return runnerStatusForProfile(parsedId.data);
}

export async function rotateGitlabRunnerTokenAction(
  profileId: unknown,
): Promise<RunnerActionResult<{ runnerId: number; reapplied: boolean; applyOk: boolean | null }>> {
  const user = await requireRole("operator", { action: "gitlab-runner.reset-token" });
  const parsedId = id.safeParse(profileId);
  if (!parsedId.success) return { ok: false, error: "invalid request" };
  const result = await rotateAndReapply(parsedId.data, user.username);
  await audit(user, "gitlab-runner.reset-token", parsedId.data, result);
  return result;
}

export async function deleteGitlabRunnerAction(profileId: unknown): Promise<RunnerActionResult<{ runnerId: number }>> {
  const user = await requireRole("operator", { action: "gitlab-runner.delete" });
  const parsedId = id.safeParse(profileId);
  if (!parsedId.success) return { ok: false, error: "invalid request" };
  const result = await deleteRunnerInGitlab(parsedId.data);
  await audit(user, "gitlab-runner.delete", parsedId.data, result);
  return result;
}
