/**
 * `npm run bench`: runs every benchmark in scripts/bench/ one after another (not part of `npm test`;
 * they take minutes and want an otherwise idle machine). Figures go to docs/benchmarks.md by hand.
 * `npm run bench -- monitor` runs only the benchmarks whose file name contains "monitor".
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const directory = path.join(process.cwd(), "scripts", "bench");
const filter = process.argv[2];
const files = fs
  .readdirSync(directory)
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && (!filter || name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark in scripts/bench/${filter ? ` matching "${filter}"` : ""}`);
  process.exit(1);
}

let failed = 0;
for (const file of files) {
  console.log(`\n== ${file} ==`);
  const result = spawnSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), path.join(directory, file)],
    {
      stdio: "inherit",
    },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
