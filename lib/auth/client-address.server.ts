import "server-only";
import { clientAddressFrom } from "@/lib/http/forwarded";

/**
 * The client address for rate limiting, sessions and the audit log. server/server.ts has already
 * replaced X-Forwarded-For with the socket address, or behind a trusted proxy (ASK_CI_TRUST_PROXY)
 * with the proxy's own entry (lib/http/forwarded.ts); this reads what it left.
 */
export function clientAddress(headers: Headers): string {
  return clientAddressFrom(headers);
}
