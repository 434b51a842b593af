import { beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
// The request's locale as next-intl resolves it (cookie, then Accept-Language).
const locale = vi.hoisted(() => ({ current: "en" }));
vi.mock("next-intl/server", () => ({ getLocale: async () => locale.current }));

let actions: typeof import("./actions");

beforeAll(async () => {
  useFreshDatabase();
  actions = await import("./actions");
  const { db } = await import("@/lib/db.server");
  const user = await db.user.create({ data: { username: "admin", subject: "admin", passwordHash: "x" } });
  await (await import("@/lib/auth/session.server")).startSession(user.id);
});

const draft = (name: string, settings: Record<string, unknown>) => ({ name, connectionId: null, step: 1, settings });

describe("setup actions answer in the request's language", () => {
  it("review: the settings' issues", async () => {
    const saved = await actions.saveDraftAction(draft("half", { cluster: { namespace: "kube-ci" } }));
    if (!saved.ok) throw new Error(saved.error);

    locale.current = "zh-CN";
    const zh = await actions.reviewAction(saved.profile.id, "cn");
    locale.current = "en";
    const english = await actions.reviewAction(saved.profile.id, "cn");
    if (zh.ok || english.ok) throw new Error("expected issues");

    expect(zh.error).toBe("设置不完整或无效");
    expect(english.error).toBe("The settings are not complete or not valid");
    expect(zh.issues?.find((i) => i.path === "cluster.namespace")?.message).toBe(
      "kube-* 命名空间属于 Kubernetes 自身；请为 CI 另选一个命名空间，例如 gitlab-ci",
    );
    expect(english.issues?.find((i) => i.path === "cluster.namespace")?.message).toBe(
      "kube-* namespaces belong to Kubernetes itself; pick a namespace for CI such as gitlab-ci",
    );
    // The missing GitLab step: zod's own "required", worded by the catalog.
    expect(zh.issues?.find((i) => i.path === "gitlab")?.message).toBe("此项为必填项");
    expect(zh.issues?.length).toBe(english.issues?.length);
  });

  it("saving a draft: a taken name and a vanished connection", async () => {
    await actions.saveDraftAction(draft("prod", {}));
    locale.current = "zh-CN";
    expect(await actions.saveDraftAction(draft("prod", {}))).toEqual({ ok: false, error: "名为“prod”的配置已存在" });
    expect(await actions.saveDraftAction({ ...draft("other", {}), connectionId: "gone" })).toEqual({
      ok: false,
      error: "该集群连接已不存在",
    });
    locale.current = "en";
    expect(await actions.saveDraftAction(draft("prod", {}))).toEqual({
      ok: false,
      error: 'A profile named "prod" already exists',
    });
  });
});
