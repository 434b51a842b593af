import fs from "node:fs";
import path from "node:path";
import type { Locale } from "./locales";

type Messages = Record<string, unknown>;

// Read at run time from the source tree, which `next start` runs in (not bundled: catalogs stay editable).
const MESSAGES_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "lib", "i18n", "messages");
const cache = new Map<Locale, Messages>();

/**
 * A locale's catalog: every lib/i18n/messages/<locale>/*.json merged. One file per feature keeps
 * features from editing each other's catalogs; each file holds its own top-level namespace.
 */
export function loadMessages(locale: Locale, directory = MESSAGES_DIR): Messages {
  const cached = cache.get(locale);
  if (cached && directory === MESSAGES_DIR) return cached;
  const folder = path.join(directory, locale);
  const merged: Messages = {};
  for (const file of fs
    .readdirSync(/*turbopackIgnore: true*/ folder)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const content = JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ path.join(folder, file), "utf8")) as Messages;
    for (const [namespace, value] of Object.entries(content)) {
      if (namespace in merged) throw new Error(`Message namespace "${namespace}" is defined twice (${locale}/${file})`);
      merged[namespace] = value;
    }
  }
  if (directory === MESSAGES_DIR && process.env.NODE_ENV === "production") cache.set(locale, merged);
  return merged;
}
