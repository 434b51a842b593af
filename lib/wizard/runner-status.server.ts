import "server-only";
import { readRollout } from "@/lib/apply/rollout.server";
import { apiErrorMessage } from "@/lib/kube/api-error";
import { runnerRolloutTarget } from "@/lib/apply/rollout-status";
import type { RolloutStatus } from "@/lib/apply/types";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { loadProfileSettings } from "./profiles.server";

export type RunnerStatus =
  { state: "installed"; rollout: RolloutStatus } | { state: "notInstalled" } | { state: "unknown"; message: string };

/** What the profile's runner looks like in its cluster right now (for a profile opened later). */
export async function runnerStatus(profileId: string): Promise<RunnerStatus | null> {
  const loaded = await loadProfileSettings(profileId);
  if (!loaded.ok) return loaded.profile ? { state: "unknown", message: "The settings are not complete" } : null;
  if (!loaded.profile.connectionId) return { state: "unknown", message: "No cluster chosen" };
  try {
    const kc = await kubeConfigForConnection(loaded.profile.connectionId);
    const rollout = await readRollout(kc, runnerRolloutTarget(loaded.settings));
    return rollout.missing ? { state: "notInstalled" } : { state: "installed", rollout };
  } catch (error) {
    return { state: "unknown", message: apiErrorMessage(error) };
  }
}
