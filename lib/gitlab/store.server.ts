import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db.server";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption.server";
import { toGitlabConnectionDto, type GitlabConnectionDto, type GitlabTestReport } from "./dto";
import { GitlabApiError, gitlabProblem } from "./problems";

/** The secret part of a GitLab connection: stored only inside an encryption envelope. */
export interface GitlabSecrets {
  token: string;
  caCertificate?: string;
  /** Sent by GitLab as X-Gitlab-Token on every webhook we registered; proves the event is GitLab's. */
  webhookSecret: string;
}

const PUBLIC_COLUMNS = {
  id: true,
  name: true,
  url: true,
  caFingerprint: true,
  tokenKind: true,
  tokenUser: true,
  tokenScopes: true,
  tokenExpiresAt: true,
  serverVersion: true,
  lastCheckedAt: true,
  lastHealthy: true,
  lastError: true,
  lastSyncAt: true,
} as const;

export async function listGitlabConnections(): Promise<GitlabConnectionDto[]> {
  const rows = await db.gitlabConnection.findMany({ select: PUBLIC_COLUMNS, orderBy: { name: "asc" } });
  return rows.map(toGitlabConnectionDto);
}

export async function getGitlabConnection(id: string): Promise<GitlabConnectionDto | null> {
  const row = await db.gitlabConnection.findUnique({ where: { id }, select: PUBLIC_COLUMNS });
  return row ? toGitlabConnectionDto(row) : null;
}

export interface StoredTarget {
  url: string;
  caFingerprint: string | null;
  secrets: Omit<GitlabSecrets, "webhookSecret">;
}

export async function createGitlabConnection(input: {
  name: string;
  target: StoredTarget;
  report: GitlabTestReport;
}): Promise<GitlabConnectionDto> {
  return db.$transaction(async (tx) => {
    if (await tx.gitlabConnection.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new GitlabApiError(gitlabProblem("nameTaken", { name: input.name }, "name"));
    }
    const secrets: GitlabSecrets = { ...input.target.secrets, webhookSecret: newWebhookSecret() };
    const row = await tx.gitlabConnection.create({
      data: {
        name: input.name,
        url: input.target.url,
        caFingerprint: input.target.caFingerprint,
        credentials: encryptJson(secrets),
        ...reportColumns(input.report),
      },
      select: PUBLIC_COLUMNS,
    });
    return toGitlabConnectionDto(row);
  });
}

export async function updateGitlabConnection(
  id: string,
  changes: { name?: string; target?: StoredTarget; report?: GitlabTestReport },
): Promise<GitlabConnectionDto> {
  return db.$transaction(async (tx) => {
    const existing = await tx.gitlabConnection.findUnique({ where: { id }, select: { credentials: true } });
    if (!existing) throw new GitlabApiError(gitlabProblem("connectionNotFound"));
    if (changes.name !== undefined) {
      const clash = await tx.gitlabConnection.findUnique({ where: { name: changes.name }, select: { id: true } });
      if (clash && clash.id !== id)
        throw new GitlabApiError(gitlabProblem("nameTaken", { name: changes.name }, "name"));
    }
    let credentials: string | undefined;
    if (changes.target) {
      // Registered webhooks keep working across a token change: the secret stays.
      const { webhookSecret } = decryptJson<GitlabSecrets>(existing.credentials);
      credentials = encryptJson({ ...changes.target.secrets, webhookSecret } satisfies GitlabSecrets);
    }
    const row = await tx.gitlabConnection.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.target
          ? { url: changes.target.url, caFingerprint: changes.target.caFingerprint, credentials }
          : {}),
        ...(changes.report ? reportColumns(changes.report) : {}),
      },
      select: PUBLIC_COLUMNS,
    });
    return toGitlabConnectionDto(row);
  });
}

/** Deletes the connection, its synced jobs and pipelines, and the links pointing at it (plain columns). */
export async function deleteGitlabConnection(id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await tx.gitlabConnection.findUnique({ where: { id }, select: { id: true } }))) return false;
    await tx.runnerProfile.updateMany({
      where: { gitlabConnectionId: id },
      data: { gitlabConnectionId: null, gitlabRunnerId: null },
    });
    await tx.jobRecord.updateMany({
      where: { gitlabConnectionId: id },
      data: { gitlabConnectionId: null, gitlabJobId: null },
    });
    await tx.gitlabConnection.delete({ where: { id } });
    return true;
  });
}

export async function recordGitlabHealth(id: string, result: { report?: GitlabTestReport; error?: string }) {
  await db.gitlabConnection.updateMany({
    where: { id },
    data: result.report
      ? reportColumns(result.report)
      : { lastCheckedAt: new Date(), lastHealthy: false, lastError: result.error ?? null },
  });
}

/** The decrypted secrets of a stored connection, for building a client. Server-only by design. */
export async function loadGitlabTarget(
  id: string,
): Promise<{ url: string; secrets: GitlabSecrets; updatedAt: Date } | null> {
  const row = await db.gitlabConnection.findUnique({
    where: { id },
    select: { url: true, credentials: true, updatedAt: true },
  });
  if (!row) return null;
  return { url: row.url, secrets: decryptJson<GitlabSecrets>(row.credentials), updatedAt: row.updatedAt };
}

function reportColumns(report: GitlabTestReport) {
  return {
    serverVersion: report.version,
    tokenUser: report.user?.username ?? null,
    tokenKind: report.token?.kind ?? null,
    tokenScopes: report.token ? report.token.scopes.join(",") : null,
    tokenExpiresAt: report.token?.expiresAt ? new Date(`${report.token.expiresAt}T00:00:00Z`) : null,
    lastCheckedAt: new Date(),
    lastHealthy: true,
    lastError: null,
  };
}

function newWebhookSecret(): string {
  return randomBytes(24).toString("base64url");
}
