/**
 * Text-field encodings of the settings' maps and lists, so the wizard can edit them in a
 * textarea: "key=value" per line for labels/annotations, one entry per line (or comma) for lists.
 */

export function mapToText(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}

/** Lines without "=" become keys with an empty value, so the schema reports them instead of them vanishing. */
export function textToMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    if (eq < 0) map[trimmed] = "";
    else map[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return map;
}

export function listToText(list: string[] | undefined, separator = "\n"): string {
  return (list ?? []).join(separator);
}

export function textToList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "" from an emptied number input or optional text field means "not set". */
export function emptyToUndefined<T>(value: T): T | undefined {
  return value === "" || (typeof value === "number" && Number.isNaN(value)) ? undefined : value;
}
