import "server-only";
import { DecryptionError } from "@/lib/crypto/encryption.server";
import { GitlabClient, type GitlabClientOptions } from "./client.server";
import { caFingerprintOf, checkGitlabUrl, type GitlabCredentialsInput } from "./connection-input";
import type { GitlabConnectionDto, GitlabTestReport } from "./dto";
import { GitlabApiError, gitlabProblem, type GitlabProblem, type GitlabResult } from "./problems";
import {
  createGitlabConnection,
  deleteGitlabConnection,
  getGitlabConnection,
  loadGitlabTarget,
  recordGitlabHealth,
  updateGitlabConnection,
  type GitlabSecrets,
  type StoredTarget,
} from "./store.server";
import { tokenReport } from "./token-report";

/**
 * What the actions and routes do with GitLab connections: validate, ask GitLab who the token is,
 * and only then store. Nothing is stored when any step fails.
 */

const ok = <T>(value: T): GitlabResult<T> => ({ ok: true, value });
const fail = <T>(problem: GitlabProblem): GitlabResult<T> => ({ ok: false, problem });

/** Version, token user, token scopes and expiry. A token GitLab refuses is a problem; a missing detail is null. */
export async function probeGitlab(
  client: GitlabClient,
  url: string,
  now = new Date(),
): Promise<GitlabResult<GitlabTestReport>> {
  const started = performance.now();
  try {
    // personal_access_tokens/self answers for any scope, so a create_runner-only token can be tested too.
    const token = await optional(client.tokenSelf());
    const [version, user] = await Promise.all([optional(client.version()), optional(client.currentUser())]);
    if (!token && !version && !user) {
      // Nothing answered without a 403/404: ask once more for the plainest error.
      await client.tokenSelf();
    }
    const username = user?.username ?? "";
    return ok({
      url,
      version: version?.version ?? null,
      revision: version?.revision ?? null,
      user: user ? { username: user.username, name: user.name ?? null } : null,
      token: token ? tokenReport({ username, scopes: token.scopes, expiresAt: token.expires_at ?? null }, now) : null,
      latencyMs: Math.round(performance.now() - started),
    });
  } catch (error) {
    if (error instanceof GitlabApiError) return fail(error.problem);
    throw error;
  }
}

// 403 (scope) and 404 (older GitLab) leave a detail unknown; 401 and network problems are fatal.
async function optional<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof GitlabApiError && (error.problem.code === "forbidden" || error.problem.code === "notFound"))
      return null;
    throw error;
  }
}

function targetFromInput(input: GitlabCredentialsInput): GitlabResult<StoredTarget> {
  const url = checkGitlabUrl(input.url);
  if (!url.ok) return url;
  const fingerprint = caFingerprintOf(input.caCertificate);
  if (!fingerprint.ok) return fingerprint;
  return ok({
    url: url.value,
    caFingerprint: fingerprint.value,
    secrets: { token: input.token, ...(input.caCertificate ? { caCertificate: input.caCertificate } : {}) },
  });
}

let clientOptions: GitlabClientOptions = {};
/** Tests shorten retries and timeouts with this. */
export function setGitlabClientOptions(options: GitlabClientOptions): void {
  clientOptions = options;
}

function clientFor(url: string, secrets: Pick<GitlabSecrets, "token" | "caCertificate">): GitlabClient {
  return new GitlabClient({ url, token: secrets.token, caCertificate: secrets.caCertificate }, clientOptions);
}

async function verifiedTarget(input: GitlabCredentialsInput) {
  const target = targetFromInput(input);
  if (!target.ok) return target;
  const report = await probeGitlab(clientFor(target.value.url, target.value.secrets), target.value.url);
  if (!report.ok) return report;
  return ok({ target: target.value, report: report.value });
}

export async function testGitlabInput(input: GitlabCredentialsInput): Promise<GitlabResult<GitlabTestReport>> {
  const verified = await verifiedTarget(input);
  return verified.ok ? ok(verified.value.report) : verified;
}

export async function addGitlabConnection(input: {
  name: string;
  credentials: GitlabCredentialsInput;
}): Promise<GitlabResult<GitlabConnectionDto>> {
  const verified = await verifiedTarget(input.credentials);
  if (!verified.ok) return verified;
  return catchProblems(() => createGitlabConnection({ name: input.name, ...verified.value }));
}

export async function editGitlabConnection(
  id: string,
  changes: { name?: string; credentials?: GitlabCredentialsInput },
): Promise<GitlabResult<GitlabConnectionDto>> {
  if (!(await getGitlabConnection(id))) return fail(gitlabProblem("connectionNotFound"));
  let verified: { target: StoredTarget; report: GitlabTestReport } | undefined;
  if (changes.credentials) {
    const result = await verifiedTarget(changes.credentials);
    if (!result.ok) return result;
    verified = result.value;
  }
  return catchProblems(() => updateGitlabConnection(id, { name: changes.name, ...verified }));
}

export async function removeGitlabConnection(id: string): Promise<boolean> {
  return deleteGitlabConnection(id);
}

/** Tests a stored connection and records the outcome on it. */
export async function testStoredGitlabConnection(id: string): Promise<GitlabResult<GitlabTestReport>> {
  const stored = await storedClient(id);
  if (!stored.ok) return stored;
  const report = await probeGitlab(stored.value.client, stored.value.url);
  await recordGitlabHealth(id, report.ok ? { report: report.value } : { error: report.problem.code });
  return report;
}

/** A client for a stored connection, with its webhook secret; problems for an unknown id or a wrong key. */
export async function storedClient(
  id: string,
): Promise<GitlabResult<{ client: GitlabClient; url: string; webhookSecret: string }>> {
  try {
    const loaded = await loadGitlabTarget(id);
    if (!loaded) return fail(gitlabProblem("connectionNotFound"));
    return ok({
      client: clientFor(loaded.url, loaded.secrets),
      url: loaded.url,
      webhookSecret: loaded.secrets.webhookSecret,
    });
  } catch (error) {
    // The message names the key ids needed; it never contains the token.
    if (error instanceof DecryptionError) return fail(gitlabProblem("decryptionFailed", { detail: error.message }));
    throw error;
  }
}

async function catchProblems<T>(run: () => Promise<T>): Promise<GitlabResult<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof GitlabApiError) return fail(error.problem);
    throw error;
  }
}
