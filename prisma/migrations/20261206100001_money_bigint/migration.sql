-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_JobRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "podUid" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "podName" TEXT NOT NULL,
    "runnerName" TEXT,
    "projectId" TEXT,
    "projectPath" TEXT,
    "jobId" TEXT,
    "jobName" TEXT,
    "jobUrl" TEXT,
    "ref" TEXT,
    "phase" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME NOT NULL,
    "day" TEXT NOT NULL,
    "billedSeconds" INTEGER NOT NULL,
    "vcpuMilli" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "requestedVcpuMilli" INTEGER,
    "requestedMemoryMiB" INTEGER,
    "currency" TEXT NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gitlabConnectionId" TEXT,
    "gitlabJobId" INTEGER,
    "gitlabStatus" TEXT,
    "source" TEXT NOT NULL DEFAULT 'pod',
    CONSTRAINT "JobRecord_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_JobRecord" ("billedSeconds", "connectionId", "costMicros", "createdAt", "currency", "day", "finishedAt", "gitlabConnectionId", "gitlabJobId", "gitlabStatus", "id", "jobId", "jobName", "jobUrl", "memoryMiB", "namespace", "phase", "podName", "podUid", "projectId", "projectPath", "reason", "recordedAt", "ref", "requestedMemoryMiB", "requestedVcpuMilli", "runnerName", "source", "startedAt", "vcpuMilli") SELECT "billedSeconds", "connectionId", "costMicros", "createdAt", "currency", "day", "finishedAt", "gitlabConnectionId", "gitlabJobId", "gitlabStatus", "id", "jobId", "jobName", "jobUrl", "memoryMiB", "namespace", "phase", "podName", "podUid", "projectId", "projectPath", "reason", "recordedAt", "ref", "requestedMemoryMiB", "requestedVcpuMilli", "runnerName", "source", "startedAt", "vcpuMilli" FROM "JobRecord";
DROP TABLE "JobRecord";
ALTER TABLE "new_JobRecord" RENAME TO "JobRecord";
CREATE UNIQUE INDEX "JobRecord_podUid_key" ON "JobRecord"("podUid");
CREATE INDEX "JobRecord_connectionId_day_idx" ON "JobRecord"("connectionId", "day");
CREATE INDEX "JobRecord_connectionId_projectPath_day_idx" ON "JobRecord"("connectionId", "projectPath", "day");
CREATE INDEX "JobRecord_connectionId_finishedAt_idx" ON "JobRecord"("connectionId", "finishedAt");
CREATE INDEX "JobRecord_cost_by_day_idx" ON "JobRecord"("connectionId", "currency", "day", "projectPath", "billedSeconds", "costMicros");
CREATE INDEX "JobRecord_cost_by_duration_idx" ON "JobRecord"("connectionId", "currency", "billedSeconds", "day");
CREATE INDEX "JobRecord_cost_top_idx" ON "JobRecord"("connectionId", "currency", "costMicros", "finishedAt", "day");
CREATE INDEX "JobRecord_cost_by_spec_idx" ON "JobRecord"("connectionId", "currency", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "projectPath", "day", "billedSeconds", "costMicros");
CREATE UNIQUE INDEX "JobRecord_gitlabConnectionId_gitlabJobId_key" ON "JobRecord"("gitlabConnectionId", "gitlabJobId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

