import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_CONTRACTS } from "@/lib/guard/action-contracts";

/** Every file under app/, components/ and lib/ that starts with "use server", found on disk so none is forgotten. */
function serverActionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : serverActionFiles(full);
    if (!/\.(ts|tsx)$/.test(entry.name)) return [];
    return /^\s*["']use server["']/.test(fs.readFileSync(full, "utf8")) ? [full] : [];
  });
}

function exportedNames(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  return [...source.matchAll(/^export (?:async function|const) (\w+)/gm)].map((m) => m[1]);
}

const actions = ["app", "components", "lib"]
  .flatMap((dir) => serverActionFiles(path.resolve(dir)))
  .flatMap((file) => exportedNames(file).map((name) => ({ name, file: path.relative(process.cwd(), file) })));

describe("every server action has one argument contract", () => {
  it("finds the actions", () => {
    expect(actions.length).toBeGreaterThan(10);
  });

  it.each(actions.map((a) => [a.name, a.file]))("%s (%s)", (name) => {
    expect(Object.keys(ACTION_CONTRACTS), `add ${name} to lib/guard/action-contracts.ts`).toContain(name);
  });

  it("names are unique, so a name identifies one action", () => {
    const names = actions.map((a) => a.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("no contract is left for an action that no longer exists", () => {
    const names = new Set(actions.map((a) => a.name));
    expect(Object.keys(ACTION_CONTRACTS).filter((name) => !names.has(name))).toEqual([]);
  });
});
