/**
 * GitLab's offset pagination: `X-Next-Page` (empty on the last page) and an RFC 8288 `Link`
 * header with rel="next" (docs: api/rest/index.md#pagination). Keyset pagination only sends the
 * Link header, and large collections omit `X-Total`, so the Link header wins when present.
 */
export function nextPageUrl(headers: Headers, current: URL): URL | null {
  const link = headers.get("link");
  if (link) {
    for (const part of link.split(",")) {
      const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
      if (match && /\brel="?next"?/.test(match[2])) {
        const next = new URL(match[1], current);
        // Follow only the same server: a Link header must not send our token elsewhere.
        return next.origin === current.origin ? next : null;
      }
    }
  }
  const nextPage = headers.get("x-next-page");
  if (nextPage && /^\d+$/.test(nextPage.trim())) {
    const next = new URL(current);
    next.searchParams.set("page", nextPage.trim());
    return next;
  }
  return null;
}
