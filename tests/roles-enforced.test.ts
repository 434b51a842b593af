import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { cookieJar } from "./mock-next-headers";
import { useFreshDatabase } from "./test-db";
import { signedInAs } from "./users";

vi.mock("next/headers", () => import("@/tests/mock-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const FORBIDDEN = "NEXT_HTTP_ERROR_FALLBACK;403";
const MUTATING_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** Server actions a viewer may call, each with the reason; everything else exported from a "use server" file is refused. */
const VIEWER_ACTIONS: Record<string, string> = {
  "app/login/actions.ts#login": "signing in comes before any role",
  "app/login/actions.ts#logout": "anyone may end their own session",
  "app/(dashboard)/settings/sessions/actions.ts#revokeOwnSessionAction": "a user's own sessions (checked inside)",
  "app/(dashboard)/setup/gitlab-actions.ts#gitlabRunnerStatusAction":
    "reads a runner's status in GitLab: no change, no secret",
};

/** Mutating routes that no signed-in user calls, each with how they are authenticated instead. */
const NOT_USER_ROUTES: Record<string, string> = {
  "POST app/api/gitlab/webhook/[id]/route.ts": "GitLab's deliveries, authenticated by the connection's X-Gitlab-Token",
};

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "node_modules" || entry.name === "generated" ? [] : filesUnder(full, keep);
    return keep(full) ? [full] : [];
  });
}

const isServerActionFile = (file: string) =>
  /\.tsx?$/.test(file) && !file.endsWith(".test.ts") && /^\s*["']use server["']/.test(fs.readFileSync(file, "utf8"));

/** Every file of server actions and every route handler, found on disk so a new one cannot be missed. */
const actionFiles = ["app", "lib", "components"].flatMap((dir) => filesUnder(path.resolve(dir), isServerActionFile));
const routeFiles = filesUnder(path.resolve("app"), (file) => path.basename(file) === "route.ts");
const relative = (file: string) => path.relative(process.cwd(), file);

let viewerCookie: string;

beforeAll(async () => {
  useFreshDatabase();
  viewerCookie = (await signedInAs("viewer", "vera")).cookie;
});

describe("a viewer gets 403 from every mutating server action", () => {
  it("finds the action files", () => {
    expect(actionFiles.length).toBeGreaterThanOrEqual(4);
  });

  it("lists only viewer actions that exist", async () => {
    for (const key of Object.keys(VIEWER_ACTIONS)) {
      const [file, name] = key.split("#");
      if (!fs.existsSync(file)) continue;
      expect(typeof ((await import(path.resolve(file))) as Record<string, unknown>)[name], key).toBe("function");
    }
  });

  it.each(actionFiles.map((file) => [relative(file), file]))("%s", async (name, file) => {
    const actions = (await import(file)) as Record<string, unknown>;
    const refused = Object.entries(actions).filter(
      ([exported, value]) => typeof value === "function" && !VIEWER_ACTIONS[`${name}#${exported}`],
    );
    for (const [exported, action] of refused) {
      const viewerSession = cookieJar.get("ask_ci_session");
      // Junk arguments: the role is checked before anything is read.
      await expect(
        (action as (...args: unknown[]) => Promise<unknown>)(undefined, new FormData()),
        `${name}#${exported}`,
      ).rejects.toMatchObject({ digest: FORBIDDEN });
      expect(cookieJar.get("ask_ci_session")).toBe(viewerSession);
    }
  });
});

describe("a viewer gets 403 from every mutating API route", () => {
  const handlers = routeFiles.flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    return MUTATING_METHODS.filter((method) => new RegExp(`export async function ${method}\\b`).test(source))
      .map((method) => [`${method} ${relative(file)}`, file, method] as const)
      .filter(([name]) => !NOT_USER_ROUTES[name]);
  });

  it("finds the mutating routes", () => {
    expect(handlers.length).toBeGreaterThanOrEqual(3);
  });

  it("lists only exempt routes that exist", () => {
    for (const name of Object.keys(NOT_USER_ROUTES)) {
      const [method, file] = name.split(" ");
      expect(fs.readFileSync(file, "utf8"), name).toMatch(new RegExp(`export async function ${method}\\b`));
    }
  });

  it.each(handlers)("%s", async (_name, file, method) => {
    const route = (await import(file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
    const request = new Request("http://localhost/api/x?cluster=demo", {
      method,
      headers: {
        cookie: viewerCookie,
        origin: "http://localhost",
        host: "localhost",
        "content-type": "application/json",
      },
      body: "{}",
    });
    const response = await route[method](request, { params: Promise.resolve(new Proxy({}, { get: () => "x" })) });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/needs the (operator|admin) role/);
  });

  it("GET of the audit log export (admins only)", async () => {
    const { GET } = await import("@/app/api/audit/export/route");
    const response = await GET(new Request("http://localhost/api/audit/export", { headers: { cookie: viewerCookie } }));
    expect(response.status).toBe(403);
  });

  it("GET of a runner profile with its secrets included", async () => {
    const { GET } = await import("@/app/api/setup/profiles/[id]/download/route");
    const request = new Request("http://localhost/api/setup/profiles/x/download?format=yaml&secrets=include", {
      headers: { cookie: viewerCookie },
    });
    const response = await GET(request, { params: Promise.resolve({ id: "x" }) });
    expect(response.status).toBe(403);
  });
});
