/**
 * Bundles the production server (server/main.ts: configuration, migrations, custom server) into
 * one file for the container image, beside Next.js's standalone output:
 *   .next/standalone/ask-ci-server.js
 * Everything is inlined except Next.js itself (the standalone output ships it) and native modules.
 * Run by `npm run build` after `next build`.
 */
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";

async function main(): Promise<void> {
  const standalone = path.join(".next", "standalone");
  if (!fs.existsSync(standalone)) {
    // Only the image build (ASK_CI_STANDALONE=1) has a standalone output; `npm start` needs no bundle.
    return;
  }
  await build({
    entryPoints: ["server/standalone.ts"],
    outfile: path.join(standalone, "ask-ci-server.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["next", "better-sqlite3", "pg-native"],
    tsconfig: "tsconfig.json",
    logLevel: "warning",
    legalComments: "none",
  });
  console.log(`ask-ci: wrote ${path.join(standalone, "ask-ci-server.js")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
