import { beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

const locale = vi.hoisted(() => ({ current: "zh-CN" }));
vi.mock("next-intl/server", () => ({ getLocale: async () => locale.current }));

let profiles: typeof import("@/lib/wizard/profiles.server");
let requestValidation: typeof import("./validation.server").requestValidation;

beforeAll(async () => {
  useFreshDatabase();
  profiles = await import("@/lib/wizard/profiles.server");
  ({ requestValidation } = await import("./validation.server"));
});

const HAN = /\p{Script=Han}/u;

describe("server-side validation in the request's locale", () => {
  it.each([
    ["zh-CN", "zh-CN"],
    ["en", "en"],
    ["fr", "en"],
  ])("request locale %s -> messages in %s", async (requested, expected) => {
    locale.current = requested;
    const validation = await requestValidation();
    expect(validation.locale).toBe(expected);
    expect(validation.t("server.settingsInvalid")).toMatch(expected === "zh-CN" ? HAN : /^The settings/);
  });

  it("a saved profile's issues come back in the asked locale, and in English without one", async () => {
    const draft = await profiles.saveDraft({
      name: "half",
      connectionId: null,
      step: 0,
      settings: {
        cluster: { namespace: "kube-ci" },
        gitlab: { url: "https://gitlab.example.com", runnerToken: "glrt-abc", runnerName: "r", concurrent: Number.NaN },
      },
    });
    const zh = await profiles.loadProfileSettings(draft.id, "zh-CN");
    const english = await profiles.loadProfileSettings(draft.id);
    if (zh.ok || english.ok) throw new Error("expected issues");
    expect(zh.issues.map((i) => i.path)).toEqual(english.issues.map((i) => i.path));
    expect(Object.fromEntries(zh.issues.map((i) => [i.path, i.message]))).toMatchObject({
      "cluster.namespace": "kube-* 命名空间属于 Kubernetes 自身；请为 CI 另选一个命名空间，例如 gitlab-ci",
      "gitlab.runnerToken": expect.stringMatching(/^令牌似乎不完整/),
    });
    for (const issue of zh.issues) expect(issue.message).toMatch(HAN);
    expect(english.issues.find((i) => i.path === "cluster.namespace")?.message).toBe(
      "kube-* namespaces belong to Kubernetes itself; pick a namespace for CI such as gitlab-ci",
    );
  });
});
