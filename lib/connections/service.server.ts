import "server-only";
import { DecryptionError } from "@/lib/crypto/encryption.server";
import { reconcileJobRecorder } from "@/lib/monitor/job-recorder.server";
import type { ParsedCredentialsInput } from "@/lib/validations/connection";
import { checkTargetOffline } from "./certificates";
import type { ConnectionDto } from "./dto";
import { targetFromInput } from "./input";
import { invalidateConnection } from "./kube-client.server";
import { healthRecordOf, probeHealth, testTarget, type ConnectionTestReport } from "./probe.server";
import { ConnectionProblemError, problem } from "./problems";
import {
  createConnection,
  deleteConnection,
  getConnection,
  loadTarget,
  recordHealth,
  setDefaultConnection,
  updateConnection,
} from "./store.server";
import { fail, ok, type ConnectionTarget, type Result } from "./target";

/**
 * What the actions and routes do with connections: validate the input, reach the cluster, and only
 * then store. Nothing is stored when any step fails.
 */

async function verifiedTarget(input: ParsedCredentialsInput) {
  const target = targetFromInput(input);
  if (!target.ok) return target;
  const offline = checkTargetOffline(target.value);
  if (!offline.ok) return offline;
  const health = await probeHealth(target.value);
  if (!health.ok) return health;
  return ok({ target: target.value, caFingerprint: offline.value.caFingerprint, health: healthRecordOf(health) });
}

export async function testConnectionInput(
  input: ParsedCredentialsInput,
  namespace?: string,
): Promise<Result<ConnectionTestReport>> {
  const target = targetFromInput(input);
  if (!target.ok) return target;
  return testTarget(target.value, { namespace });
}

export async function addConnection(input: {
  name: string;
  credentials: ParsedCredentialsInput;
  makeDefault: boolean;
}): Promise<Result<ConnectionDto>> {
  const verified = await verifiedTarget(input.credentials);
  if (!verified.ok) return verified;
  const created = await catchProblems(() =>
    createConnection({
      name: input.name,
      target: verified.value.target,
      caFingerprint: verified.value.caFingerprint,
      isDefault: input.makeDefault,
      health: verified.value.health,
    }),
  );
  // Record its jobs from now on, not from the recorder's next 30-second check.
  if (created.ok) void reconcileJobRecorder();
  return created;
}

export async function editConnection(
  id: string,
  changes: { name?: string; credentials?: ParsedCredentialsInput },
): Promise<Result<ConnectionDto>> {
  if (!(await getConnection(id))) return fail(problem("notFound"));
  let target: Awaited<ReturnType<typeof verifiedTarget>> | undefined;
  if (changes.credentials) {
    target = await verifiedTarget(changes.credentials);
    if (!target.ok) return target;
  }
  const result = await catchProblems(() =>
    updateConnection(id, { name: changes.name, ...(target?.ok ? { target: target.value } : {}) }),
  );
  invalidateConnection(id);
  // New credentials may see other namespaces: the recorder's watch follows them now.
  if (result.ok && changes.credentials) void reconcileJobRecorder();
  return result;
}

export async function removeConnection(id: string, options: { keepHistory?: boolean } = {}): Promise<boolean> {
  const removed = await deleteConnection(id, options);
  invalidateConnection(id);
  if (removed) void reconcileJobRecorder();
  return removed;
}

export async function makeDefaultConnection(id: string): Promise<Result<null>> {
  return catchProblems(async () => {
    await setDefaultConnection(id);
    return null;
  });
}

/** Runs the health check of a stored connection and records it. */
export async function refreshHealth(id: string): Promise<ConnectionDto | null> {
  const stored = await storedTarget(id);
  if (stored === null) return null;
  const health = stored.ok ? healthRecordOf(await probeHealth(stored.value)) : healthRecordOf(stored);
  await recordHealth(id, health);
  return getConnection(id);
}

export async function testStoredConnection(id: string, namespace?: string): Promise<Result<ConnectionTestReport>> {
  const stored = await storedTarget(id);
  if (stored === null) return fail(problem("notFound"));
  if (!stored.ok) return stored;
  const report = await testTarget(stored.value, { namespace });
  await recordHealth(
    id,
    healthRecordOf(
      report.ok ? ok({ serverVersion: report.value.serverVersion, latencyMs: report.value.latencyMs }) : report,
    ),
  );
  return report;
}

async function storedTarget(id: string): Promise<Result<ConnectionTarget> | null> {
  try {
    const loaded = await loadTarget(id);
    return loaded ? ok(loaded.target) : null;
  } catch (error) {
    // The message says which key is needed; it never contains the credentials.
    if (error instanceof DecryptionError) return fail(problem("decryptionFailed", { detail: error.message }));
    throw error;
  }
}

async function catchProblems<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof ConnectionProblemError) return fail(error.problem);
    throw error;
  }
}
