/**
 * Mutation score per core module from Stryker's JSON report (reports/mutation/mutation.json):
 * killed + timeout over all valid mutants (Stryker's own definition), module by module.
 */
import fs from "node:fs";

// Issue 19's core modules, then the request guard, the job lifecycle and the CSV writer (a module
// may be one file).
const MODULES = [
  "lib/auth",
  "lib/cost",
  "packages/billing",
  "lib/monitor",
  "lib/manifests",
  "lib/guard",
  "lib/job-history",
  "lib/csv.ts",
];
const DETECTED = new Set(["Killed", "Timeout"]);
const VALID = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);

interface Report {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}

export function scoresByModule(report: Report): Array<{ module: string; detected: number; valid: number }> {
  return MODULES.map((module) => {
    let detected = 0;
    let valid = 0;
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const path = file.replace(/^\.\//, "");
      if (path !== module && !path.startsWith(`${module}/`)) continue;
      for (const m of mutants) {
        if (VALID.has(m.status)) valid++;
        if (DETECTED.has(m.status)) detected++;
      }
    }
    return { module, detected, valid };
  });
}

if (process.argv[1]?.endsWith("mutation-summary.ts")) {
  const path = process.argv[2] ?? "reports/mutation/mutation.json";
  const report = JSON.parse(fs.readFileSync(path, "utf8")) as Report;
  for (const { module, detected, valid } of scoresByModule(report)) {
    const score = valid ? ((100 * detected) / valid).toFixed(1) : "—";
    console.log(`${module.padEnd(18)} ${String(score).padStart(5)} %  (${detected} of ${valid} mutants killed)`);
  }
}
