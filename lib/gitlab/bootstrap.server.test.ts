import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitlab, type FakeGitlab } from "@/tests/gitlab-fake";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

let bootstrap: typeof import("./bootstrap.server");
let db: typeof import("@/lib/db.server").db;
let gitlab: FakeGitlab;
let file: string;
let dir: string;

beforeAll(async () => {
  dir = useFreshDatabase().dir;
  gitlab = await startFakeGitlab();
  gitlab.tokens.set("glpat-admin", { username: "root", scopes: ["api"] });
  file = path.join(dir, "demo-gitlab.json");
  process.env.ASK_CI_BOOTSTRAP_GITLAB = file;
  delete process.env.ASK_CI_SECRET_KEY;
  bootstrap = await import("./bootstrap.server");
  db = (await import("@/lib/db.server")).db;
  (await import("./service.server")).setGitlabClientOptions({
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
  });
});

afterAll(() => gitlab.close());

// Each test starts with no connection, no demo GitLab file and no marker of an earlier registration.
beforeEach(async () => {
  await emptyDatabase(db);
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith("bootstrap-gitlab-") || n === "demo-gitlab.json"))
    fs.rmSync(path.join(dir, name));
});

describe("registerBootstrapGitlab", () => {
  it("says why, and registers nothing, for a missing file or a refused token; tries again next start", async () => {
    const lines: string[] = [];
    await bootstrap.registerBootstrapGitlab((line) => lines.push(line));
    expect(lines.join("\n")).toMatch(/cannot use .*demo-gitlab\.json \(ENOENT\)/);
    fs.writeFileSync(file, JSON.stringify({ url: gitlab.url, adminToken: "glpat-wrong", users: [] }));
    await bootstrap.registerBootstrapGitlab((line) => lines.push(line));
    expect(lines.at(-1)).toMatch(/answered unauthorized; will try again/);
    expect(lines.join("\n")).not.toContain("glpat-wrong");
    expect(await db.gitlabConnection.count()).toBe(0);
  });

  it("registers the demo GitLab once; a deleted connection does not come back", async () => {
    fs.writeFileSync(file, JSON.stringify({ url: gitlab.url, token: "glpat-admin", users: [{ username: "dev" }] }));
    const lines: string[] = [];
    await bootstrap.registerBootstrapGitlab((line) => lines.push(line));
    expect(lines.at(-1)).toMatch(/registered the GitLab connection "demo-gitlab"/);
    const row = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } });
    expect(row).toMatchObject({ url: gitlab.url, tokenUser: "root", tokenScopes: "api" });
    await db.gitlabConnection.delete({ where: { id: row.id } });
    await bootstrap.registerBootstrapGitlab((line) => lines.push(line));
    expect(await db.gitlabConnection.count()).toBe(0);
  });

  it("takes a connection another replica registered meanwhile as registered: no 'try again', marker written", async () => {
    fs.writeFileSync(file, JSON.stringify({ url: gitlab.url, token: "glpat-admin", users: [] }));
    // The other replica's write lands between our look for the name and our own write.
    const service = await import("./service.server");
    const other = await service.addGitlabConnection({
      name: "demo-gitlab",
      credentials: { url: gitlab.url, token: "glpat-admin", caCertificate: undefined },
    });
    expect(other.ok).toBe(true);
    const findUnique = db.gitlabConnection.findUnique;
    db.gitlabConnection.findUnique = (async () => null) as unknown as typeof findUnique;
    const lines: string[] = [];
    try {
      await bootstrap.registerBootstrapGitlab((line) => lines.push(line));
    } finally {
      db.gitlabConnection.findUnique = findUnique;
    }
    expect(lines).toEqual([]);
    expect(await db.gitlabConnection.count()).toBe(1);
    expect(fs.readdirSync(dir).some((n) => n.startsWith("bootstrap-gitlab-"))).toBe(true);
  });
});
