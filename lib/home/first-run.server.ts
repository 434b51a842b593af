import "server-only";
import { db } from "@/lib/db.server";
import type { FirstRunFacts } from "./first-run";

export async function firstRunFacts(): Promise<FirstRunFacts> {
  const [connections, appliedProfiles, recordedJobs] = await Promise.all([
    db.connection.count({ where: { archivedAt: null } }),
    db.runnerProfile.count({ where: { status: "applied" } }),
    db.jobRecord.count({ where: { connection: { archivedAt: null } }, take: 1 }),
  ]);
  return { connections, appliedProfiles, recordedJobs };
}
