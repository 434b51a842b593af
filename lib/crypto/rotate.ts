import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decryptWithKey, encryptWithKey, envelopeKeyId, keyFingerprint } from "./envelope";

export interface RotationResult {
  connections: number;
  runnerProfiles: number;
  gitlabConnections: number;
  /** Envelopes already under the new key (a re-run after an interruption). */
  alreadyRotated: number;
}

/**
 * Re-encrypts every credential envelope (Connection.credentials, RunnerProfile.secrets,
 * GitlabConnection.credentials) from
 * oldKey to newKey in one transaction: either all move to the new key or none do. Throws
 * DecryptionError, naming the row, when an envelope opens with neither key.
 */
export async function rotateEnvelopes(db: PrismaClient, oldKey: Buffer, newKey: Buffer): Promise<RotationResult> {
  const newKeyId = keyFingerprint(newKey);
  const reseal = (envelope: string, what: string): string | null => {
    if (envelopeKeyId(envelope) === newKeyId) return null;
    try {
      return encryptWithKey(decryptWithKey(envelope, oldKey), newKey);
    } catch (error) {
      (error as Error).message = `${what}: ${(error as Error).message}`;
      throw error;
    }
  };
  return db.$transaction(
    async (tx) => {
      const result: RotationResult = { connections: 0, runnerProfiles: 0, gitlabConnections: 0, alreadyRotated: 0 };
      for (const row of await tx.connection.findMany({ select: { id: true, name: true, credentials: true } })) {
        const sealed = reseal(row.credentials, `connection "${row.name}"`);
        if (sealed === null) result.alreadyRotated++;
        else {
          await tx.connection.update({ where: { id: row.id }, data: { credentials: sealed } });
          result.connections++;
        }
      }
      for (const row of await tx.runnerProfile.findMany({
        where: { secrets: { not: null } },
        select: { id: true, name: true, secrets: true },
      })) {
        const sealed = reseal(row.secrets!, `runner profile "${row.name}"`);
        if (sealed === null) result.alreadyRotated++;
        else {
          await tx.runnerProfile.update({ where: { id: row.id }, data: { secrets: sealed } });
          result.runnerProfiles++;
        }
      }
      for (const row of await tx.gitlabConnection.findMany({ select: { id: true, name: true, credentials: true } })) {
        const sealed = reseal(row.credentials, `GitLab connection "${row.name}"`);
        if (sealed === null) result.alreadyRotated++;
        else {
          await tx.gitlabConnection.update({ where: { id: row.id }, data: { credentials: sealed } });
          result.gitlabConnections++;
        }
      }
      return result;
    },
    { timeout: 120_000 },
  );
}
