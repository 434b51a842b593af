import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { generateManifests, schemaErrors } from "@/lib/manifests";
import type { RunnerSettings } from "@/lib/runner-settings/schema";
import { apiErrorMessage } from "@/lib/kube/api-error";
import { applyObjects } from "./engine.server";
import { finishApplyRecord, startApplyRecord } from "./records.server";
import { runnerRolloutTarget } from "./rollout-status";
import { waitForRollout } from "./rollout.server";
import {
  describeRef,
  refOf,
  type ApplyEvent,
  type ApplyListener,
  type ApplyMode,
  type ObjectResult,
  type RolloutStatus,
} from "./types";
import { deleteObjects, findStaleObjects, uninstallInstance } from "./uninstall.server";

export interface RunRequest {
  mode: ApplyMode;
  settings: RunnerSettings;
  kc: KubeConfig;
  username: string;
  profileId?: string;
  connectionId?: string;
  onEvent: ApplyListener;
  signal?: AbortSignal;
  rolloutTimeoutMs?: number;
}

/**
 * One wizard action from start to finish: record it, generate and validate the objects, dry-run /
 * apply / uninstall them, wait for the runner, and close the record. Every step is reported
 * through onEvent; the final event is always `done`, also when something throws.
 */
export async function runSetupAction(request: RunRequest): Promise<Extract<ApplyEvent, { type: "done" }>> {
  const { mode, settings, kc, onEvent } = request;
  const recordId = await startApplyRecord({
    profileId: request.profileId,
    connectionId: request.connectionId,
    username: request.username,
    action: mode,
  });
  let results: ObjectResult[] = [];
  let rollout: RolloutStatus | undefined;
  let message: string | undefined;
  let ok = false;
  try {
    if (mode === "uninstall") {
      results = await uninstallInstance(
        kc,
        { ...settings.cluster, runnerName: settings.gitlab.runnerName },
        { onEvent },
      );
      ok = results.every((r) => r.outcome !== "failed");
    } else {
      const objects = generateManifests(settings);
      const refs = objects.map(refOf);
      // Listing may be refused (a read-only token): then the apply itself reports the real error.
      const stale = await findStaleObjects(kc, settings.cluster, refs).catch(() => []);
      onEvent({ type: "plan", mode, objects: [...refs, ...stale.map(refOf)] });
      const invalid = await schemaErrors(objects);
      if (invalid.length > 0) {
        // A generator bug, not a user error: refuse before anything reaches the cluster.
        message = invalid.join("\n");
      } else {
        results = await applyObjects(kc, objects, {
          owner: settings.cluster,
          dryRun: mode === "dry-run",
          onEvent,
          signal: request.signal,
        });
        ok = results.every((r) => r.outcome !== "failed" && r.outcome !== "skipped");
        if (ok && stale.length > 0) {
          const pruned = await deleteObjects(kc, stale, {
            dryRun: mode === "dry-run",
            onEvent,
            offset: objects.length,
            reason: "No longer in the settings",
          });
          results = [...results, ...pruned];
          ok = pruned.every((r) => r.outcome !== "failed");
        }
        if (!ok) message = failureSummary(results);
        if (ok && mode === "apply") {
          rollout = await waitForRollout(kc, {
            ...runnerRolloutTarget(settings),
            timeoutMs: request.rolloutTimeoutMs,
            onStatus: (status) => onEvent({ type: "rollout", status }),
            signal: request.signal,
          });
          ok = rollout.available;
          if (!ok) message = rollout.message;
        }
      }
    }
  } catch (error) {
    message = apiErrorMessage(error);
    ok = false;
  }
  await finishApplyRecord(recordId, ok, results);
  const done = { type: "done" as const, ok, results, rollout, recordId, message };
  onEvent(done);
  return done;
}

/** "Applied 4 of 9 objects; Role gitlab-ci/gitlab-runner failed: …" */
export function failureSummary(results: ObjectResult[]): string {
  const applied = results.filter((r) => ["created", "configured", "unchanged"].includes(r.outcome)).length;
  const failed = results.find((r) => r.outcome === "failed");
  return `${applied} of ${results.length} objects applied${failed ? `; ${describeRef(failed.ref)} failed: ${failed.message ?? ""}` : ""}`;
}
