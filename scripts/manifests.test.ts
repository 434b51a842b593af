import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { toBase64 } from "@/lib/manifests/base64";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLE = path.join(ROOT, "lib/manifests/__fixtures__/example-settings.yaml");
const TOKEN = "glrt-EXAMPLE_TOKEN_0123456789";

function cli(...args: string[]) {
  const result = spawnSync(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [path.join(ROOT, "scripts/manifests.ts"), ...args],
    { cwd: ROOT, encoding: "utf8" },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run manifests", () => {
  it("--help prints usage and exits 0", () => {
    const { code, stdout } = cli("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("--settings");
  });

  it("exits 2 without --settings/--out", () => {
    expect(cli("--out", "-").code).toBe(2);
  });

  it("writes one file per object plus all.yaml, Secrets redacted by default", () => {
    const out = mkdtempSync(path.join(tmpdir(), "manifests-"));
    const { code } = cli("--settings", EXAMPLE, "--out", out);
    expect(code).toBe(0);
    const files = readdirSync(out).sort();
    const all = readFileSync(path.join(out, "all.yaml"), "utf8");
    const docs = parseAllDocuments(all).map((d) => d.toJS());
    expect(files).toHaveLength(docs.length + 1);
    expect(files).toContain("12-deployment-gitlab-runner.yaml");
    expect(all).not.toContain(toBase64(TOKEN));
    expect(all).toContain("<redacted>");
  });

  it("--no-redact writes the real token (base64) to stdout with --out -", () => {
    const { code, stdout } = cli("--settings", EXAMPLE, "--out", "-", "--no-redact");
    expect(code).toBe(0);
    expect(stdout).toContain(toBase64(TOKEN));
  });

  it("--format helm writes values.yaml", () => {
    const { code, stdout } = cli("--settings", EXAMPLE, "--out", "-", "--format", "helm");
    expect(code).toBe(0);
    expect(parse(stdout).gitlabUrl).toBe("https://gitlab.example.com/");
  });

  it("exits 1 with field path: message lines on bad settings, and writes nothing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "manifests-bad-"));
    const file = path.join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        cluster: { namespace: "Not_A_Label" },
        gitlab: { url: "https://gitlab.example.com", runnerToken: "GR1348941abcdefghijklmn", runnerName: "x" },
      }),
    );
    const out = path.join(dir, "out");
    const { code, stderr } = cli("--settings", file, "--out", out);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cluster\.namespace: Namespace may contain only/);
    expect(stderr).toMatch(/gitlab\.runnerToken: This looks like a legacy registration token/);
    expect(readdirSync(dir)).toEqual(["bad.json"]);
  });

  it("exits 1 when the settings file is missing", () => {
    expect(cli("--settings", "/nonexistent.yaml", "--out", "-").code).toBe(1);
  });
});
