import "server-only";
import { runSetupAction } from "@/lib/apply/run.server";
import type { ApplyEvent, ApplyMode } from "@/lib/apply/types";
import { kubeConfigForConnection } from "@/lib/connections/kube-client.server";
import { sseEvent } from "@/lib/sse";
import { verifyProfileRunnerToken } from "@/lib/gitlab/runners.server";
import { setProfileStatus, loadProfileSettings, profileLoadFailure } from "./profiles.server";

export interface SetupRunRequest {
  profileId: string;
  mode: ApplyMode;
  confirm?: string;
  username: string;
  /** Called once the run has finished (whether the page is still listening or not), e.g. for the audit log. */
  onFinished?: (done: Extract<ApplyEvent, { type: "done" }>, profile: { id: string; name: string }) => Promise<void>;
}

type Started =
  | { ok: true; stream: ReadableStream<Uint8Array> }
  | { ok: false; status: 404 | 409 | 422; error: string; issues?: Array<{ path: string; message: string }> };

// Runs in progress per (connection, namespace, instance), on globalThis so every route bundle
// of the process shares it: two applies of one runner at once would interleave their objects.
const globalRuns = globalThis as unknown as { askCiSetupRuns?: Set<string> };
const runningInstances = (globalRuns.askCiSetupRuns ??= new Set());

/**
 * Checks everything that can be checked before touching the cluster (profile valid, cluster
 * chosen and reachable config, uninstall confirmed), then runs the action, streaming its events.
 */
export async function startSetupRun(request: SetupRunRequest): Promise<Started> {
  const loaded = await loadProfileSettings(request.profileId);
  if (!loaded.ok) return profileLoadFailure(loaded);
  const { profile, settings } = loaded;
  if (!profile.connectionId) return { ok: false, status: 422, error: "Choose a cluster in the first step" };
  if (request.mode === "uninstall" && request.confirm !== settings.cluster.instanceName) {
    return {
      ok: false,
      status: 422,
      error: `Type the instance name (${settings.cluster.instanceName}) to confirm the uninstall`,
    };
  }
  if (request.mode === "apply") {
    // A token GitLab refuses would give a runner that never gets a job: say so before touching the cluster.
    const verified = await verifyProfileRunnerToken(profile.id, settings.gitlab);
    if (!verified.ok && ["unauthorized", "forbidden", "notFound"].includes(verified.problem.code))
      return {
        ok: false,
        status: 422,
        error: `GitLab at ${settings.gitlab.url} does not accept this runner token (POST /runners/verify answered ${verified.problem.params?.status ?? verified.problem.code}): create the runner again or paste its current token`,
      };
  }
  const runKey = `${profile.connectionId}/${settings.cluster.namespace}/${settings.cluster.instanceName}`;
  if (runningInstances.has(runKey))
    return {
      ok: false,
      status: 409,
      error: "This runner is already being applied or uninstalled; wait for that to finish",
    };
  let kc;
  try {
    kc = await kubeConfigForConnection(profile.connectionId);
  } catch (error) {
    return {
      ok: false,
      status: 422,
      error: `The cluster connection cannot be used: ${error instanceof Error ? error.message : String(error)}`,
    };
  }

  runningInstances.add(runKey);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: ApplyEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(sseEvent(event)));
        } catch {
          open = false; // the page went away; the action still finishes and is recorded
        }
      };
      try {
        const done = await runSetupAction({
          mode: request.mode,
          settings,
          kc,
          username: request.username,
          profileId: profile.id,
          connectionId: profile.connectionId ?? undefined,
          onEvent: send,
        });
        if (done.ok && request.mode !== "dry-run")
          await setProfileStatus(profile.id, request.mode === "apply" ? "applied" : "saved");
        await request.onFinished?.(done, { id: profile.id, name: profile.name });
      } finally {
        runningInstances.delete(runKey);
        if (open) controller.close();
      }
    },
  });
  return { ok: true, stream };
}
