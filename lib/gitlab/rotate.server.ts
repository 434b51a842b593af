import "server-only";
import { runSetupAction } from "@/lib/apply/run.server";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { loadProfileSettings } from "@/lib/wizard/profiles.server";
import type { GitlabResult } from "./problems";
import { rotateRunnerToken } from "./runners.server";

/**
 * Token rotation for an applied profile: GitLab issues a new token (the old one stops working at
 * once), the profile stores it, and the profile is applied again so the runner's Secret — and with its
 * checksum the runner Deployment — carries the new token. A profile never applied only stores it.
 */
export async function rotateAndReapply(
  profileId: string,
  username: string,
): Promise<GitlabResult<{ runnerId: number; reapplied: boolean; applyOk: boolean | null }>> {
  const rotated = await rotateRunnerToken(profileId);
  if (!rotated.ok) return rotated;
  const loaded = await loadProfileSettings(profileId);
  if (!loaded.ok || loaded.profile.status !== "applied" || !loaded.profile.connectionId) {
    return { ok: true, value: { runnerId: rotated.value.runnerId, reapplied: false, applyOk: null } };
  }
  const done = await runSetupAction({
    mode: "apply",
    settings: loaded.settings,
    kc: await kubeConfigForConnection(loaded.profile.connectionId),
    username,
    profileId,
    connectionId: loaded.profile.connectionId,
    onEvent: () => undefined,
    rolloutTimeoutMs: 60_000,
  });
  return { ok: true, value: { runnerId: rotated.value.runnerId, reapplied: true, applyOk: done.ok } };
}
