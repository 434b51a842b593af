/**
 * True when a state-changing request comes from our own pages: the Origin (or, failing that, the
 * Referer) must name the host the request was sent to. Browsers always send Origin on cross-site
 * POSTs, so a missing header means a non-browser client, which cannot ride on a user's cookie.
 */
export function isSameOrigin(headers: Headers): boolean {
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const source = headers.get("origin") ?? headers.get("referer");
  if (!source) return true;
  if (!host) return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}
