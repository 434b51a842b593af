import type { RunnerRelease } from "./release";

const HEX = /^[0-9a-fA-F]{7}$/;

/**
 * helpers.ShortenToken as the release computes it: the token fragment in pod names
 * (ProjectUniqueName) and the manager.runner.gitlab.com/id-short label.
 */
export function shortenToken(token: string, release: Pick<RunnerRelease, "shortToken" | "glrtrPrefix">): string {
  return release.shortToken === "prefix-stripping" ? shortenStrippingPrefixes(token) : shortenLegacy(token, release);
}

/**
 * Up to v18.1.x (helpers/shorten_token.go): a known prefix is skipped by position only, so a
 * routable token's partition ("glrt-t1_…") stays in: "glrt-t1_AbCdEf…" → "t1_AbCdEf".
 * Go would panic on a glrt- token shorter than 14 characters; such tokens never reach it.
 */
function shortenLegacy(token: string, release: Pick<RunnerRelease, "glrtrPrefix">): string {
  if (token.length < 8) return token;
  if (token.startsWith("glrt-")) return token.slice(5, 14);
  if (release.glrtrPrefix && token.startsWith("glrtr-")) return token.slice(6, 15);
  if (token.startsWith("glcbt-")) return token.slice(6, 15);
  if (token.startsWith("GR") && token.length >= 17 && HEX.test(token.slice(2, 9))) return token.slice(0, 17);
  return token.slice(0, 8);
}

// Applied one after the other, each anchored at the start (v18.2.0+ helpers/shorten_token.go).
const PREFIXES = [/^glrt-(t[123]_)?|^t[123]_|^glrtr-/, /^glcbt-/, /^GR[0-9A-Fa-f]{7}/];

/** Since v18.2.0: strip the known prefixes, then take 9 characters. */
function shortenStrippingPrefixes(token: string): string {
  let rest = token;
  for (const prefix of PREFIXES) rest = rest.replace(prefix, "");
  return rest.slice(0, 9);
}
