import fs from "node:fs";
import path from "node:path";

interface ManifestEntry {
  exportedName?: string;
  filename?: string;
}

interface Manifest {
  node?: Record<string, ManifestEntry>;
}

// Where `next build` (and `next dev`) write which action id is which exported function.
const MANIFESTS = [".next/server/server-reference-manifest.json", ".next/dev/server/server-reference-manifest.json"];

let cached: { file: string; mtimeMs: number; names: Map<string, string> } | null = null;

function load(): Map<string, string> {
  for (const relative of MANIFESTS) {
    // turbopackIgnore: a cwd-relative path from a list would otherwise trace the whole project into the
    // standalone output (next.config.js included, which the container image must not load).
    const file = path.join(/*turbopackIgnore: true*/ process.cwd(), relative);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    // Rebuilt in development as actions change; read again when it did.
    if (cached?.file === file && cached.mtimeMs === stat.mtimeMs) return cached.names;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    const names = new Map<string, string>();
    for (const [id, entry] of Object.entries(manifest.node ?? {}))
      if (entry.exportedName) names.set(id, entry.exportedName);
    cached = { file, mtimeMs: stat.mtimeMs, names };
    return names;
  }
  return new Map();
}

/** The exported name of the server action with this id, or undefined when the build has no such action. */
export function actionNameOf(actionId: string): string | undefined {
  try {
    return load().get(actionId);
  } catch {
    return undefined;
  }
}
