import "server-only";
import { db } from "@/lib/db.server";
import type { ApplyMode, ObjectResult } from "./types";

export interface ApplyRecordStart {
  profileId?: string;
  connectionId?: string;
  username: string;
  action: ApplyMode;
}

export async function startApplyRecord(start: ApplyRecordStart): Promise<string> {
  const record = await db.applyRecord.create({
    data: {
      profileId: start.profileId,
      connectionId: start.connectionId,
      username: start.username,
      action: start.action,
      result: "running",
    },
  });
  return record.id;
}

/** Objects are stored without diffs: a diff of a Secret is redacted, but the record needs only outcomes. */
export async function finishApplyRecord(id: string, ok: boolean, results: ObjectResult[]): Promise<void> {
  const objects = results.map(({ ref, outcome, message }) => ({
    kind: ref.kind,
    namespace: ref.namespace ?? null,
    name: ref.name,
    outcome,
    message: message ?? null,
  }));
  await db.applyRecord.update({
    where: { id },
    data: { finishedAt: new Date(), result: ok ? "succeeded" : "failed", objects: JSON.stringify(objects) },
  });
}

export interface ApplyRecordDto {
  id: string;
  action: string;
  username: string;
  startedAt: string;
  finishedAt: string | null;
  result: string;
  objects: Array<{ kind: string; namespace: string | null; name: string; outcome: string; message: string | null }>;
}

export async function listApplyRecords(profileId: string, take = 20): Promise<ApplyRecordDto[]> {
  const rows = await db.applyRecord.findMany({ where: { profileId }, orderBy: { startedAt: "desc" }, take });
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    username: r.username,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    result: r.result,
    objects: JSON.parse(r.objects) as ApplyRecordDto["objects"],
  }));
}
