import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DemoCluster } from "@ask-ci/demo-cluster";
import { cookieJar as jar, requestHeaders } from "@/tests/mock-next-headers";
import { useFreshDatabase, type FreshDatabase } from "@/tests/test-db";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
requestHeaders.set("host", "localhost");
requestHeaders.set("origin", "http://localhost");

let cluster: DemoCluster;
let database: FreshDatabase;
let actions: typeof import("@/app/(dashboard)/clusters/actions");
let cookieHeader: string;
const logged: string[] = [];

beforeAll(async () => {
  database = useFreshDatabase();
  const { startDemoCluster } = await import("@ask-ci/demo-cluster");
  cluster = await startDemoCluster({ port: 0, simulate: false });
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
  const { db } = await import("@/lib/db.server");
  const session = await import("@/lib/auth/session.server");
  const user = await db.user.create({ data: { username: "leak-tester", subject: "leak-tester", passwordHash: "x" } });
  await session.startSession(user.id);
  cookieHeader = `${session.SESSION_COOKIE}=${jar.get(session.SESSION_COOKIE)}`;
  actions = await import("@/app/(dashboard)/clusters/actions");
});

afterAll(async () => {
  vi.restoreAllMocks();
  await cluster?.stop();
});

/**
 * Every way a credential could leave the server: action results, API responses, logs, and the
 * database file itself. Each is searched for the tokens, in plain text and in base64.
 */
describe("credentials never leave the server", () => {
  it("in action results, API responses, logs or the database file", async () => {
    const secrets = [cluster.adminToken, cluster.limitedToken];
    const outputs: string[] = [];

    const created = await actions.createConnectionAction({
      name: "demo",
      credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig, skipTlsVerify: false },
      makeDefault: true,
    });
    outputs.push(JSON.stringify(created));
    expect(created.ok).toBe(true);
    const id = created.ok ? created.value.id : "";

    const viewer = await actions.createConnectionAction({
      name: "viewer",
      credentials: {
        method: "token",
        server: cluster.url,
        token: cluster.limitedToken,
        caCertificate: cluster.caPem,
        skipTlsVerify: false,
      },
    });
    outputs.push(JSON.stringify(viewer));
    expect(viewer.ok).toBe(true);

    outputs.push(
      JSON.stringify(
        await actions.testConnectionAction({ credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig } }),
      ),
    );
    outputs.push(JSON.stringify(await actions.testStoredConnectionAction(id, "gitlab-runner")));
    // Failures must not echo the input back either.
    outputs.push(
      JSON.stringify(
        await actions.testConnectionAction({
          credentials: { method: "token", server: "http://x", token: cluster.adminToken },
        }),
      ),
    );
    outputs.push(
      JSON.stringify(
        await actions.createConnectionAction({
          name: "demo",
          credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig },
        }),
      ),
    );
    outputs.push(
      JSON.stringify(
        await actions.updateConnectionAction(id, {
          name: "demo",
          credentials: { method: "kubeconfig", kubeconfig: cluster.kubeconfig },
        }),
      ),
    );

    const request = (method: string) =>
      new Request("http://localhost/api/connections", {
        method,
        headers: { cookie: cookieHeader, origin: "http://localhost", host: "localhost" },
      });
    const params = { params: Promise.resolve({ id }) };
    const list = await (await import("@/app/api/connections/route")).GET(request("GET"));
    const one = await (await import("@/app/api/connections/[id]/route")).GET(request("GET"), params);
    const health = await (await import("@/app/api/connections/[id]/health/route")).POST(request("POST"), params);
    for (const response of [list, one, health]) {
      expect(response.status).toBe(200);
      outputs.push(await response.text());
    }
    expect(outputs.join("\n")).toContain('"name":"demo"');

    const stored = database.contents();
    expect(stored).toContain("aes-256-gcm");

    for (const secret of secrets) {
      for (const needle of [secret, Buffer.from(secret).toString("base64")]) {
        for (const output of outputs) expect(output).not.toContain(needle);
        for (const line of logged) expect(line).not.toContain(needle);
        expect(stored.includes(needle)).toBe(false);
      }
    }
  });
});
