"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record.server";
import type { AuditAction } from "@/lib/audit/actions";
import { requireRole } from "@/lib/auth/authorize.server";
import type { SessionUser } from "@/lib/auth/session.server";
import {
  createGitlabConnectionSchema,
  gitlabCredentialsSchema,
  updateGitlabConnectionSchema,
} from "@/lib/gitlab/connection-input";
import type { GitlabConnectionDto, GitlabTestReport } from "@/lib/gitlab/dto";
import type { GitlabProblem } from "@/lib/gitlab/problems";
import {
  addGitlabConnection,
  editGitlabConnection,
  removeGitlabConnection,
  testGitlabInput,
  testStoredGitlabConnection,
} from "@/lib/gitlab/service.server";

export type GitlabActionResult<T> =
  { ok: true; value: T } | { ok: false; problem?: GitlabProblem; fieldErrors?: Record<string, string> };

const idSchema = z.string().min(1).max(64);
const notFound = { ok: false, problem: { code: "connectionNotFound" } } as const;

// Managing GitLab links is an admin's job (lib/auth/roles.ts); testing a saved one is harmless to any operator.
const ADMIN = "admin" as const;

async function audit(
  user: SessionUser,
  action: AuditAction,
  target: { id?: string; name?: string },
  result: { ok: boolean; problem?: GitlabProblem },
) {
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action,
    target: { type: "gitlab-connection", id: target.id ?? null, name: target.name ?? null },
    result: result.ok ? "ok" : "error",
    message: result.ok ? null : (result.problem?.code ?? "invalid input"),
  });
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path.at(-1) ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

export async function testGitlabConnectionAction(input: unknown): Promise<GitlabActionResult<GitlabTestReport>> {
  await requireRole(ADMIN);
  const parsed = gitlabCredentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return testGitlabInput(parsed.data);
}

export async function createGitlabConnectionAction(input: unknown): Promise<GitlabActionResult<GitlabConnectionDto>> {
  const user = await requireRole(ADMIN, { action: "gitlab-connection.create" });
  const parsed = createGitlabConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await addGitlabConnection(parsed.data);
  await audit(
    user,
    "gitlab-connection.create",
    { id: result.ok ? result.value.id : undefined, name: parsed.data.name },
    result,
  );
  if (result.ok) revalidatePath("/gitlab");
  return result;
}

export async function updateGitlabConnectionAction(
  id: unknown,
  input: unknown,
): Promise<GitlabActionResult<GitlabConnectionDto>> {
  const user = await requireRole(ADMIN, { action: "gitlab-connection.update" });
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return notFound;
  const parsed = updateGitlabConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await editGitlabConnection(parsedId.data, parsed.data);
  await audit(
    user,
    "gitlab-connection.update",
    { id: parsedId.data, name: result.ok ? result.value.name : undefined },
    result,
  );
  if (result.ok) revalidatePath("/gitlab");
  return result;
}

export async function deleteGitlabConnectionAction(id: unknown): Promise<GitlabActionResult<null>> {
  const user = await requireRole(ADMIN, { action: "gitlab-connection.delete" });
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success || !(await removeGitlabConnection(parsedId.data))) return notFound;
  await audit(user, "gitlab-connection.delete", { id: parsedId.data }, { ok: true });
  revalidatePath("/gitlab");
  return { ok: true, value: null };
}

export async function testStoredGitlabConnectionAction(id: unknown): Promise<GitlabActionResult<GitlabTestReport>> {
  await requireRole("operator");
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return notFound;
  const result = await testStoredGitlabConnection(parsedId.data);
  revalidatePath("/gitlab");
  return result;
}
