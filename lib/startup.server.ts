import "server-only";
import { EnvError, parseEnv } from "@/lib/env";

/**
 * First-start work, in order; each step is idempotent so every start may run it.
 * A wrong configuration stops the server with one line naming the variable.
 */
export async function onServerStart(): Promise<void> {
  try {
    parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { ensureAdminAccount } = await import("@/lib/auth/bootstrap.server");
  await unlessAnotherReplicaDidIt(() => ensureAdminAccount());
  (await import("@/lib/audit/log.server")).startAuditRetention();
  await unlessAnotherReplicaDidIt(async () =>
    (await import("@/lib/connections/bootstrap.server")).registerBootstrapConnection(),
  );
  await unlessAnotherReplicaDidIt(async () =>
    (await import("@/lib/gitlab/bootstrap.server")).registerBootstrapGitlab(),
  );
  await unlessAnotherReplicaDidIt(async () =>
    (await import("@/lib/wizard/bootstrap.server")).registerBootstrapRunners(),
  );
  (await import("@/lib/connections/in-cluster.server")).startInClusterConnection();
  (await import("@/lib/monitor/job-recorder.server")).startJobRecorder();
  (await import("@/lib/gitlab/link.server")).startGitlabLink();
  (await import("@/lib/alerts/evaluate.server")).startAlertEvaluator();
}

/**
 * Replicas starting together on one database race for the first-start rows (the admin account,
 * the bootstrap cluster and GitLab connections and runner profiles); the unique constraint lets one win, and for the others it is done.
 */
async function unlessAnotherReplicaDidIt(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
}
