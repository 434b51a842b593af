import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyDatabase, useFreshDatabase } from "@/tests/test-db";

let profiles: typeof import("./profiles.server");
let db: typeof import("@/lib/db.server").db;

const TOKEN = "glrt-profile_test_token_0123456";
const settings = {
  cluster: { namespace: "ci", instanceName: "gitlab-runner", createNamespace: true },
  gitlab: {
    url: "https://gitlab.example.com/",
    runnerToken: TOKEN,
    runnerName: "r",
    concurrent: 4,
    checkIntervalSeconds: 3,
  },
  registry: { server: "registry.example.com", username: "u", password: "registry-pw-123" },
};

beforeAll(async () => {
  useFreshDatabase();
  profiles = await import("./profiles.server");
  db = (await import("@/lib/db.server")).db;
});

beforeEach(() => emptyDatabase(db));

describe("runner profiles", () => {
  it("stores settings without secrets and the secrets only encrypted", async () => {
    const saved = await profiles.saveDraft({ name: "prod", connectionId: null, step: 2, settings });
    const row = await db.runnerProfile.findUniqueOrThrow({ where: { id: saved.id } });
    for (const column of [row.settings, row.secrets ?? ""]) {
      expect(column).not.toContain(TOKEN);
      expect(column).not.toContain("registry-pw-123");
    }
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    expect(saved.savedSecrets).toEqual({ runnerToken: true, registryPassword: true, ossAccessKeySecret: false });
    expect(saved).toMatchObject({ status: "draft", step: 2 });
  });

  it("keeps stored secrets when a later save leaves them empty, and validates the merged settings", async () => {
    const first = await profiles.saveDraft({ name: "keep", connectionId: null, step: 1, settings });
    await profiles.saveDraft({
      id: first.id,
      name: "keep",
      connectionId: null,
      step: 3,
      settings: {
        ...settings,
        gitlab: { ...settings.gitlab, runnerToken: "", concurrent: 8 },
        registry: { ...settings.registry, password: "" },
      },
    });
    const loaded = await profiles.loadProfileSettings(first.id);
    expect(loaded).toMatchObject({
      ok: true,
      settings: { gitlab: { runnerToken: TOKEN, concurrent: 8 }, registry: { password: "registry-pw-123" } },
    });
  });

  it("reports schema issues of an incomplete draft instead of throwing", async () => {
    const draft = await profiles.saveDraft({
      name: "half",
      connectionId: null,
      step: 0,
      settings: { cluster: { namespace: "Bad Name" } },
    });
    const loaded = await profiles.loadProfileSettings(draft.id);
    expect(loaded).toMatchObject({
      ok: false,
      issues: expect.arrayContaining([expect.objectContaining({ path: "cluster.namespace" })]),
    });
  });

  it("refuses a duplicate name and an unknown id", async () => {
    await profiles.saveDraft({ name: "prod", connectionId: null, step: 0, settings: {} });
    await expect(profiles.saveDraft({ name: "prod", connectionId: null, step: 0, settings: {} })).rejects.toMatchObject(
      { status: 409 },
    );
    await expect(
      profiles.saveDraft({ id: "nope", name: "x", connectionId: null, step: 0, settings: {} }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
