"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { recordAudit } from "@/lib/audit/record.server";
import { db } from "@/lib/db.server";
import { verifyPassword } from "@/lib/auth/password.server";
import { clearLoginFailures, isLoginBlocked, recordLoginFailure } from "@/lib/auth/rate-limit.server";
import { endSession, startSession } from "@/lib/auth/session.server";
import { clientAddress } from "@/lib/auth/client-address.server";
import { readLoginForm, type LoginState } from "@/lib/validations/login";

export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const parsed = readLoginForm(form);
  if (!parsed.success) {
    const fieldErrors: LoginState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as "username" | "password";
      fieldErrors[field] ??= issue.message;
    }
    return {
      fieldErrors,
      username: typeof form.get("username") === "string" ? String(form.get("username")).slice(0, 64) : "",
    };
  }
  const { username, password } = parsed.data;
  const ip = clientAddress(await headers());
  const failed = (message: string, userId?: string) =>
    recordAudit({
      actor: { id: userId, username },
      action: "auth.login-failed",
      target: { type: "user", id: userId, name: username },
      result: "error",
      message,
      address: ip,
    });
  if (await isLoginBlocked(ip, username)) {
    await failed("password sign-in refused: too many failed attempts");
    return { error: "rateLimited", username };
  }

  // Only local accounts have passwords; a GitLab user of the same name signs in through GitLab.
  const user = await db.user.findUnique({ where: { provider_subject: { provider: "local", subject: username } } });
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) {
    await recordLoginFailure(ip, username);
    await failed(
      user?.disabledAt && ok ? "password sign-in: account deactivated" : "password sign-in: wrong username or password",
      user?.id,
    );
    return { error: "invalid", username };
  }
  await clearLoginFailures(username);
  await startSession(user.id, "password");
  await recordAudit({
    actor: { id: user.id, username: user.username },
    action: "auth.login",
    target: { type: "user", id: user.id, name: user.username },
    result: "ok",
    message: "password",
    address: ip,
  });
  redirect("/");
}

export async function logout(): Promise<void> {
  const user = await endSession();
  if (user) {
    await recordAudit({
      actor: { id: user.id, username: user.username },
      action: "auth.logout",
      target: { type: "session", id: user.sessionId.slice(0, 12), name: user.username },
      result: "ok",
    });
  }
  redirect("/login");
}

const DUMMY_HASH =
  "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
