"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { recordAudit } from "@/lib/audit/record.server";
import { db } from "@/lib/db.server";
import { verifyPassword } from "@/lib/auth/password.server";
import { clearLoginFailures, loginRefused, recordLoginFailure } from "@/lib/auth/rate-limit.server";
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  deviceIdFor,
  issueDeviceCookie,
} from "@/lib/auth/device-cookie.server";
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
  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  const jar = await cookies();
  const attempt = { address: ip, username, deviceId: deviceIdFor(jar.get(DEVICE_COOKIE)?.value, username) };
  const failed = (message: string, userId?: string) =>
    recordAudit({
      actor: { id: userId, username },
      action: "auth.login-failed",
      target: { type: "user", id: userId, name: username },
      result: "error",
      message,
      address: ip,
    });
  const refused = await loginRefused(attempt);
  if (refused) {
    await failed(`password sign-in refused: too many failed attempts (${refused} limit)`);
    return { error: "rateLimited", username };
  }

  // Only local accounts have passwords; a GitLab user of the same name signs in through GitLab.
  const user = await db.user.findUnique({ where: { provider_subject: { provider: "local", subject: username } } });
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) {
    await recordLoginFailure(attempt);
    await failed(
      user?.disabledAt && ok ? "password sign-in: account deactivated" : "password sign-in: wrong username or password",
      user?.id,
    );
    return { error: "invalid", username };
  }
  await clearLoginFailures(attempt);
  await startSession(user.id, "password");
  // This browser is now known for the account: a lock caused by others' failures does not apply to it.
  jar.set(DEVICE_COOKIE, issueDeviceCookie(username), {
    httpOnly: true,
    sameSite: "strict",
    secure: requestHeaders.get("x-forwarded-proto") === "https",
    path: "/login",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
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
