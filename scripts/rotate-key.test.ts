import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DecryptionError, decryptWithKey, encryptWithKey, keyFingerprint } from "@/lib/crypto/envelope";
import { useFreshDatabase } from "@/tests/test-db";

let db: typeof import("@/lib/db.server").db;
let rotate: typeof import("./rotate-key");
let keyFile: string;

const oldKey = randomBytes(32);
const newKey = randomBytes(32);

beforeAll(async () => {
  const { dir } = useFreshDatabase();
  delete process.env.ASK_CI_SECRET_KEY;
  keyFile = path.join(dir, "secret.key");
  db = (await import("@/lib/db.server")).db;
  rotate = await import("./rotate-key");
});

// Each test starts with the old key in the key file (and not in the environment).
beforeEach(() => {
  fs.writeFileSync(keyFile, oldKey.toString("hex"), { mode: 0o600 });
  delete process.env.ASK_CI_SECRET_KEY;
});

async function seed() {
  await db.connection.deleteMany();
  await db.runnerProfile.deleteMany();
  const connection = await db.connection.create({
    data: {
      name: "a",
      server: "https://a",
      authType: "token",
      credentials: encryptWithKey({ token: "token-a" }, oldKey),
    },
  });
  await db.connection.create({
    data: {
      name: "b",
      server: "https://b",
      authType: "token",
      credentials: encryptWithKey({ token: "token-b" }, oldKey),
    },
  });
  await db.runnerProfile.create({
    data: {
      name: "p",
      settings: "{}",
      secrets: encryptWithKey({ runnerToken: "glrt-x" }, oldKey),
      connectionId: connection.id,
    },
  });
  await db.runnerProfile.create({ data: { name: "no-secrets", settings: "{}" } });
  await db.gitlabConnection.deleteMany();
  await db.gitlabConnection.create({
    data: {
      name: "gl",
      url: "https://gitlab.example.com",
      credentials: encryptWithKey({ token: "glpat-x", webhookSecret: "w" }, oldKey),
    },
  });
}

describe("npm run rotate-key", () => {
  it("refuses a malformed new key", async () => {
    const lines: string[] = [];
    expect(await rotate.main(["--new-key", "abc"], (line) => lines.push(line))).toBe(2);
    expect(lines.join("\n")).toMatch(/32 bytes/);
    expect(fs.readFileSync(keyFile, "utf8")).toBe(oldKey.toString("hex"));
  });

  it("re-encrypts every envelope and replaces the key file", async () => {
    await seed();
    const lines: string[] = [];
    expect(await rotate.main(["--new-key", newKey.toString("base64")], (line) => lines.push(line))).toBe(0);
    expect(lines.join("\n")).toContain("2 connection(s), 1 runner profile secret(s) and 1 GitLab connection(s)");
    expect(fs.readFileSync(keyFile, "utf8").trim()).toBe(newKey.toString("hex"));
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const connections = await db.connection.findMany({ orderBy: { name: "asc" } });
    expect(connections.map((row) => decryptWithKey<{ token: string }>(row.credentials, newKey).token)).toEqual([
      "token-a",
      "token-b",
    ]);
    expect(() => decryptWithKey(connections[0].credentials, oldKey)).toThrow(DecryptionError);
    const profile = await db.runnerProfile.findUniqueOrThrow({ where: { name: "p" } });
    expect(decryptWithKey(profile.secrets!, newKey)).toEqual({ runnerToken: "glrt-x" });
    expect((await db.runnerProfile.findUniqueOrThrow({ where: { name: "no-secrets" } })).secrets).toBeNull();
    const gitlab = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "gl" } });
    expect(decryptWithKey(gitlab.credentials, newKey)).toEqual({ token: "glpat-x", webhookSecret: "w" });
  });

  it("changes nothing when one envelope cannot be opened", async () => {
    await seed();
    const stranger = randomBytes(32);
    await db.connection.create({
      data: {
        name: "z",
        server: "https://z",
        authType: "token",
        credentials: encryptWithKey({ token: "t" }, stranger),
      },
    });
    const before = (await db.connection.findMany({ orderBy: { name: "asc" } })).map((row) => row.credentials);

    const lines: string[] = [];
    expect(await rotate.main(["--new-key", newKey.toString("hex")], (line) => lines.push(line))).toBe(1);
    expect(lines.join("\n")).toMatch(/nothing was changed: connection "z": cannot decrypt/);
    expect((await db.connection.findMany({ orderBy: { name: "asc" } })).map((row) => row.credentials)).toEqual(before);
    expect(fs.readFileSync(keyFile, "utf8")).toBe(oldKey.toString("hex"));
    expect(fs.existsSync(`${keyFile}.new`)).toBe(false);
  });

  it("with ASK_CI_SECRET_KEY: rotates and asks for the variable to be changed, leaving files alone", async () => {
    fs.writeFileSync(keyFile, "unrelated");
    await seed();
    process.env.ASK_CI_SECRET_KEY = oldKey.toString("hex");
    try {
      const lines: string[] = [];
      expect(await rotate.main(["--new-key", newKey.toString("hex")], (line) => lines.push(line))).toBe(0);
      expect(lines.join("\n")).toMatch(/set ASK_CI_SECRET_KEY to the new key/);
      expect(fs.readFileSync(keyFile, "utf8")).toBe("unrelated");
      const row = await db.connection.findUniqueOrThrow({ where: { name: "a" } });
      expect(JSON.parse(row.credentials).keyId).toBe(keyFingerprint(newKey));
    } finally {
      delete process.env.ASK_CI_SECRET_KEY;
    }
  });
});
