import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleStart } from "./build-server";

// Inside the checkout: the bundle leaves packages to node_modules, found upwards from its directory.
const dir = fs.mkdtempSync(path.join(process.cwd(), "node_modules", ".cache-build-server-test-"));
const outfile = path.join(dir, "ask-ci-server.js");

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm start's server bundle", () => {
  it("is plain JavaScript that runs under node without a TypeScript loader", { timeout: 60_000 }, async () => {
    await bundleStart(outfile);
    const source = fs.readFileSync(outfile, "utf8");
    // Packages stay outside (one copy each, shared with the app's bundles); no loader is pulled in.
    expect(source).toMatch(/require\("next"\)/);
    expect(source).not.toMatch(/require\("tsx/);

    // main() validates the environment before anything else: a wrong variable stops it with one line.
    const run = spawnSync(process.execPath, [outfile], {
      cwd: process.cwd(),
      encoding: "utf8",
      env: { PATH: process.env.PATH, NODE_ENV: "production", ASK_CI_ALERT_INTERVAL_SECONDS: "0" },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Invalid configuration: ASK_CI_ALERT_INTERVAL_SECONDS");
  });
});
