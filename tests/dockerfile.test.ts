import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The image cannot be built on the development machines (docs/deploy.md), so its one
// workspace rule is checked here: `npm ci` installs the lockfile's workspaces and needs each one's
// package.json copied in before it runs.
const root = path.resolve(import.meta.dirname, "..");
const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");

describe("Dockerfile", () => {
  it("copies every workspace package's manifest before npm ci", () => {
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf("RUN npm ci"));
    const packages = readdirSync(path.join(root, "packages"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages)
      expect(beforeInstall).toContain(`COPY packages/${name}/package.json packages/${name}/`);
  });
});
