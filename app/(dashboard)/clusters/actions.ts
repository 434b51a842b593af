"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/guard.server";
import type { ConnectionDto } from "@/lib/connections/dto";
import type { ConnectionTestReport } from "@/lib/connections/probe.server";
import type { ConnectionProblem } from "@/lib/connections/problems";
import {
  addConnection,
  editConnection,
  makeDefaultConnection,
  removeConnection,
  testConnectionInput,
  testStoredConnection,
} from "@/lib/connections/service.server";
import {
  createConnectionSchema,
  fieldErrorsOf,
  idSchema,
  testConnectionSchema,
  updateConnectionSchema,
  type FieldErrors,
} from "@/lib/validations/connection";

export type ActionResult<T> =
  { ok: true; value: T } | { ok: false; problem?: ConnectionProblem; fieldErrors?: FieldErrors };

const invalidId = { ok: false, problem: { code: "notFound" } } as const;

export async function testConnectionAction(input: unknown): Promise<ActionResult<ConnectionTestReport>> {
  await requireUser();
  const parsed = testConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return testConnectionInput(parsed.data.credentials, parsed.data.namespace);
}

export async function createConnectionAction(input: unknown): Promise<ActionResult<ConnectionDto>> {
  await requireUser();
  const parsed = createConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await addConnection(parsed.data);
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function updateConnectionAction(id: unknown, input: unknown): Promise<ActionResult<ConnectionDto>> {
  await requireUser();
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const parsed = updateConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await editConnection(parsedId.data, parsed.data);
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function deleteConnectionAction(id: unknown): Promise<ActionResult<null>> {
  await requireUser();
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success || !(await removeConnection(parsedId.data))) return invalidId;
  revalidatePath("/clusters");
  return { ok: true, value: null };
}

export async function setDefaultConnectionAction(id: unknown): Promise<ActionResult<null>> {
  await requireUser();
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const result = await makeDefaultConnection(parsedId.data);
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function testStoredConnectionAction(
  id: unknown,
  namespace: unknown,
): Promise<ActionResult<ConnectionTestReport>> {
  await requireUser();
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const parsed = testConnectionSchema.shape.namespace.safeParse(namespace ?? undefined);
  if (!parsed.success) return { ok: false, fieldErrors: { namespace: "namespaceInvalid" } };
  return testStoredConnection(parsedId.data, parsed.data);
}
