/**
 * Mutation score per core module from Stryker's JSON report (reports/mutation/mutation.json):
 * killed + timeout over all valid mutants (Stryker's own definition), module by module.
 * With `--survivors`, every surviving or uncovered mutant as the line it mutated, before and after.
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

interface Position {
  line: number;
  column: number;
}

interface Mutant {
  status: string;
  mutatorName?: string;
  replacement?: string;
  location?: { start: Position; end: Position };
}

interface Report {
  files: Record<string, { source?: string; mutants: Mutant[] }>;
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

/**
 * Survivors (and mutants no test covered) as "file:line:column status mutator" with the source line
 * and the line as mutated. Stryker often replaces one operand, not the whole condition: reading the
 * original line alone has made us test the wrong mutation by hand.
 */
export function survivorLines(report: Report): string[] {
  const out: string[] = [];
  for (const [file, { source = "", mutants }] of Object.entries(report.files)) {
    const lines = source.split("\n");
    for (const m of mutants) {
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      if (!m.location) continue;
      const { start, end } = m.location;
      const original = lines[start.line - 1] ?? "";
      const replacement = (m.replacement ?? "").split("\n")[0];
      const rest = start.line === end.line ? original.slice(end.column - 1) : " …";
      const mutated = original.slice(0, start.column - 1) + replacement + rest;
      out.push(
        `${file}:${start.line}:${start.column} ${m.status} ${m.mutatorName ?? ""}`.trimEnd(),
        `  - ${original.trim()}`,
        `  + ${mutated.trim()}`,
      );
    }
  }
  return out;
}

if (process.argv[1]?.endsWith("mutation-summary.ts")) {
  const args = process.argv.slice(2);
  const path = args.find((a) => !a.startsWith("--")) ?? "reports/mutation/mutation.json";
  const report = JSON.parse(fs.readFileSync(path, "utf8")) as Report;
  if (args.includes("--survivors")) {
    for (const line of survivorLines(report)) console.log(line);
    process.exit(0);
  }
  for (const { module, detected, valid } of scoresByModule(report)) {
    const score = valid ? ((100 * detected) / valid).toFixed(1) : "—";
    console.log(`${module.padEnd(18)} ${String(score).padStart(5)} %  (${detected} of ${valid} mutants killed)`);
  }
}
