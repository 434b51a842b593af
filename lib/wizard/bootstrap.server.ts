import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { encryptJson } from "@/lib/crypto/encryption.server";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { runnerSettingsSchema } from "@/lib/runner-settings/schema";
import { WIZARD_STEPS } from "./draft-schema";
import { splitSecrets, type SettingsDraft } from "./secrets";

/**
 * The file ASK_CI_BOOTSTRAP_RUNNERS names (`npm run demo` writes <data dir>/demo-runners.json,
 * scripts/demo-runner/in-demo-gitlab.ts): runners already installed in the bootstrap cluster and
 * created in the bootstrap GitLab, each with its complete settings (token included) and its id there.
 */
const bootstrapRunnersSchema = z.object({
  runners: z
    .array(
      z.object({
        name: z.string().min(1).max(63),
        gitlabRunnerId: z.number().int().positive(),
        settings: z.unknown(),
      }),
    )
    .max(50),
});

/** Which runner each bootstrapped profile was made for: a runner created anew updates its profile once. */
const markerSchema = z.record(z.string(), z.number());

/**
 * On start, after the bootstrap cluster and GitLab connections: each runner of ASK_CI_BOOTSTRAP_RUNNERS
 * becomes an applied runner profile on the cluster connection ASK_CI_BOOTSTRAP_CONNECTION_NAME, linked
 * to its runner in the GitLab connection ASK_CI_BOOTSTRAP_GITLAB_NAME — as if made in the wizard with
 * "Create the runner in GitLab" and applied — so the GitLab link follows its jobs. Once per runner (a
 * marker file remembers it; a profile the user deleted does not come back); when a runner was created
 * anew (the demo GitLab's state was reset), its profile gets the new token and runner id. Nothing
 * happens until both connections exist (the next start tries again).
 */
export async function registerBootstrapRunners(log: (line: string) => void = console.log): Promise<void> {
  const {
    ASK_CI_BOOTSTRAP_RUNNERS: file,
    ASK_CI_BOOTSTRAP_CONNECTION_NAME,
    ASK_CI_BOOTSTRAP_GITLAB_NAME,
    ASK_CI_DATA_DIR,
  } = env();
  if (!file) return;
  let runners: z.infer<typeof bootstrapRunnersSchema>["runners"];
  try {
    runners = bootstrapRunnersSchema.parse(JSON.parse(fs.readFileSync(file, "utf8"))).runners;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    log(`ask-ci: ASK_CI_BOOTSTRAP_RUNNERS: cannot use ${file} (${code ?? "not a runners file"}); no runner profiles`);
    return;
  }
  const [connection, gitlab] = await Promise.all([
    db.connection.findUnique({ where: { name: ASK_CI_BOOTSTRAP_CONNECTION_NAME }, select: { id: true } }),
    db.gitlabConnection.findUnique({ where: { name: ASK_CI_BOOTSTRAP_GITLAB_NAME }, select: { id: true } }),
  ]);
  if (!connection || !gitlab) return;

  const markerFile = path.join(ASK_CI_DATA_DIR, "bootstrap-runners.json");
  const marker = readMarker(markerFile);
  for (const runner of runners) {
    if (marker[runner.name] === runner.gitlabRunnerId) continue;
    const parsed = runnerSettingsSchema.safeParse(runner.settings);
    if (!parsed.success) {
      log(`ask-ci: ASK_CI_BOOTSTRAP_RUNNERS: the settings of ${runner.name} are not valid; no profile for it`);
      continue;
    }
    const { settings, secrets } = splitSecrets(parsed.data as SettingsDraft);
    const data = {
      settings: JSON.stringify(settings),
      secrets: encryptJson(secrets),
      gitlabConnectionId: gitlab.id,
      gitlabRunnerId: runner.gitlabRunnerId,
    };
    const existing = await db.runnerProfile.findUnique({ where: { name: runner.name }, select: { id: true } });
    if (existing && runner.name in marker) {
      await db.runnerProfile.update({ where: { id: existing.id }, data });
      log(`ask-ci: runner profile "${runner.name}" now linked to runner #${runner.gitlabRunnerId}`);
    } else if (!existing && !(runner.name in marker)) {
      await db.runnerProfile.create({
        data: {
          ...data,
          name: runner.name,
          connectionId: connection.id,
          status: "applied",
          step: WIZARD_STEPS.length - 1,
        },
      });
      log(`ask-ci: runner profile "${runner.name}" linked to runner #${runner.gitlabRunnerId} in GitLab`);
    }
    // A profile of that name the user made (or deleted after it was bootstrapped) is left alone.
    marker[runner.name] = runner.gitlabRunnerId;
  }
  fs.writeFileSync(markerFile, `${JSON.stringify(marker)}\n`);
}

function readMarker(file: string): Record<string, number> {
  try {
    return markerSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return {};
  }
}
