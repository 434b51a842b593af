import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { gitlabCredentialsSchema } from "./connection-input";
import { addGitlabConnection } from "./service.server";

/**
 * The file ASK_CI_BOOTSTRAP_GITLAB names: the demo GitLab writes it as <data dir>/demo-gitlab.json
 * (packages/demo-gitlab). `token` is an API token (its admin's personal access token); the other
 * fields of that file (users, passwords) are not read here.
 */
const bootstrapFileSchema = z
  .object({
    url: z.string(),
    token: z.string().optional(),
    adminToken: z.string().optional(),
    caCertificate: z.string().optional(),
  })
  .transform(({ url, token, adminToken, caCertificate }) => ({ url, token: token ?? adminToken ?? "", caCertificate }));

/**
 * On start: register ASK_CI_BOOTSTRAP_GITLAB as the GitLab connection ASK_CI_BOOTSTRAP_GITLAB_NAME,
 * once (a marker file remembers it, so a user who deletes it does not see it come back). The
 * connection is tested like one added in the UI; when GitLab is not answering yet, the next start
 * tries again.
 */
export async function registerBootstrapGitlab(log: (line: string) => void = console.log): Promise<void> {
  const { ASK_CI_BOOTSTRAP_GITLAB: file, ASK_CI_BOOTSTRAP_GITLAB_NAME: name, ASK_CI_DATA_DIR } = env();
  if (!file) return;
  const marker = path.join(ASK_CI_DATA_DIR, `bootstrap-gitlab-${name}.done`);
  if (fs.existsSync(marker)) return;
  const remember = () => fs.writeFileSync(marker, `${file}\n`);
  if (await db.gitlabConnection.findUnique({ where: { name }, select: { id: true } })) return remember();

  let parsed;
  try {
    const raw = bootstrapFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
    parsed = gitlabCredentialsSchema.parse(raw);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    log(
      `ask-ci: ASK_CI_BOOTSTRAP_GITLAB: cannot use ${file} (${code ?? "not a {url, token} JSON file"}); no GitLab registered`,
    );
    return;
  }
  const result = await addGitlabConnection({ name, credentials: parsed });
  // Replicas starting together on one database: another registered it between our look and our
  // write, and the unique name refused ours. Registered is what was asked.
  if (!result.ok && result.problem.code === "nameTaken") return remember();
  if (!result.ok) {
    log(
      `ask-ci: ASK_CI_BOOTSTRAP_GITLAB: ${parsed.url} answered ${result.problem.code}; will try again on the next start`,
    );
    return;
  }
  remember();
  log(`ask-ci: registered the GitLab connection "${name}" (${parsed.url}) from ${file}`);
}
