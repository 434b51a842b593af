/**
 * One cookie's value from a Cookie header, undefined when absent or not valid percent-encoding
 * (ignored, as Next's own cookie parser does for pages, so a mangled cookie is "no session", not a 500).
 */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
