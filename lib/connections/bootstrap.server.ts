import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { secretKey } from "@/lib/crypto/encryption.server";
import { checkTargetOffline } from "./certificates";
import { targetFromKubeconfig } from "./kubeconfig";
import { ConnectionProblemError } from "./problems";
import { createConnection } from "./store.server";

/**
 * On start: make sure the encryption key exists (so a generated key file's path is printed now,
 * not on some later save), then register ASK_CI_BOOTSTRAP_KUBECONFIG as the default connection
 * named ASK_CI_BOOTSTRAP_CONNECTION_NAME once: a marker file in the data directory remembers it, so a
 * user who deletes or renames that connection does not see it come back on the next start. This is how
 * `npm run demo` and the e2e server pre-register the demo cluster; nothing else treats it specially.
 */
export async function registerBootstrapConnection(log: (line: string) => void = console.log): Promise<void> {
  secretKey(log);
  const { ASK_CI_BOOTSTRAP_KUBECONFIG: file, ASK_CI_BOOTSTRAP_CONNECTION_NAME: name } = env();
  if (!file) return;
  const marker = path.join(env().ASK_CI_DATA_DIR, `bootstrap-connection-${name}.done`);
  if (fs.existsSync(marker)) return;
  const remember = () => fs.writeFileSync(marker, `${file}\n`);
  if (await db.connection.findUnique({ where: { name }, select: { id: true } })) return remember();

  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    log(
      `ask-ci: ASK_CI_BOOTSTRAP_KUBECONFIG: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}); no connection registered`,
    );
    return;
  }
  const target = targetFromKubeconfig(text);
  if (!target.ok) {
    log(
      `ask-ci: ASK_CI_BOOTSTRAP_KUBECONFIG: ${file} cannot be used (${target.problem.code}); no connection registered`,
    );
    return;
  }
  const checked = checkTargetOffline(target.value);
  if (!checked.ok) {
    log(
      `ask-ci: ASK_CI_BOOTSTRAP_KUBECONFIG: ${file} cannot be used (${checked.problem.code}); no connection registered`,
    );
    return;
  }
  try {
    await createConnection({ name, target: target.value, caFingerprint: checked.value.caFingerprint, isDefault: true });
  } catch (error) {
    // Replicas starting together on one database: another registered it between our look and our
    // write (its transaction or the unique name refused ours). Registered is what was asked.
    if (!isNameTaken(error)) throw error;
    if (!(await db.connection.findUnique({ where: { name }, select: { id: true } }))) throw error;
    return remember();
  }
  remember();
  log(`ask-ci: registered the cluster connection "${name}" (${target.value.server}) from ${file}`);
}

function isNameTaken(error: unknown): boolean {
  if (error instanceof ConnectionProblemError) return error.problem.code === "nameTaken";
  return (error as { code?: unknown } | null)?.code === "P2002";
}
