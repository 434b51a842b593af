import "server-only";
import * as oidc from "openid-client";
import { identityFrom, type GitLabIdentity } from "./identity";

export interface GitLabOidcSettings {
  /** GitLab's base URL, which is its OIDC issuer: https://gitlab.com or a self-managed instance. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

/** What the browser carries (sealed) from the start of a sign-in to its callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  startedAt: number;
}

const DISCOVERY_TTL_MS = 60 * 60_000;
const HTTP_TIMEOUT_SECONDS = 10;

function isLoopback(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/**
 * A GitLab OpenID Connect client (openid-client): authorization code flow with PKCE (S256), state and
 * nonce; the ID token's signature is verified against the provider's JWKS (non-repudiation checks on),
 * besides issuer, audience, expiry and nonce. Discovery is cached for an hour and retried after a failure.
 */
export function createGitLabOidc(settings: GitLabOidcSettings) {
  let configuration: Promise<oidc.Configuration> | undefined;
  let discoveredAt = 0;

  function discover(): Promise<oidc.Configuration> {
    const issuer = new URL(settings.issuer);
    const execute = [oidc.enableNonRepudiationChecks];
    // Plain http is accepted for a provider on this machine only (the demo GitLab, tests); env.ts refuses it elsewhere.
    if (issuer.protocol === "http:" && isLoopback(issuer)) execute.push(oidc.allowInsecureRequests);
    return oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
      execute,
      timeout: HTTP_TIMEOUT_SECONDS,
    });
  }

  function config(now = Date.now()): Promise<oidc.Configuration> {
    if (!configuration || now - discoveredAt > DISCOVERY_TTL_MS) {
      discoveredAt = now;
      configuration = discover().catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    }
    return configuration;
  }

  return {
    settings,

    /** The provider's authorization URL and what the callback must check it against. */
    async begin(redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const pending: PendingSignIn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier,
        redirectUri,
        returnTo,
        startedAt: Date.now(),
      };
      const url = oidc.buildAuthorizationUrl(await config(), {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        response_type: "code",
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    /**
     * Checks the callback (state, error), redeems the code with the PKCE verifier, verifies the ID token
     * (signature against the JWKS, iss, aud, exp, nonce) and reads userinfo for the same subject.
     * Throws openid-client's errors; classifySignInError says what they mean for the user.
     */
    async complete(callbackQuery: URLSearchParams, pending: PendingSignIn): Promise<GitLabIdentity> {
      const configuration = await config();
      // The redirect URI the provider saw (openid-client sends it to the token endpoint), not this
      // request's URL, which a reverse proxy may have rewritten.
      const currentUrl = new URL(pending.redirectUri);
      currentUrl.search = callbackQuery.toString();
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims();
      if (!claims)
        throw Object.assign(new Error("no ID token in the token response"), { code: "OAUTH_INVALID_RESPONSE" });
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return identityFrom(claims as Record<string, unknown>, userinfo as Record<string, unknown>);
    },
  };
}

export type GitLabOidc = ReturnType<typeof createGitLabOidc>;
