import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

let bootstrap: typeof import("./bootstrap.server");
let db: typeof import("@/lib/db.server").db;
let decryptJson: typeof import("@/lib/crypto/encryption.server").decryptJson;
let file: string;
let dir: string;

const settings = (token: string) => ({
  cluster: { namespace: "gitlab-runner", instanceName: "ask-ci-demo", createNamespace: false },
  gitlab: { url: "http://127.0.0.1:8929/", runnerToken: token, runnerName: "ask-ci-demo", concurrent: 4 },
});

function writeRunners(runners: Array<{ name: string; gitlabRunnerId: number; settings: unknown }>) {
  fs.writeFileSync(file, JSON.stringify({ gitlabUrl: "http://127.0.0.1:8929", runners }));
}

async function connections() {
  await db.connection.create({
    data: { name: "demo", server: "https://127.0.0.1:6443", authType: "token", credentials: "{}" },
  });
  await db.gitlabConnection.create({ data: { name: "demo-gitlab", url: "http://127.0.0.1:8929", credentials: "{}" } });
}

beforeAll(async () => {
  dir = useFreshDatabase().dir;
  file = path.join(dir, "demo-runners.json");
  process.env.ASK_CI_BOOTSTRAP_RUNNERS = file;
  bootstrap = await import("./bootstrap.server");
  db = (await import("@/lib/db.server")).db;
  decryptJson = (await import("@/lib/crypto/encryption.server")).decryptJson;
});

afterAll(() => {
  delete process.env.ASK_CI_BOOTSTRAP_RUNNERS;
});

beforeEach(async () => {
  await emptyDatabase(db);
  for (const name of ["demo-runners.json", "bootstrap-runners.json"]) fs.rmSync(path.join(dir, name), { force: true });
});

describe("registerBootstrapRunners", () => {
  it("makes each runner an applied profile on the bootstrap cluster, linked to its runner in the bootstrap GitLab, the token encrypted", async () => {
    await connections();
    writeRunners([{ name: "ask-ci-demo", gitlabRunnerId: 7, settings: settings("glrt-t1_FromTheDemoGitLab1234") }]);
    const lines: string[] = [];
    await bootstrap.registerBootstrapRunners((line) => lines.push(line));
    const profile = await db.runnerProfile.findUniqueOrThrow({ where: { name: "ask-ci-demo" } });
    const cluster = await db.connection.findUniqueOrThrow({ where: { name: "demo" } });
    const gitlab = await db.gitlabConnection.findUniqueOrThrow({ where: { name: "demo-gitlab" } });
    expect(profile).toMatchObject({
      status: "applied",
      connectionId: cluster.id,
      gitlabConnectionId: gitlab.id,
      gitlabRunnerId: 7,
    });
    expect(profile.settings).not.toContain("glrt-");
    expect(JSON.parse(profile.settings).gitlab.url).toBe("http://127.0.0.1:8929/");
    expect(decryptJson<{ runnerToken: string }>(profile.secrets!).runnerToken).toBe("glrt-t1_FromTheDemoGitLab1234");
    expect(lines.join("\n")).not.toContain("glrt-");
  });

  it("waits for both connections (the next start tries again)", async () => {
    writeRunners([{ name: "ask-ci-demo", gitlabRunnerId: 7, settings: settings("glrt-t1_FromTheDemoGitLab1234") }]);
    await bootstrap.registerBootstrapRunners(() => {});
    expect(await db.runnerProfile.count()).toBe(0);
    await connections();
    await bootstrap.registerBootstrapRunners(() => {});
    expect(await db.runnerProfile.count()).toBe(1);
  });

  it("once per runner: a deleted profile stays deleted, a user's own profile of that name is left alone", async () => {
    await connections();
    await db.runnerProfile.create({ data: { name: "mine", settings: "{}" } });
    writeRunners([
      { name: "ask-ci-demo", gitlabRunnerId: 7, settings: settings("glrt-t1_FromTheDemoGitLab1234") },
      {
        name: "mine",
        gitlabRunnerId: 8,
        settings: {
          ...settings("glrt-t1_Other0123456789"),
          gitlab: { ...settings("glrt-t1_Other0123456789").gitlab, runnerName: "mine" },
        },
      },
    ]);
    await bootstrap.registerBootstrapRunners(() => {});
    expect((await db.runnerProfile.findUniqueOrThrow({ where: { name: "mine" } })).gitlabRunnerId).toBeNull();
    await db.runnerProfile.delete({ where: { name: "ask-ci-demo" } });
    await bootstrap.registerBootstrapRunners(() => {});
    expect(await db.runnerProfile.findUnique({ where: { name: "ask-ci-demo" } })).toBeNull();
  });

  it("a runner created anew (the GitLab's state reset) gives its profile the new token and runner id", async () => {
    await connections();
    writeRunners([{ name: "ask-ci-demo", gitlabRunnerId: 7, settings: settings("glrt-t1_FromTheDemoGitLab1234") }]);
    await bootstrap.registerBootstrapRunners(() => {});
    writeRunners([{ name: "ask-ci-demo", gitlabRunnerId: 9, settings: settings("glrt-t1_CreatedAgainAfterReset") }]);
    await bootstrap.registerBootstrapRunners(() => {});
    const profile = await db.runnerProfile.findUniqueOrThrow({ where: { name: "ask-ci-demo" } });
    expect(profile.gitlabRunnerId).toBe(9);
    expect(decryptJson<{ runnerToken: string }>(profile.secrets!).runnerToken).toBe("glrt-t1_CreatedAgainAfterReset");
  });

  it("says why a file cannot be used, and makes nothing", async () => {
    await connections();
    fs.writeFileSync(file, JSON.stringify({ runners: [{ name: "x" }] }));
    const lines: string[] = [];
    await bootstrap.registerBootstrapRunners((line) => lines.push(line));
    expect(lines.join("\n")).toMatch(/cannot use .*demo-runners\.json \(not a runners file\)/);
    writeRunners([{ name: "ask-ci-demo", gitlabRunnerId: 7, settings: { gitlab: { url: "not a url" } } }]);
    await bootstrap.registerBootstrapRunners((line) => lines.push(line));
    expect(lines.at(-1)).toMatch(/settings of ask-ci-demo are not valid/);
    expect(await db.runnerProfile.count()).toBe(0);
  });
});
