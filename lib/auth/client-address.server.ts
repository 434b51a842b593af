import "server-only";
import { env } from "@/lib/env.server";

/**
 * The client address for rate limiting. Next's own server sets x-forwarded-for from the socket;
 * behind a proxy (ASK_CI_TRUST_PROXY) the left-most entry is the original client.
 */
export function clientAddress(headers: Headers): string {
  const forwarded =
    headers
      .get("x-forwarded-for")
      ?.split(",")
      .map((part) => part.trim())
      .filter(Boolean) ?? [];
  const address = env().ASK_CI_TRUST_PROXY ? forwarded[0] : forwarded[forwarded.length - 1];
  return address || headers.get("x-real-ip") || "unknown";
}
