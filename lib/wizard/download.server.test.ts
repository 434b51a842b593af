import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

let profiles: typeof import("./profiles.server");
let download: typeof import("./download.server");

const TOKEN = "glrt-download_test_token_01234";
const PASSWORD = "download-registry-password";
const base64 = (s: string) => Buffer.from(s).toString("base64");

beforeAll(async () => {
  useFreshDatabase();
  profiles = await import("./profiles.server");
  download = await import("./download.server");
});

async function profileId(): Promise<string> {
  const saved = await profiles.saveDraft({
    name: `p-${Math.random()}`,
    connectionId: null,
    step: 6,
    settings: {
      cluster: { namespace: "ci", instanceName: "dl" },
      gitlab: { url: "https://gitlab.example.com/", runnerToken: TOKEN, runnerName: "r" },
      registry: { server: "registry.example.com", username: "u", password: PASSWORD },
    },
  });
  return saved.id;
}

describe("downloadFor", () => {
  it("redacts Secret values by default and says how to create the Secrets", async () => {
    const file = await download.downloadFor(await profileId(), "yaml", false);
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.filename).toBe("dl.yaml");
    expect(file.body).toContain("kubectl -n ci create secret generic dl-token");
    expect(file.body).toContain("create secret docker-registry registry-auth-secret");
    expect(file.body).not.toContain(base64(TOKEN));
    expect(file.body).not.toContain(PASSWORD);
  });

  it("includes the real values only when asked", async () => {
    const file = await download.downloadFor(await profileId(), "yaml", true);
    expect(file.ok && file.body).toContain(base64(TOKEN));
    expect(file.ok && file.filename).toBe("dl-with-secrets.yaml");
  });

  it("never puts the token in Helm values", async () => {
    const file = await download.downloadFor(await profileId(), "helm", true);
    expect(file).toMatchObject({ ok: true, filename: "dl-values.yaml" });
    expect(file.ok && file.body).not.toContain(TOKEN);
  });

  it("answers 404 for an unknown profile and 422 for incomplete settings", async () => {
    expect(await download.downloadFor("nope", "yaml", false)).toMatchObject({ ok: false, status: 404 });
    const draft = await profiles.saveDraft({ name: "draft-only", connectionId: null, step: 0, settings: {} });
    expect(await download.downloadFor(draft.id, "yaml", false)).toMatchObject({ ok: false, status: 422 });
  });
});
