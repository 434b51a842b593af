-- AlterTable
ALTER TABLE "JobRecord" ADD COLUMN     "gitlabConnectionId" TEXT,
ADD COLUMN     "gitlabJobId" INTEGER,
ADD COLUMN     "gitlabStatus" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'pod';

-- AlterTable
ALTER TABLE "RunnerProfile" ADD COLUMN     "gitlabConnectionId" TEXT,
ADD COLUMN     "gitlabRunnerId" INTEGER;

-- CreateTable
CREATE TABLE "GitlabConnection" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "caFingerprint" TEXT,
    "credentials" TEXT NOT NULL,
    "tokenKind" TEXT,
    "tokenUser" TEXT,
    "tokenScopes" TEXT,
    "tokenExpiresAt" TIMESTAMP(3),
    "serverVersion" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "lastHealthy" BOOLEAN,
    "lastError" TEXT,
    "lastSyncAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitlabConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitlabProject" (
    "id" TEXT NOT NULL,
    "gitlabConnectionId" TEXT NOT NULL,
    "projectId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "webUrl" TEXT,
    "defaultBranch" TEXT,
    "hookId" INTEGER,
    "hookProblem" TEXT,
    "lastEventAt" TIMESTAMP(3),
    "lastPolledAt" TIMESTAMP(3),

    CONSTRAINT "GitlabProject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitlabRunnerCursor" (
    "id" TEXT NOT NULL,
    "gitlabConnectionId" TEXT NOT NULL,
    "runnerId" INTEGER NOT NULL,
    "newestJobId" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitlabRunnerCursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitlabJob" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationSeconds" DOUBLE PRECISION,
    "queuedSeconds" DOUBLE PRECISION,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitlabJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitlabPipeline" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationSeconds" DOUBLE PRECISION,
    "queuedSeconds" DOUBLE PRECISION,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitlabPipeline_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE UNIQUE INDEX "JobRecord_gitlabConnectionId_gitlabJobId_key" ON "JobRecord"("gitlabConnectionId", "gitlabJobId");

-- AddForeignKey
ALTER TABLE "GitlabProject" ADD CONSTRAINT "GitlabProject_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitlabRunnerCursor" ADD CONSTRAINT "GitlabRunnerCursor_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitlabJob" ADD CONSTRAINT "GitlabJob_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitlabPipeline" ADD CONSTRAINT "GitlabPipeline_gitlabConnectionId_fkey" FOREIGN KEY ("gitlabConnectionId") REFERENCES "GitlabConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

