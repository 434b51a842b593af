/**
 * Lays out what the container image runs, from a finished `npm run build`:
 *   tsx scripts/docker/assemble.ts <dir>
 * <dir> gets Next.js's standalone output (server code and the node_modules it traced), the static
 * assets, ask-ci-server.js (server/main.ts bundled), the UI message catalogs (read from disk), and
 * what `prisma migrate deploy` needs at start:
 * the schemas, both migration histories, prisma.config.ts with the three modules it loads, and the
 * Prisma CLI's and the drivers' node_modules. The Dockerfile runs this; so does the standalone smoke
 * test (scripts/test/standalone-smoke.ts), so what CI starts is what the image holds.
 */
import fs from "node:fs";
import path from "node:path";

// Read from disk at run time (not traced by Next.js): the UI catalogs, and what migrations need.
const RUNTIME_FILES = [
  "lib/i18n/messages",
  "prisma",
  "prisma.config.ts",
  "lib/database-url.ts",
  "lib/db/adapter.ts",
  "lib/db/pg-schema-engine-client.ts",
  "scripts/db/unref-long-timers.cjs",
];
// The Prisma CLI (migrate deploy), the config loader it brings, and both drivers with their adapters.
const RUNTIME_PACKAGES = ["prisma", "@prisma/adapter-pg", "@prisma/adapter-better-sqlite3", "better-sqlite3", "pg"];

function copy(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, dereference: true, force: false, errorOnExist: false });
}

/** The directory a package resolves to from `fromDir`, walking up node_modules as Node does. */
function resolvePackage(name: string, fromDir: string, root: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.resolve(dir) === path.resolve(root) || dir === path.dirname(dir)) return null;
    dir = path.dirname(dir);
  }
}

/** Every package directory the roots need at run time (dependencies, optional and peer ones present). */
export function dependencyClosure(roots: string[], root = process.cwd()): string[] {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from: root }));
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = resolvePackage(name, from, root);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
      (name) => !(optionalPeers[name] as { optional?: boolean } | undefined)?.optional,
    );
    for (const dependency of [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...peers,
    ]) {
      queue.push({ name: dependency, from: dir });
    }
  }
  return [...seen].map((dir) => path.relative(root, dir)).sort();
}

export function assemble(out: string, root = process.cwd()): void {
  const standalone = path.join(root, ".next", "standalone");
  if (!fs.existsSync(path.join(standalone, "ask-ci-server.js"))) {
    throw new Error("no .next/standalone/ask-ci-server.js: run `npm run build` first");
  }
  fs.mkdirSync(out, { recursive: true });
  // Symlinks kept as they are: Next.js links its hashed external names (.next/node_modules/pg-<hash>)
  // to node_modules/<name>. Copied as directories, a package would load twice (a second `pg`), and
  // @prisma/adapter-pg would not recognise our pg.Pool as one: it would connect to localhost:5432.
  fs.cpSync(standalone, out, { recursive: true, verbatimSymlinks: true });
  copy(path.join(root, ".next", "static"), path.join(out, ".next", "static"));
  if (fs.existsSync(path.join(root, "public"))) copy(path.join(root, "public"), path.join(out, "public"));
  for (const file of RUNTIME_FILES) copy(path.join(root, file), path.join(out, file));
  for (const dir of dependencyClosure(RUNTIME_PACKAGES, root)) copy(path.join(root, dir), path.join(out, dir));
  // Generated clients are compiled into the server bundle; the image needs no dev or build artefacts.
  fs.rmSync(path.join(out, ".next", "cache"), { recursive: true, force: true });
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: tsx scripts/docker/assemble.ts <dir>");
    process.exit(2);
  }
  assemble(path.resolve(out));
  console.log(`ask-ci: image layout in ${out}`);
}
