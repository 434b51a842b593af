import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { cookieJar, requestHeaders } from "@/tests/mock-next-headers";
import { useFreshDatabase } from "@/tests/test-db";
import { signedInAs } from "@/tests/users";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

/**
 * Every change recorded in the audit log with who, from where, what, on what and how it ended: each
 * action is performed the way the UI performs it (server actions, route handlers) against the demo
 * cluster, and the newest entry is checked.
 */
const ADDRESS = "203.0.113.7";
const RUNNER_TOKEN = "glrt-audit_test_token_0123456789";
const REGISTRY_PASSWORD = "audit-registry-password-42";

let cluster: DemoCluster;
let db: typeof import("@/lib/db.server").db;
let clusters: typeof import("@/app/(dashboard)/clusters/actions");
let settings: typeof import("@/app/(dashboard)/settings/actions");
let setup: typeof import("@/app/(dashboard)/setup/actions");
let users: typeof import("@/app/(dashboard)/settings/users/actions");
let sessions: typeof import("@/app/(dashboard)/settings/sessions/actions");
let audit: typeof import("@/app/(dashboard)/settings/audit/actions");
let login: typeof import("@/app/login/actions");
let admin: Awaited<ReturnType<typeof signedInAs>>;
let operator: Awaited<ReturnType<typeof signedInAs>>;
let connectionId: string;

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

async function latest() {
  return db.auditEvent.findFirstOrThrow({ orderBy: [{ at: "desc" }, { id: "desc" }] });
}

/** Acts with this user's session cookie (server actions read it from the mocked cookie jar). */
function as(user: { cookie: string }) {
  cookieJar.set("ask_ci_session", decodeURIComponent(user.cookie.split("=")[1]));
}

const routeRequest = (user: { cookie: string }, url: string, init: RequestInit = {}) =>
  new Request(`http://localhost${url}`, {
    ...init,
    headers: { cookie: user.cookie, origin: "http://localhost", host: "localhost", "x-forwarded-for": ADDRESS },
  });

beforeAll(async () => {
  useFreshDatabase();
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, simulate: false });
  requestHeaders.set("x-forwarded-for", ADDRESS);
  requestHeaders.set("user-agent", "vitest");
  db = (await import("@/lib/db.server")).db;
  clusters = await import("@/app/(dashboard)/clusters/actions");
  settings = await import("@/app/(dashboard)/settings/actions");
  setup = await import("@/app/(dashboard)/setup/actions");
  users = await import("@/app/(dashboard)/settings/users/actions");
  sessions = await import("@/app/(dashboard)/settings/sessions/actions");
  audit = await import("@/app/(dashboard)/settings/audit/actions");
  login = await import("@/app/login/actions");
  admin = await signedInAs("admin", "ada");
  operator = await signedInAs("operator", "otto");
});

afterAll(async () => {
  await cluster?.stop();
});

// A scenario: one administrator's day, each step leaving the audit entries (and the profile, the
// sessions) the next one reads, ending with a check over the whole log. Its steps run in the order
// written, also when the suite is shuffled (docs/testing.md, "Order independence").
describe("the audit log over one session of changes", { shuffle: false }, () => {
  describe("audit entries for connections (admin)", () => {
    it("create: ok with the connection, and an error with the problem", async () => {
      as(admin);
      const created = await clusters.createConnectionAction({
        name: "demo",
        credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig, skipTlsVerify: false },
        makeDefault: true,
      });
      if (!created.ok) throw new Error(JSON.stringify(created));
      connectionId = created.value.id;
      expect(await latest()).toMatchObject({
        actorName: "ada",
        address: ADDRESS,
        action: "connection.create",
        targetType: "connection",
        targetId: connectionId,
        targetName: "demo",
        result: "ok",
      });
      const refused = await clusters.createConnectionAction({
        name: "bad",
        credentials: { method: "token", server: "http://plain.example", token: cluster.adminToken },
      });
      expect(refused.ok).toBe(false);
      expect(await latest()).toMatchObject({ action: "connection.create", targetName: "bad", result: "error" });
      expect((await latest()).message).toBeTruthy();
    });

    it("update, default and delete", async () => {
      as(admin);
      const other = await clusters.createConnectionAction({
        name: "second",
        credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig },
      });
      if (!other.ok) throw new Error(JSON.stringify(other));
      await clusters.updateConnectionAction(other.value.id, { name: "second-renamed" });
      expect(await latest()).toMatchObject({ action: "connection.update", targetName: "second", result: "ok" });
      expect((await latest()).message).toContain("name");
      await clusters.setDefaultConnectionAction(other.value.id);
      expect(await latest()).toMatchObject({
        action: "connection.default",
        targetName: "second-renamed",
        result: "ok",
      });
      await clusters.setDefaultConnectionAction(connectionId);
      await clusters.deleteConnectionAction(other.value.id);
      expect(await latest()).toMatchObject({
        action: "connection.delete",
        targetId: other.value.id,
        targetName: "second-renamed",
        result: "ok",
      });
    });
  });

  describe("audit entries for prices (admin)", () => {
    it("price book save and reset, ECS price save and delete", async () => {
      as(admin);
      await settings.savePriceBookAction(
        {},
        form({ site: "cn", region: "default", vcpuPerSecond: "0.00004", memoryGiBPerSecond: "0.000005" }),
      );
      expect(await latest()).toMatchObject({ action: "price-book.save", targetName: "cn/default", result: "ok" });
      await settings.savePriceBookAction({}, form({ site: "cn", region: "default", vcpuPerSecond: "lots" }));
      expect(await latest()).toMatchObject({ action: "price-book.save", result: "error" });
      await settings.resetPriceBookAction(form({ site: "cn", region: "default" }));
      expect(await latest()).toMatchObject({ action: "price-book.reset", targetName: "cn/default", result: "ok" });

      await settings.saveEcsPriceAction({}, form({ name: "ecs.g7.xlarge", currency: "CNY", monthlyPrice: "500" }));
      const saved = await latest();
      expect(saved).toMatchObject({ action: "ecs-price.save", targetName: "ecs.g7.xlarge", result: "ok" });
      await settings.deleteEcsPriceAction(form({ id: saved.targetId! }));
      expect(await latest()).toMatchObject({ action: "ecs-price.delete", targetName: "ecs.g7.xlarge", result: "ok" });
    });
  });

  describe("audit entries for runners and pods (operator)", () => {
    let profileId: string;

    it("profile save, a dry run through the run route, and profile delete", async () => {
      as(operator);
      const saved = await setup.saveDraftAction({
        name: "audit-runner",
        connectionId,
        step: 6,
        settings: {
          cluster: { namespace: "ci-audit", instanceName: "audit-runner" },
          gitlab: { url: "https://gitlab.example.com/", runnerToken: RUNNER_TOKEN, runnerName: "audit", concurrent: 2 },
          registry: { server: "registry.example.com", username: "ci", password: REGISTRY_PASSWORD },
        },
      });
      if (!saved.ok) throw new Error(saved.error);
      profileId = saved.profile.id;
      expect(await latest()).toMatchObject({
        actorName: "otto",
        action: "profile.save",
        targetId: profileId,
        targetName: "audit-runner",
        result: "ok",
      });

      const { POST } = await import("@/app/api/setup/run/route");
      const response = await POST(
        routeRequest(operator, "/api/setup/run", {
          method: "POST",
          body: JSON.stringify({ profileId, mode: "dry-run" }),
        }),
      );
      expect(response.status).toBe(200);
      await response.text();
      await vi.waitFor(async () => expect((await latest()).action).toBe("runner.dry-run"), { timeout: 30_000 });
      expect(await latest()).toMatchObject({
        actorName: "otto",
        address: ADDRESS,
        targetName: "audit-runner",
        result: "ok",
      });

      const refused = await POST(
        routeRequest(operator, "/api/setup/run", {
          method: "POST",
          body: JSON.stringify({ profileId, mode: "uninstall", confirm: "wrong" }),
        }),
      );
      expect(refused.status).toBe(422);
      expect(await latest()).toMatchObject({ action: "runner.uninstall", result: "error" });
    }, 60_000);

    it("manifests downloaded with their secrets", async () => {
      const { GET } = await import("@/app/api/setup/profiles/[id]/download/route");
      const response = await GET(
        routeRequest(operator, `/api/setup/profiles/${profileId}/download?format=yaml&secrets=include`),
        { params: Promise.resolve({ id: profileId }) },
      );
      expect(response.status).toBe(200);
      expect(await latest()).toMatchObject({ action: "profile.download-secrets", targetId: profileId, result: "ok" });
    });

    it("pod deletion, and a viewer's refused attempt", async () => {
      const kc = new KubeConfig();
      kc.loadFromString(cluster.kubeconfig);
      const core = kc.makeApiClient(CoreV1Api);
      await core.createNamespacedPod({
        namespace: "gitlab-runner",
        body: {
          metadata: { name: "runner-audit-project-1-concurrent-0" },
          spec: { containers: [{ name: "build", image: "alpine" }] },
        },
      });
      const { DELETE } = await import("@/app/api/monitor/pods/[namespace]/[name]/route");
      const params = {
        params: Promise.resolve({ namespace: "gitlab-runner", name: "runner-audit-project-1-concurrent-0" }),
      };
      const viewer = await signedInAs("viewer", "vic");
      const denied = await DELETE(
        routeRequest(viewer, "/api/monitor/pods/gitlab-runner/runner-audit-project-1-concurrent-0?cluster=demo", {
          method: "DELETE",
        }),
        params,
      );
      expect(denied.status).toBe(403);
      expect(await latest()).toMatchObject({ actorName: "vic", action: "pod.delete", result: "denied" });

      const response = await DELETE(
        routeRequest(operator, "/api/monitor/pods/gitlab-runner/runner-audit-project-1-concurrent-0?cluster=demo", {
          method: "DELETE",
        }),
        params,
      );
      expect(response.status).toBe(200);
      expect(await latest()).toMatchObject({
        actorName: "otto",
        address: ADDRESS,
        action: "pod.delete",
        targetName: "gitlab-runner/runner-audit-project-1-concurrent-0",
        result: "ok",
      });
    });

    it("profile delete", async () => {
      as(operator);
      await setup.deleteProfileAction(profileId);
      expect(await latest()).toMatchObject({ action: "profile.delete", targetName: "audit-runner", result: "ok" });
    });
  });

  describe("audit entries for users, sessions and settings (admin)", () => {
    it("role change (both names), deactivation, reactivation", async () => {
      const gil = await signedInAs("viewer", "gil");
      as(admin);
      await users.setUserRoleAction({}, form({ userId: gil.id, role: "operator" }));
      expect(await latest()).toMatchObject({
        actorName: "ada",
        action: "user.role",
        targetName: "gil",
        result: "ok",
        message: "viewer → operator",
      });
      await users.setUserActiveAction(form({ userId: gil.id, active: "false" }));
      expect(await latest()).toMatchObject({ action: "user.deactivate", targetName: "gil" });
      await users.setUserActiveAction(form({ userId: gil.id, active: "true" }));
      expect(await latest()).toMatchObject({ action: "user.activate", targetName: "gil" });
    });

    it("group rules added and deleted", async () => {
      as(admin);
      await users.addRoleMappingAction(
        {},
        form({ groupPath: "Platform/CI", minAccess: "maintainer", role: "operator" }),
      );
      const added = await latest();
      expect(added).toMatchObject({
        action: "role-mapping.create",
        targetName: "platform/ci (maintainer)",
        result: "ok",
      });
      await users.deleteRoleMappingAction(form({ mappingId: added.targetId! }));
      expect(await latest()).toMatchObject({ action: "role-mapping.delete", targetName: "platform/ci (maintainer)" });
    });

    it("sessions ended by their user and by an admin; another user's session is not theirs to end", async () => {
      const pat = await signedInAs("viewer", "pat");
      const [patSession] = await db.session.findMany({ where: { userId: pat.id } });
      as(operator);
      expect(await sessions.revokeOwnSessionAction(form({ sessionId: patSession.id }))).toEqual({ ok: false });
      as(pat);
      expect(await sessions.revokeOwnSessionAction(form({ sessionId: patSession.id }))).toEqual({ ok: true });
      expect(await latest()).toMatchObject({ actorName: "pat", action: "session.revoke", targetName: "pat" });
      const again = await signedInAs("viewer", "pat");
      const [second] = await db.session.findMany({ where: { userId: again.id } });
      as(admin);
      await users.revokeUserSessionAction(form({ sessionId: second.id }));
      expect(await latest()).toMatchObject({ actorName: "ada", action: "session.revoke", targetName: "pat" });
      expect(await db.session.count({ where: { userId: again.id } })).toBe(0);
    });

    it("audit retention", async () => {
      as(admin);
      expect(await audit.setAuditRetentionAction({}, form({ days: "90" }))).toMatchObject({ ok: true });
      expect(await latest()).toMatchObject({ action: "settings.audit-retention", message: "180 → 90 days" });
      expect(await audit.setAuditRetentionAction({}, form({ days: "0" }))).toEqual({ invalid: true });
    });
  });

  describe("audit entries for password sign-in", () => {
    it("a wrong password, a sign-in and a sign-out", async () => {
      const bcrypt = await import("@/lib/auth/password.server");
      await db.user.create({
        data: {
          username: "root",
          provider: "local",
          subject: "root",
          passwordHash: await bcrypt.hashPassword("right-password"),
        },
      });
      cookieJar.clear();
      expect(await login.login({}, form({ username: "root", password: "wrong-password" }))).toMatchObject({
        error: "invalid",
      });
      expect(await latest()).toMatchObject({
        actorName: "root",
        action: "auth.login-failed",
        result: "error",
        address: ADDRESS,
      });
      expect((await latest()).message).not.toContain("wrong-password");
      await expect(login.login({}, form({ username: "root", password: "right-password" }))).rejects.toMatchObject({
        digest: expect.stringContaining("NEXT_REDIRECT"),
      });
      expect(await latest()).toMatchObject({ actorName: "root", action: "auth.login", result: "ok" });
      await expect(login.logout()).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
      expect(await latest()).toMatchObject({ actorName: "root", action: "auth.logout", result: "ok" });
    });
  });

  describe("the audit log", () => {
    it("never holds a secret", async () => {
      const everything = JSON.stringify(await db.auditEvent.findMany());
      for (const secret of [
        cluster.adminToken,
        cluster.limitedToken,
        RUNNER_TOKEN,
        REGISTRY_PASSWORD,
        "right-password",
      ]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
});
