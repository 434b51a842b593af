import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db.server";
import { env } from "@/lib/env.server";
import { hashPassword } from "./password.server";

/**
 * Creates the local admin account on first start: the break-glass account that works when GitLab does
 * not. The password is ADMIN_PASSWORD, or a generated one printed once: it is stored only as a hash,
 * so it cannot be shown again.
 */
export async function ensureAdminAccount(log: (line: string) => void = console.log): Promise<void> {
  if ((await db.user.count({ where: { provider: "local" } })) > 0) return;
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD } = env();
  const password = ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  await db.user.create({
    data: { username, provider: "local", subject: username, role: "admin", passwordHash: await hashPassword(password) },
  });
  if (ADMIN_PASSWORD) {
    log(`ask-ci: created admin account "${username}" with the password from ADMIN_PASSWORD`);
  } else {
    log(`ask-ci: created admin account "${username}" with password: ${password}`);
    log("ask-ci: this password is shown only once; set ADMIN_PASSWORD to choose your own");
  }
}
