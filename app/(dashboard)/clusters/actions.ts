"use server";

import { revalidatePath } from "next/cache";
import { audited, type Outcome } from "@/lib/audit/record.server";
import { requireRole } from "@/lib/auth/authorize.server";
import type { ConnectionDto } from "@/lib/connections/dto";
import type { ConnectionTestReport } from "@/lib/connections/probe.server";
import type { ConnectionProblem } from "@/lib/connections/problems";
import { deletionImpact, getConnection, type DeletionImpact } from "@/lib/connections/store.server";
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

/** An ActionResult as an audit outcome: the problem code (never credentials) or the field errors. */
function outcomeOf(result: ActionResult<unknown>): Outcome {
  if (result.ok) return { result: "ok" };
  if (result.problem) {
    const params = result.problem.params ? ` ${JSON.stringify(result.problem.params)}` : "";
    return { result: "error", message: `${result.problem.code}${params}` };
  }
  return { result: "error", message: `invalid input: ${Object.keys(result.fieldErrors ?? {}).join(", ")}` };
}

const connectionTarget = (id: string, name?: string | null) => ({ type: "connection", id, name });

export async function testConnectionAction(input: unknown): Promise<ActionResult<ConnectionTestReport>> {
  // Trying credentials is the first step of adding a connection: an admin's job.
  await requireRole("admin");
  const parsed = testConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return testConnectionInput(parsed.data.credentials, parsed.data.namespace);
}

export async function createConnectionAction(input: unknown): Promise<ActionResult<ConnectionDto>> {
  const user = await requireRole("admin", { action: "connection.create" });
  const parsed = createConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await audited(
    { actor: user, action: "connection.create", target: connectionTarget("", parsed.data.name) },
    () => addConnection(parsed.data),
    (done) => ({ ...outcomeOf(done), target: done.ok ? connectionTarget(done.value.id, done.value.name) : null }),
  );
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function updateConnectionAction(id: unknown, input: unknown): Promise<ActionResult<ConnectionDto>> {
  const user = await requireRole("admin", { action: "connection.update" });
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const parsed = updateConnectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const before = await getConnection(parsedId.data);
  const changed = [
    parsed.data.name !== undefined && parsed.data.name !== before?.name ? "name" : null,
    parsed.data.credentials ? "credentials" : null,
  ];
  const result = await audited(
    { actor: user, action: "connection.update", target: connectionTarget(parsedId.data, before?.name) },
    () => editConnection(parsedId.data, parsed.data),
    (done) => {
      const outcome = outcomeOf(done);
      const what = changed.filter(Boolean).join(", ");
      return done.ok && what ? { ...outcome, message: `changed: ${what}` } : outcome;
    },
  );
  if (result.ok) revalidatePath("/clusters");
  return result;
}

/** What deleting a connection would take with it, for the confirmation dialog. */
export async function connectionDeletionImpactAction(id: unknown): Promise<ActionResult<DeletionImpact>> {
  await requireRole("admin");
  const parsedId = idSchema.safeParse(id);
  const impact = parsedId.success ? await deletionImpact(parsedId.data) : null;
  return impact ? { ok: true, value: impact } : invalidId;
}

/** Deletes a connection; with `keepHistory` it is archived instead, its job records kept for the cost pages. */
export async function deleteConnectionAction(id: unknown, keepHistory: unknown = false): Promise<ActionResult<null>> {
  const user = await requireRole("admin", { action: "connection.delete" });
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success || typeof keepHistory !== "boolean") return invalidId;
  const before = await getConnection(parsedId.data);
  if (!before) return invalidId;
  const result = await audited(
    { actor: user, action: "connection.delete", target: connectionTarget(before.id, before.name) },
    async (): Promise<ActionResult<null>> =>
      (await removeConnection(before.id, { keepHistory })) ? { ok: true, value: null } : invalidId,
    outcomeOf,
  );
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function setDefaultConnectionAction(id: unknown): Promise<ActionResult<null>> {
  const user = await requireRole("admin", { action: "connection.default" });
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const before = await getConnection(parsedId.data);
  const result = await audited(
    { actor: user, action: "connection.default", target: connectionTarget(parsedId.data, before?.name) },
    () => makeDefaultConnection(parsedId.data),
    outcomeOf,
  );
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function testStoredConnectionAction(
  id: unknown,
  namespace: unknown,
): Promise<ActionResult<ConnectionTestReport>> {
  // A probe changes nothing but reaches the cluster with the stored credentials: operators and up.
  await requireRole("operator");
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return invalidId;
  const parsed = testConnectionSchema.shape.namespace.safeParse(namespace ?? undefined);
  if (!parsed.success) return { ok: false, fieldErrors: { namespace: "namespaceInvalid" } };
  return testStoredConnection(parsedId.data, parsed.data);
}
