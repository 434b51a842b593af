/**
 * Bundles the production server (server/main.ts: configuration, migrations, custom server) into one
 * plain JavaScript file, so that the running server carries no TypeScript loader (tsx's loader
 * thread and the source maps it turns on for every module cost ~150 MB: docs/benchmarks.md, "The
 * server's own memory"):
 *   .next/ask-ci-server.js             what `npm start` runs; packages load from node_modules, as the
 *                                      app's own bundles load them (next.config.js serverExternalPackages)
 *   .next/standalone/ask-ci-server.js  the container image's, beside Next.js's standalone output
 *                                      (ASK_CI_STANDALONE=1 only): everything inlined except Next.js
 *                                      itself (the standalone output ships it) and native modules
 * Run by `npm run build` after `next build`.
 */
import { build, type BuildOptions } from "esbuild";
import fs from "node:fs";
import path from "node:path";

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  tsconfig: "tsconfig.json",
  logLevel: "warning",
  legalComments: "none",
};

/** `npm start`'s server: scripts/start.ts with every package left to node_modules. */
export async function bundleStart(outfile: string): Promise<void> {
  await build({ ...common, entryPoints: ["scripts/start.ts"], outfile, packages: "external" });
}

async function main(): Promise<void> {
  const start = path.join(".next", "ask-ci-server.js");
  await bundleStart(start);
  console.log(`ask-ci: wrote ${start}`);

  const standalone = path.join(".next", "standalone");
  if (!fs.existsSync(standalone)) return;
  await build({
    ...common,
    entryPoints: ["server/standalone.ts"],
    outfile: path.join(standalone, "ask-ci-server.js"),
    external: ["next", "better-sqlite3", "pg-native"],
  });
  console.log(`ask-ci: wrote ${path.join(standalone, "ask-ci-server.js")}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
