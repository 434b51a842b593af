"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
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
  if (await isLoginBlocked(ip, username)) return { error: "rateLimited", username };

  const user = await db.user.findUnique({ where: { username } });
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    await recordLoginFailure(ip, username);
    return { error: "invalid", username };
  }
  await clearLoginFailures(username);
  await startSession(user.id);
  redirect("/");
}

export async function logout(): Promise<void> {
  await endSession();
  redirect("/login");
}

const DUMMY_HASH =
  "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
