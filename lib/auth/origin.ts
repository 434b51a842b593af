export interface OriginPolicy {
  /** ASK_CI_PUBLIC_URL: the address users open; its host is ours whatever the Host header says. */
  publicUrl?: string;
  /** ASK_CI_TRUST_PROXY: a reverse proxy's X-Forwarded-Host names our host too. */
  trustProxy?: boolean;
}

/** The hosts ("name:port") a request may come from to count as our own pages. */
export function ownHosts(headers: Headers, policy: OriginPolicy = {}): string[] {
  const hosts = [headers.get("host")];
  if (policy.trustProxy) hosts.push(headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? null);
  if (policy.publicUrl) hosts.push(hostOf(policy.publicUrl));
  return hosts.filter((host): host is string => Boolean(host)).map((host) => host.toLowerCase());
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * True when a state-changing request comes from our own pages. The Origin must name one of our
 * hosts (the Host header, never a client's X-Forwarded-Host unless a proxy is trusted, or
 * ASK_CI_PUBLIC_URL); without Origin, the Referer must. A browser always sends one of them on a
 * cross-site POST, and "null" (a sandboxed or file page) is refused; a request with neither comes
 * from a non-browser client, which cannot ride on a user's cookie.
 */
export function isSameOrigin(headers: Headers, policy: OriginPolicy = {}): boolean {
  const source = headers.get("origin") ?? headers.get("referer");
  if (source === null || source === "") return true;
  const host = hostOf(source);
  return host !== null && ownHosts(headers, policy).includes(host);
}
