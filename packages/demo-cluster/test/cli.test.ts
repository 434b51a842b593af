import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function run(...args: string[]) {
  return spawnSync(
    process.execPath,
    [
      path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
      path.join(root, "packages", "demo-cluster", "src", "cli.ts"),
      ...args,
    ],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
}

describe("npm run demo-cluster", () => {
  it("--help lists every flag and exits 0 without starting a server", { timeout: 60_000 }, () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    for (const flag of [
      "--port",
      "--host",
      "--kubeconfig",
      "--state",
      "--seed",
      "--jobs-per-minute",
      "--speed",
      "--failure-rate",
      "--watch-window",
      "--no-simulation",
      "--empty",
      "--log-requests",
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).not.toContain("serving");
  });

  it.each([
    [["--failure-rate", "1.5"], '--failure-rate must be a number from 0 to 1, got "1.5"'],
    [["--speed", "0"], '--speed must be a number above 0, got "0"'],
    [["--bogus"], "Unknown option '--bogus'"],
  ])("%j exits 2 with a message", { timeout: 60_000 }, (args, message) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });
});
