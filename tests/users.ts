import { cookieJar } from "./mock-next-headers";

type Role = "viewer" | "operator" | "admin";

/**
 * A GitLab user with `role` and a live session, for tests that mock next/headers: the session cookie
 * is in the mock's cookie jar (for server actions) and returned as a Cookie header (for route handlers).
 * Call after useFreshDatabase().
 */
export async function signedInAs(
  role: Role,
  username: string = role,
): Promise<{ id: string; username: string; cookie: string }> {
  const { db } = await import("@/lib/db.server");
  const session = await import("@/lib/auth/session.server");
  const user = await db.user.upsert({
    where: { provider_subject: { provider: "gitlab", subject: `test-${username}` } },
    create: { username, provider: "gitlab", subject: `test-${username}`, role },
    update: { role },
  });
  await session.startSession(user.id, "gitlab");
  const token = cookieJar.get(session.SESSION_COOKIE)!;
  return { id: user.id, username, cookie: `${session.SESSION_COOKIE}=${encodeURIComponent(token)}` };
}
