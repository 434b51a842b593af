-- AlterTable
ALTER TABLE "RunnerProfile" ADD COLUMN "gitlabConnectionId" TEXT;
ALTER TABLE "RunnerProfile" ADD COLUMN "gitlabRunnerId" INTEGER;

-- CreateTable
CREATE TABLE "GitlabConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "caFingerprint" TEXT,
    "credentials" TEXT NOT NULL,
    "tokenKind" TEXT,
    "tokenUser" TEXT,
    "tokenScopes" TEXT,
    "tokenExpiresAt" DATETIME,
    "serverVersion" TEXT,
    "lastCheckedAt" DATETIME,
    "lastHealthy" BOOLEAN,
    "lastError" TEXT,
    "lastSyncAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GitlabProject" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gitlabConnectionId" TEXT NOT NULL,
    "projectId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "webUrl" TEXT,
    "defaultBranch" TEXT,
    "hookId" INTEGER,
    "hookProblem" TEXT,
    "lastEventAt" DATETIME,
    "lastPolledAt" DATETIME,
    CONSTRAINT "GitlabProject_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GitlabRunnerCursor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gitlabConnectionId" TEXT NOT NULL,
    "runnerId" INTEGER NOT NULL,
    "newestJobId" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "GitlabRunnerCursor_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GitlabJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gitlabConnectionId" TEXT NOT NULL,
    "jobId" INTEGER NOT NULL,
    "projectId" INTEGER NOT NULL,
    "projectPath" TEXT,
    "pipelineId" INTEGER,
    "name" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "ref" TEXT,
    "mergeRequestIid" INTEGER,
    "source" TEXT,
    "userName" TEXT,
    "commitSha" TEXT,
    "commitTitle" TEXT,
    "runnerId" INTEGER,
    "allowFailure" BOOLEAN NOT NULL DEFAULT false,
    "failureReason" TEXT,
    "webUrl" TEXT,
    "createdAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationSeconds" REAL,
    "queuedSeconds" REAL,
    "syncedAt" DATETIME NOT NULL,
    CONSTRAINT "GitlabJob_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GitlabPipeline" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "gitlabConnectionId" TEXT NOT NULL,
    "pipelineId" INTEGER NOT NULL,
    "projectId" INTEGER NOT NULL,
    "projectPath" TEXT,
    "status" TEXT NOT NULL,
    "ref" TEXT,
    "mergeRequestIid" INTEGER,
    "source" TEXT,
    "sha" TEXT,
    "userName" TEXT,
    "webUrl" TEXT,
    "createdAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationSeconds" REAL,
    "queuedSeconds" REAL,
    "syncedAt" DATETIME NOT NULL,
    CONSTRAINT "GitlabPipeline_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (columns added in place: no rebuild of a table that may hold millions of rows)
ALTER TABLE "JobRecord" ADD COLUMN "gitlabConnectionId" TEXT;
ALTER TABLE "JobRecord" ADD COLUMN "gitlabJobId" INTEGER;
ALTER TABLE "JobRecord" ADD COLUMN "gitlabStatus" TEXT;
ALTER TABLE "JobRecord" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'pod';

-- CreateIndex
CREATE UNIQUE INDEX "JobRecord_gitlabConnectionId_gitlabJobId_key" ON "JobRecord"("gitlabConnectionId", "gitlabJobId");

-- CreateIndex
CREATE UNIQUE INDEX "GitlabConnection_name_key" ON "GitlabConnection"("name");

-- CreateIndex
CREATE UNIQUE INDEX "GitlabProject_gitlabConnectionId_projectId_key" ON "GitlabProject"("gitlabConnectionId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "GitlabRunnerCursor_gitlabConnectionId_runnerId_key" ON "GitlabRunnerCursor"("gitlabConnectionId", "runnerId");

-- CreateIndex
CREATE INDEX "GitlabJob_gitlabConnectionId_pipelineId_idx" ON "GitlabJob"("gitlabConnectionId", "pipelineId");

-- CreateIndex
CREATE INDEX "GitlabJob_gitlabConnectionId_status_idx" ON "GitlabJob"("gitlabConnectionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "GitlabJob_gitlabConnectionId_jobId_key" ON "GitlabJob"("gitlabConnectionId", "jobId");

-- CreateIndex
CREATE INDEX "GitlabPipeline_gitlabConnectionId_createdAt_idx" ON "GitlabPipeline"("gitlabConnectionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GitlabPipeline_gitlabConnectionId_pipelineId_key" ON "GitlabPipeline"("gitlabConnectionId", "pipelineId");

