import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOrCreateKeyFile } from "./encryption.server";

describe("the generated key file", () => {
  it("is created once with mode 0600, its path printed, then read back", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-key-"));
    const file = path.join(dir, "nested", "secret.key");
    const lines: string[] = [];
    const created = readOrCreateKeyFile(file, (line) => lines.push(line));
    expect(created).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join("\n")).toContain(file);
    expect(lines.join("\n")).not.toContain(created.toString("hex"));

    const again = readOrCreateKeyFile(file, (line) => lines.push(line));
    expect(again.equals(created)).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it("refuses a file that does not hold a 32-byte key", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ask-ci-key-")), "secret.key");
    fs.writeFileSync(file, "too short");
    expect(() => readOrCreateKeyFile(file, () => undefined)).toThrow(/does not hold a 32-byte key/);
  });
});
