import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * A minimal OpenID Connect provider on 127.0.0.1 for tests, shaped like GitLab's (discovery, JWKS at
 * /oauth/discovery/keys, authorization code + PKCE S256, client_secret_basic/post, userinfo with the
 * groups claims). `authorize()` plays the browser at the provider: it checks the authorization request
 * and answers the query GitLab would redirect back with. `tamper` forges the next ID token.
 */
export interface TestUser {
  sub: string;
  username: string;
  name?: string;
  email?: string;
  groups?: string[];
  maintainerOf?: string[];
}

export interface IdTokenTamper {
  nonce?: string;
  /** Seconds from now the token expires (negative: already expired). */
  expiresIn?: number;
  audience?: string;
  issuer?: string;
  /** Sign with a key that is not in the JWKS (same kid). */
  foreignKey?: boolean;
  /** Answer the token request without an ID token at all. */
  omit?: boolean;
}

interface Grant {
  user: TestUser;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
}

export async function startTestOidcProvider(client: { id: string; secret: string }, port = 0) {
  const kid = "test-key-1";
  const keys = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, TestUser>();
  let tamper: IdTokenTamper = {};
  const requests: string[] = [];

  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const json = (response: http.ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
    let body = "";
    for await (const chunk of request) body += chunk;
    return new URLSearchParams(body);
  }

  function clientAuthenticated(request: http.IncomingMessage, form: URLSearchParams): boolean {
    const basic = request.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent);
      return id === client.id && secret === client.secret;
    }
    return form.get("client_id") === client.id && form.get("client_secret") === client.secret;
  }

  async function idToken(grant: Grant): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const forged = tamper;
    tamper = {};
    const claims: Record<string, unknown> = {
      nonce: forged.nonce ?? grant.nonce ?? undefined,
      groups_direct: grant.user.groups ?? [],
      email: grant.user.email,
      nickname: grant.user.username,
      preferred_username: grant.user.username,
      name: grant.user.name,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(forged.issuer ?? issuer)
      .setAudience(forged.audience ?? client.id)
      .setSubject(grant.user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + (forged.expiresIn ?? 120))
      .sign((forged.foreignKey ? foreign.privateKey : keys.privateKey) as CryptoKey);
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? "/", issuer);
    requests.push(`${request.method} ${url.pathname}`);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        userinfo_endpoint: `${issuer}/oauth/userinfo`,
        jwks_uri: `${issuer}/oauth/discovery/keys`,
        scopes_supported: ["openid", "profile", "email"],
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["plain", "S256"],
      });
    }
    if (url.pathname === "/oauth/discovery/keys") return json(response, 200, { keys: [jwk] });
    if (url.pathname === "/oauth/token" && request.method === "POST") {
      const form = await readForm(request);
      if (!clientAuthenticated(request, form)) return json(response, 401, { error: "invalid_client" });
      const grant = grants.get(form.get("code") ?? "");
      grants.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (
        !grant ||
        form.get("grant_type") !== "authorization_code" ||
        form.get("redirect_uri") !== grant.redirectUri ||
        challenge !== grant.challenge
      ) {
        return json(response, 400, {
          error: "invalid_grant",
          error_description: "The provided authorization grant is invalid",
        });
      }
      const accessToken = randomBytes(16).toString("hex");
      accessTokens.set(accessToken, grant.user);
      const omitIdToken = tamper.omit === true;
      if (omitIdToken) tamper = {};
      return json(response, 200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: 7200,
        scope: "openid profile email",
        ...(omitIdToken ? {} : { id_token: await idToken(grant) }),
      });
    }
    if (url.pathname === "/oauth/userinfo") {
      const user = accessTokens.get(request.headers.authorization?.replace(/^Bearer /, "") ?? "");
      if (!user) return json(response, 401, { error: "invalid_token" });
      return json(response, 200, {
        sub: user.sub,
        name: user.name,
        nickname: user.username,
        preferred_username: user.username,
        email: user.email,
        groups: user.groups ?? [],
        ...(user.maintainerOf?.length ? { "https://gitlab.org/claims/groups/maintainer": user.maintainerOf } : {}),
      });
    }
    response.writeHead(404).end();
  }

  return {
    issuer,
    requests,
    /** The next ID token is forged this way (then tokens are honest again). */
    tamper(next: IdTokenTamper) {
      tamper = next;
    },
    /**
     * The user signs in and consents at the provider: checks the authorization request like GitLab
     * (client, S256 challenge, openid scope) and answers the callback's query (code and state).
     */
    authorize(authorizationUrl: URL, user: TestUser): URLSearchParams {
      const q = authorizationUrl.searchParams;
      if (authorizationUrl.origin !== issuer) throw new Error(`authorization sent to ${authorizationUrl.origin}`);
      if (q.get("client_id") !== client.id) throw new Error("unknown client");
      if (q.get("response_type") !== "code") throw new Error("response_type must be code");
      if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) throw new Error("PKCE S256 required");
      if (!q.get("scope")?.split(" ").includes("openid")) throw new Error("openid scope required");
      const code = randomBytes(16).toString("hex");
      grants.set(code, {
        user,
        redirectUri: q.get("redirect_uri")!,
        challenge: q.get("code_challenge")!,
        nonce: q.get("nonce"),
      });
      const answer = new URLSearchParams({ code });
      if (q.get("state")) answer.set("state", q.get("state")!);
      return answer;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TestOidcProvider = Awaited<ReturnType<typeof startTestOidcProvider>>;
