import crypto from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Configuration, JWK, KoaContextWithOIDC } from "oidc-provider";
import { groupAccess } from "./auth";
import { readBody } from "./http";
import { ACCESS, type User } from "./model";
import { memoryAdapterFactory } from "./oidc-adapter";
import { consentPage, errorPage, loginPage } from "./oidc-pages";
import { verifyPassword } from "./secrets";
import type { Store } from "./store";

/** The OAuth application registered for ask-ci (GitLab: Admin → Applications). */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string;
  name: string;
}

export interface OidcOptions {
  issuer: string;
  store: Store;
  client: OidcClient;
  /** RSA signing key and cookie secret, kept in the state dir so ID tokens verify across restarts. */
  secretsPath: string | null;
}

const GITLAB_SCOPES = ["openid", "profile", "email", "read_user", "read_api", "api"];

/**
 * GitLab as an OpenID Connect provider (https://docs.gitlab.com/integration/openid_connect_provider/),
 * built on oidc-provider: discovery at /.well-known/openid-configuration, GitLab's endpoint paths
 * (/oauth/authorize, /oauth/token, /oauth/userinfo, /oauth/discovery/keys, /oauth/revoke,
 * /oauth/introspect), RS256 ID tokens, authorization code with optional PKCE, and the claims GitLab
 * shares: sub (user id), name, nickname, preferred_username, email, email_verified, website,
 * profile, picture, groups_direct (ID token), groups and the per-role group claims (userinfo).
 */
export async function createOidcProvider(options: OidcOptions) {
  const { default: Provider, errors } = await import("oidc-provider");
  const { store, client } = options;
  const secrets = loadSecrets(options.secretsPath);

  const userClaims = (user: User, use: string) => {
    const direct = store.data.memberships.filter((m) => m.userId === user.id && m.sourceType === "Namespace");
    const directGroups = direct.map((m) => store.group(m.sourceId)!.fullPath);
    // `groups`: every group the user belongs to, directly or through a parent group.
    const allGroups = store.data.groups.filter((g) => groupAccess(store, user, g.id) !== null).map((g) => g.fullPath);
    const withRole = (level: number) =>
      direct.filter((m) => m.accessLevel === level).map((m) => store.group(m.sourceId)!.fullPath);
    const web = `${options.issuer}/${user.username}`;
    return {
      sub: String(user.id),
      sub_legacy: crypto.createHash("sha256").update(`demo-gitlab:${user.id}`).digest("hex"),
      name: user.name,
      nickname: user.username,
      preferred_username: user.username,
      email: user.email,
      email_verified: true,
      website: web,
      profile: web,
      picture: null,
      ...(use === "id_token"
        ? { groups_direct: directGroups }
        : {
            groups: allGroups,
            "https://gitlab.org/claims/groups/owner": withRole(ACCESS.owner),
            "https://gitlab.org/claims/groups/maintainer": withRole(ACCESS.maintainer),
            "https://gitlab.org/claims/groups/developer": withRole(ACCESS.developer),
          }),
    };
  };

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        client_name: client.name,
        redirect_uris: client.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    jwks: { keys: [secrets.jwk] },
    cookies: { keys: [secrets.cookieKey] },
    scopes: GITLAB_SCOPES,
    claims: {
      openid: [
        "sub",
        "sub_legacy",
        "groups_direct",
        "groups",
        "https://gitlab.org/claims/groups/owner",
        "https://gitlab.org/claims/groups/maintainer",
        "https://gitlab.org/claims/groups/developer",
      ],
      profile: ["name", "nickname", "preferred_username", "website", "profile", "picture"],
      email: ["email", "email_verified"],
    },
    // GitLab (doorkeeper-openid_connect) puts the profile claims into the ID token of a code flow too.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const user = store.user(Number(sub));
      if (!user || user.state !== "active") return undefined;
      return { accountId: sub, claims: async (use) => userClaims(user, use) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    pkce: { methods: ["S256"], required: () => false },
    routes: {
      authorization: "/oauth/authorize",
      token: "/oauth/token",
      userinfo: "/oauth/userinfo",
      jwks: "/oauth/discovery/keys",
      revocation: "/oauth/revoke",
      introspection: "/oauth/introspect",
    },
    interactions: { url: (_ctx, interaction) => `/oauth/interaction/${interaction.uid}` },
    // GitLab: access tokens live 2 hours, ID tokens 2 minutes, authorization codes 10 minutes.
    ttl: {
      AccessToken: 7200,
      AuthorizationCode: 600,
      IdToken: 120,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400 * 14,
      RefreshToken: 86400 * 30,
    },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = "html";
      ctx.body = errorPage("Something went wrong", `${out.error}: ${out.error_description ?? ""}`);
    },
  };
  const provider = new Provider(options.issuer, configuration);
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const html = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      res.end(body);
    };
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        return html(
          400,
          errorPage(
            "Sign-in expired",
            "This sign-in has expired or was opened in another browser. Start again from the application.",
          ),
        );
      }
      throw error;
    }
    if (details.uid !== uid) return html(400, errorPage("Sign-in expired", "Start again from the application."));
    const clientName = client.name;
    if (req.method === "GET" && !action) {
      if (details.prompt.name === "login") return html(200, loginPage(uid, clientName, null));
      const user = store.user(Number(details.session?.accountId));
      const scopes = String(details.params.scope ?? "")
        .split(" ")
        .filter((s) => GITLAB_SCOPES.includes(s));
      return html(200, consentPage(uid, clientName, user?.username ?? "", scopes));
    }
    if (req.method !== "POST") return html(405, errorPage("Not allowed", "Use the form."));
    if (action === "login") {
      const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString("utf8"));
      const login = (form.get("username") ?? "").trim().toLowerCase();
      const user = store.data.users.find((u) => u.username.toLowerCase() === login || u.email.toLowerCase() === login);
      if (!user || user.state !== "active" || !verifyPassword(form.get("password") ?? "", user.passwordHash)) {
        return html(401, loginPage(uid, clientName, "Invalid login or password.", form.get("username") ?? ""));
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: String(user.id) } },
        { mergeWithLastSubmission: false },
      );
    }
    if (action === "confirm") {
      const accountId = details.session?.accountId;
      if (!accountId) return html(400, errorPage("Sign-in expired", "Start again from the application."));
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: client.clientId });
      if (!grant) return html(400, errorPage("Sign-in expired", "Start again from the application."));
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(" "));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (action === "abort") {
      return provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "The resource owner or authorization server denied the request." },
        { mergeWithLastSubmission: false },
      );
    }
    return html(404, errorPage("Not found", "Unknown sign-in step."));
  }

  /** Serves the provider's routes; false when the request is not one of them. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", options.issuer);
    const step = /^\/oauth\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (step) {
      await interaction(req, res, step[1], step[2]);
      return true;
    }
    if (url.pathname.startsWith("/.well-known/") || url.pathname.startsWith("/oauth/")) {
      callback(req, res);
      return true;
    }
    return false;
  }

  return { handle, provider };
}

function loadSecrets(file: string | null): { jwk: JWK; cookieKey: string } {
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as { jwk: JWK; cookieKey: string };
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const exported = privateKey.export({ format: "jwk" }) as JWK;
  const kid = crypto.createHash("sha256").update(String(exported.n)).digest("base64url").slice(0, 43);
  const secrets = {
    jwk: { ...exported, kid, use: "sig", alg: "RS256" },
    cookieKey: crypto.randomBytes(32).toString("base64url"),
  };
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}
