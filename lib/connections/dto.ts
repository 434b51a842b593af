/** What pages and APIs see of a connection. Never credentials: no token, key, certificate or kubeconfig. */
export interface ConnectionDto {
  id: string;
  name: string;
  server: string;
  authType: ConnectionAuthType;
  /** SHA-256 fingerprint of the pinned CA certificate, or null when the system trust store is used. */
  caFingerprint: string | null;
  skipTlsVerify: boolean;
  isDefault: boolean;
  lastCheckedAt: string | null;
  lastHealthy: boolean | null;
  lastError: string | null;
  serverVersion: string | null;
  latencyMs: number | null;
  /** Deleted with its job history kept: only the cost pages still list it. */
  archived: boolean;
}

export type ConnectionAuthType = "token" | "client-certificate";

interface ConnectionRow {
  id: string;
  name: string;
  server: string;
  authType: string;
  caFingerprint: string | null;
  skipTlsVerify: boolean;
  isDefault: boolean;
  lastCheckedAt: Date | null;
  lastHealthy: boolean | null;
  lastError: string | null;
  serverVersion: string | null;
  latencyMs: number | null;
  archivedAt: Date | null;
}

/** Copies field by field so a new secret column can never leak through a spread. */
export function toConnectionDto(row: ConnectionRow): ConnectionDto {
  return {
    id: row.id,
    name: row.name,
    server: row.server,
    authType: row.authType === "client-certificate" ? "client-certificate" : "token",
    caFingerprint: row.caFingerprint,
    skipTlsVerify: row.skipTlsVerify,
    isDefault: row.isDefault,
    lastCheckedAt: row.lastCheckedAt ? row.lastCheckedAt.toISOString() : null,
    lastHealthy: row.lastHealthy,
    lastError: row.lastError,
    serverVersion: row.serverVersion,
    latencyMs: row.latencyMs,
    archived: row.archivedAt !== null,
  };
}
