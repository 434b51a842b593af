/**
 * Text from outside (the cluster, GitLab, a request) made safe to store and show: unpaired UTF-16
 * surrogates become U+FFFD (they are not valid Unicode: SQLite drivers, PostgreSQL and JSON
 * encoders refuse or mangle them), NUL is removed (PostgreSQL's text type cannot hold it), and the
 * length is capped in code points so a cut never splits a character. Bidirectional controls stay:
 * they are legitimate in names, and React renders them as text, never as markup.
 */
export function storableText(value: string, maxLength: number): string {
  const clean = wellFormed(value).replaceAll("\u0000", "");
  if (clean.length <= maxLength) return clean;
  return Array.from(clean).slice(0, maxLength).join("");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed (ES2024), which the project's TypeScript lib (ES2023) does not declare. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD");
}

/** storableText, keeping null and undefined as null. */
export function storableOrNull(value: string | null | undefined, maxLength: number): string | null {
  return typeof value === "string" ? storableText(value, maxLength) : null;
}

/** decodeURIComponent that gives null for malformed percent-encoding ("%E0%A4%A") instead of throwing. */
export function safeDecodeURIComponent(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
