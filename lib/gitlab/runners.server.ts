import "server-only";
import { db } from "@/lib/db.server";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import type { WizardSecrets } from "@/lib/wizard/secrets";
import { GitlabClient, type RunnerCreation } from "./client.server";
import { instanceForJobUrl } from "./join";
import { GitlabApiError, gitlabProblem, type GitlabResult } from "./problems";
import { toDate } from "./records";
import { storedClient } from "./service.server";

/**
 * Runners in GitLab for the wizard's profiles: created by API with the token written straight into the
 * profile's encrypted secrets (never sent to the browser), a pasted token verified before apply, the
 * runner's status, token rotation and deletion. The profile remembers the runner (gitlabRunnerId), which
 * is how the sync pass knows whose jobs to read.
 */

const ok = <T>(value: T): GitlabResult<T> => ({ ok: true, value });
const fail = <T>(
  code: Parameters<typeof gitlabProblem>[0],
  params?: Record<string, string | number>,
): GitlabResult<T> => ({
  ok: false,
  problem: gitlabProblem(code, params),
});

async function catching<T>(run: () => Promise<GitlabResult<T>>): Promise<GitlabResult<T>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GitlabApiError) return { ok: false, problem: error.problem };
    throw error;
  }
}

async function storeRunnerToken(profileId: string, token: string): Promise<void> {
  const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: profileId }, select: { secrets: true } });
  const secrets: WizardSecrets = row.secrets ? decryptJson<WizardSecrets>(row.secrets) : {};
  await db.runnerProfile.update({
    where: { id: profileId },
    data: { secrets: encryptJson({ ...secrets, runnerToken: token } satisfies WizardSecrets) },
  });
}

export interface CreatedRunnerDto {
  runnerId: number;
  gitlabUrl: string;
}

/** POST /user/runners, then the glrt- token into the profile's secrets and the instance URL into its settings. */
export async function createRunnerForProfile(
  profileId: string,
  gitlabConnectionId: string,
  input: RunnerCreation,
): Promise<GitlabResult<CreatedRunnerDto>> {
  const profile = await db.runnerProfile.findUnique({ where: { id: profileId }, select: { settings: true } });
  if (!profile) return fail("notFound", { path: "profile", status: 404 });
  const stored = await storedClient(gitlabConnectionId);
  if (!stored.ok) return stored;
  return catching(async () => {
    const created = await stored.value.client.createUserRunner(input);
    await storeRunnerToken(profileId, created.token);
    const settings = JSON.parse(profile.settings) as { gitlab?: Record<string, unknown> };
    settings.gitlab = { ...settings.gitlab, url: `${stored.value.url}/` };
    await db.runnerProfile.update({
      where: { id: profileId },
      data: { settings: JSON.stringify(settings), gitlabConnectionId, gitlabRunnerId: created.id },
    });
    return ok({ runnerId: created.id, gitlabUrl: stored.value.url });
  });
}

/**
 * Asks GitLab whether a runner token is valid (POST /runners/verify, no access token needed) at the
 * URL the runner will use, and links the profile to the runner and to the GitLab connection of that URL.
 * Only a definite refusal (401/403/404) is a problem; an unreachable GitLab is reported as such.
 */
export async function verifyProfileRunnerToken(
  profileId: string,
  settings: { url: string; runnerToken: string; caCertificate?: string },
): Promise<GitlabResult<{ runnerId: number | null }>> {
  // A quick check before an apply: one retry, short deadline; an unreachable GitLab does not block the apply.
  const client = new GitlabClient(
    { url: settings.url, token: "", caCertificate: settings.caCertificate },
    { timeoutMs: 5_000, retry: { maxAttempts: 2, baseDelayMs: 300, maxDelayMs: 300, maxWaitMs: 5_000 } },
  );
  return catching(async () => {
    const verified = await client.verifyRunnerToken(settings.runnerToken);
    const instances = await db.gitlabConnection.findMany({ select: { id: true, url: true } });
    const instance = instanceForJobUrl(settings.url, instances);
    if (verified.id !== undefined) {
      await db.runnerProfile.updateMany({
        where: { id: profileId },
        data: { gitlabRunnerId: verified.id, ...(instance ? { gitlabConnectionId: instance.id } : {}) },
      });
    }
    return ok({ runnerId: verified.id ?? null });
  });
}

export interface RunnerStatusDto {
  runnerId: number;
  online: boolean | null;
  status: string | null;
  paused: boolean | null;
  contactedAt: string | null;
  version: string | null;
  description: string | null;
}

export async function runnerStatusForProfile(profileId: string): Promise<GitlabResult<RunnerStatusDto> | null> {
  const profile = await db.runnerProfile.findUnique({
    where: { id: profileId },
    select: { gitlabConnectionId: true, gitlabRunnerId: true },
  });
  if (!profile?.gitlabConnectionId || profile.gitlabRunnerId === null) return null;
  const stored = await storedClient(profile.gitlabConnectionId);
  if (!stored.ok) return stored;
  const runnerId = profile.gitlabRunnerId;
  return catching(async () => {
    const runner = await stored.value.client.runner(runnerId);
    // GitLab 16+ keeps version and contact per runner manager; older ones on the runner itself.
    const managers = await stored.value.client.runnerManagers(runnerId).catch(() => []);
    const newest = managers.sort(
      (a, b) => (toDate(b.contacted_at)?.getTime() ?? 0) - (toDate(a.contacted_at)?.getTime() ?? 0),
    )[0];
    return ok({
      runnerId,
      online: runner.online ?? (runner.status ? runner.status === "online" : null),
      status: runner.status ?? null,
      paused: runner.paused ?? (runner.active === undefined ? null : !runner.active),
      contactedAt: runner.contacted_at ?? newest?.contacted_at ?? null,
      version: newest?.version ?? runner.version ?? null,
      description: runner.description ?? null,
    });
  });
}

/** POST /runners/:id/reset_authentication_token; the new token goes into the profile's secrets. */
export async function rotateRunnerToken(profileId: string): Promise<GitlabResult<{ runnerId: number }>> {
  const profile = await db.runnerProfile.findUnique({
    where: { id: profileId },
    select: { gitlabConnectionId: true, gitlabRunnerId: true },
  });
  if (!profile?.gitlabConnectionId || profile.gitlabRunnerId === null)
    return fail("notFound", { path: "runner", status: 404 });
  const stored = await storedClient(profile.gitlabConnectionId);
  if (!stored.ok) return stored;
  const runnerId = profile.gitlabRunnerId;
  return catching(async () => {
    const reset = await stored.value.client.resetRunnerToken(runnerId);
    await storeRunnerToken(profileId, reset.token);
    return ok({ runnerId });
  });
}

/** DELETE /runners/:id (uninstall's "delete it in GitLab too"); a runner already gone counts as deleted. */
export async function deleteRunnerInGitlab(profileId: string): Promise<GitlabResult<{ runnerId: number }>> {
  const profile = await db.runnerProfile.findUnique({
    where: { id: profileId },
    select: { gitlabConnectionId: true, gitlabRunnerId: true },
  });
  if (!profile?.gitlabConnectionId || profile.gitlabRunnerId === null)
    return fail("notFound", { path: "runner", status: 404 });
  const stored = await storedClient(profile.gitlabConnectionId);
  if (!stored.ok) return stored;
  const runnerId = profile.gitlabRunnerId;
  return catching(async () => {
    try {
      await stored.value.client.deleteRunner(runnerId);
    } catch (error) {
      if (!(error instanceof GitlabApiError && error.problem.code === "notFound")) throw error;
    }
    await db.runnerProfile.update({ where: { id: profileId }, data: { gitlabRunnerId: null } });
    return ok({ runnerId });
  });
}
