/**
 * `npm run rotate-key -- --new-key <64 hex characters | base64 of 32 bytes>`
 *
 * Re-encrypts every stored credential (cluster connections, runner profile secrets,
 * GitLab connections) under a new
 * key, in one transaction. The current key comes from ASK_CI_SECRET_KEY or the key file, as for the
 * server (or from --old-key). When the key lives in the key file, the file is replaced after the
 * database commit; when it comes from ASK_CI_SECRET_KEY, set that variable to the new key.
 * Restart the dashboard afterwards. Generate a key with: openssl rand -hex 32
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/client";
import { decodeKey, EnvError, parseEnv } from "@/lib/env";
import { keyFingerprint } from "@/lib/crypto/envelope";
import { rotateEnvelopes } from "@/lib/crypto/rotate";

const USAGE = "Usage: npm run rotate-key -- --new-key <64 hex characters | base64 of 32 bytes> [--old-key <key>]";

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { "new-key": { type: "string" }, "old-key": { type: "string" } } }).values;
  } catch {
    log(USAGE);
    return 2;
  }
  const newKey = args["new-key"] ? decodeKey(args["new-key"]) : null;
  if (!newKey) {
    log(`${USAGE}\n--new-key must be 32 bytes written as 64 hex characters or base64 (openssl rand -hex 32).`);
    return 2;
  }
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      log(error.message);
      return 2;
    }
    throw error;
  }
  const keyFile = path.resolve(env.secretKeyFile);
  const fromEnvironment = Boolean(env.ASK_CI_SECRET_KEY);
  const oldKeyText =
    args["old-key"] ?? env.ASK_CI_SECRET_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, "utf8") : undefined);
  const oldKey = oldKeyText ? decodeKey(oldKeyText) : null;
  if (!oldKey) {
    log(`No current key: set ASK_CI_SECRET_KEY, pass --old-key, or keep the key file at ${keyFile}.`);
    return 2;
  }
  if (oldKey.equals(newKey)) {
    log("The new key is the current key; nothing to do.");
    return 0;
  }

  // Written beside the key file first, so a crash between commit and rename leaves the new key on disk.
  const pendingFile = `${keyFile}.new`;
  if (!fromEnvironment) fs.writeFileSync(pendingFile, `${newKey.toString("hex")}\n`, { mode: 0o600 });

  const db = createPrismaClient(env.databaseUrl);
  try {
    const result = await rotateEnvelopes(db, oldKey, newKey);
    log(
      `Re-encrypted ${result.connections} connection(s), ${result.runnerProfiles} runner profile secret(s) ` +
        `and ${result.gitlabConnections} GitLab connection(s) ` +
        `from key ${keyFingerprint(oldKey)} to key ${keyFingerprint(newKey)}` +
        (result.alreadyRotated ? ` (${result.alreadyRotated} already under the new key)` : "") +
        ".",
    );
  } catch (error) {
    if (!fromEnvironment) fs.rmSync(pendingFile, { force: true });
    log(`Key rotation failed, nothing was changed: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.$disconnect();
  }

  if (fromEnvironment) {
    log("Now set ASK_CI_SECRET_KEY to the new key and restart the dashboard.");
  } else {
    fs.renameSync(pendingFile, keyFile);
    log(`Replaced the key file ${keyFile}. Restart the dashboard.`);
  }
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
