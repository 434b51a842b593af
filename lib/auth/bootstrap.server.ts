import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { hashPassword } from "./password.server";

/** Where a generated first password is left for the operator (never in a log line). */
export function initialPasswordFile(dataDir: string): string {
  return path.join(dataDir, "initial-admin-password");
}

/**
/**
 * Creates the local admin account on first start: the break-glass account that works when GitLab does
 * not. The password is ADMIN_PASSWORD, or a generated one written once to
 * <ASK_CI_DATA_DIR>/initial-admin-password (mode 0600; `npm run demo` prints it on the terminal): logs
 * go to log collectors, so the password never goes into one. It is stored only as a hash, so it cannot
 * be shown again.
 */
export async function ensureAdminAccount(log: (line: string) => void = console.log): Promise<void> {
  if ((await db.user.count({ where: { provider: "local" } })) > 0) return;
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD, ASK_CI_DATA_DIR } = env();
  const password = ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  await db.user.create({
    data: { username, provider: "local", subject: username, role: "admin", passwordHash: await hashPassword(password) },
  });
  if (ADMIN_PASSWORD) {
    log(`ask-ci: created admin account "${username}" with the password from ADMIN_PASSWORD`);
  } else {
    const file = initialPasswordFile(ASK_CI_DATA_DIR);
    fs.mkdirSync(ASK_CI_DATA_DIR, { recursive: true });
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
    log(
      `ask-ci: created admin account "${username}" with a generated password, in ${file} (read it, then delete the file)`,
    );
    log("ask-ci: set ADMIN_PASSWORD to choose your own");
  }
}
