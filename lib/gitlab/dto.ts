import type { TokenKind, TokenReport } from "./token-report";

/** What pages and APIs see of a GitLab connection. Never the token, the webhook secret or the CA. */
export interface GitlabConnectionDto {
  id: string;
  name: string;
  url: string;
  caFingerprint: string | null;
  tokenKind: TokenKind | null;
  tokenUser: string | null;
  tokenScopes: string[];
  tokenExpiresAt: string | null;
  serverVersion: string | null;
  lastCheckedAt: string | null;
  lastHealthy: boolean | null;
  lastError: string | null;
  lastSyncAt: string | null;
}

/** The "Test" answer: the instance, who the token is, and what it allows. */
export interface GitlabTestReport {
  url: string;
  version: string | null;
  revision: string | null;
  user: { username: string; name: string | null } | null;
  /** Null when GitLab would not describe the token (GitLab before 15.5 has no /personal_access_tokens/self). */
  token: TokenReport | null;
  latencyMs: number;
}

interface GitlabConnectionRow {
  id: string;
  name: string;
  url: string;
  caFingerprint: string | null;
  tokenKind: string | null;
  tokenUser: string | null;
  tokenScopes: string | null;
  tokenExpiresAt: Date | null;
  serverVersion: string | null;
  lastCheckedAt: Date | null;
  lastHealthy: boolean | null;
  lastError: string | null;
  lastSyncAt: Date | null;
}

/** Copies field by field so a secret column can never leak through a spread. */
export function toGitlabConnectionDto(row: GitlabConnectionRow): GitlabConnectionDto {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    caFingerprint: row.caFingerprint,
    tokenKind:
      row.tokenKind === "project" || row.tokenKind === "group" || row.tokenKind === "personal" ? row.tokenKind : null,
    tokenUser: row.tokenUser,
    tokenScopes: row.tokenScopes ? row.tokenScopes.split(",").filter(Boolean) : [],
    tokenExpiresAt: row.tokenExpiresAt ? row.tokenExpiresAt.toISOString().slice(0, 10) : null,
    serverVersion: row.serverVersion,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    lastHealthy: row.lastHealthy,
    lastError: row.lastError,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
  };
}
