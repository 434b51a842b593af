import http from "node:http";
import type net from "node:net";

/**
 * A small GitLab stand-in for unit and integration tests of the dashboard's GitLab code, shaped
 * like GitLab's REST v4 answers (PRIVATE-TOKEN auth, 401 bodies, X-Next-Page). The full demo GitLab
 * lives in packages/demo-gitlab; this one lets a test set exactly the state it needs.
 */
export interface FakeToken {
  username: string;
  scopes: string[];
  expiresAt?: string | null;
}

export interface FakeGitlab {
  url: string;
  tokens: Map<string, FakeToken>;
  /** Extra routes: "GET /runners/7/jobs" → handler; return undefined to fall through to 404. */
  routes: Map<string, (request: { query: URLSearchParams; body: unknown; user: FakeToken }) => FakeAnswer | undefined>;
  requests: Array<{ method: string; path: string; token: string | undefined }>;
  close: () => Promise<void>;
}

export interface FakeAnswer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function startFakeGitlab(version = "17.11.1"): Promise<FakeGitlab> {
  const tokens = new Map<string, FakeToken>();
  const routes: FakeGitlab["routes"] = new Map();
  const requests: FakeGitlab["requests"] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url!, "http://fake");
      const path = url.pathname.replace(/^\/api\/v4/, "");
      const token = req.headers["private-token"] as string | undefined;
      requests.push({ method: req.method!, path, token });
      const send = ({ status = 200, body, headers = {} }: FakeAnswer) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(body === undefined ? "" : JSON.stringify(body));
      };
      const user = token ? tokens.get(token) : undefined;
      const anonymous = req.method === "POST" && path === "/runners/verify";
      if (!user && !anonymous) return send({ status: 401, body: { message: "401 Unauthorized" } });
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return send({ status: 400, body: { error: "invalid JSON" } });
      }
      const custom = routes.get(`${req.method} ${path}`)?.({ query: url.searchParams, body, user: user! });
      if (custom) return send(custom);
      if (path === "/version") return send({ body: { version, revision: "fake" } });
      if (path === "/user") return send({ body: { id: 1, username: user!.username, name: user!.username } });
      if (path === "/personal_access_tokens/self")
        return send({
          body: {
            id: 1,
            name: "t",
            revoked: false,
            active: true,
            scopes: user!.scopes,
            expires_at: user!.expiresAt ?? null,
          },
        });
      send({ status: 404, body: { message: "404 Not Found" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    routes,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
