import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

// What `npm install` checks (EBADENGINE) and what package.json promises, from the lockfile.
const root = path.resolve(import.meta.dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

const installed = Object.entries(lock.packages)
  .filter(([where]) => where.startsWith("node_modules/") || where.includes("/node_modules/"))
  .map(([where, entry]) => ({
    name: where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length),
    node: !Array.isArray(entry.engines) ? entry.engines?.node : undefined,
  }))
  .filter((p): p is { name: string; node: string } => typeof p.node === "string");

describe("Node versions", () => {
  it("every installed package accepts the Node these machines run, so the install is clean", () => {
    const refusing = installed
      .filter((p) => !semver.satisfies(process.version, p.node))
      .map((p) => `${p.name} (${p.node})`);
    expect(refusing).toEqual([]);
  });

  it("every package accepts the oldest Node package.json's engines allows, so engines tells the truth", () => {
    const oldest = semver.minVersion(manifest.engines.node)!.version;
    const refusing = installed.filter((p) => !semver.satisfies(oldest, p.node)).map((p) => `${p.name} (${p.node})`);
    expect(refusing).toEqual([]);
  });
});
