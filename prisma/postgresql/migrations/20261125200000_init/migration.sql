-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "authType" TEXT NOT NULL,
    "caFingerprint" TEXT,
    "skipTlsVerify" BOOLEAN NOT NULL DEFAULT false,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "credentials" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastCheckedAt" TIMESTAMP(3),
    "lastHealthy" BOOLEAN,
    "lastError" TEXT,
    "serverVersion" TEXT,
    "latencyMs" INTEGER,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunnerProfile" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "connectionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "step" INTEGER NOT NULL DEFAULT 0,
    "settings" TEXT NOT NULL,
    "secrets" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunnerProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplyRecord" (
    "id" TEXT NOT NULL,
    "profileId" TEXT,
    "connectionId" TEXT,
    "username" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT NOT NULL,
    "objects" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "ApplyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRecord" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3) NOT NULL,
    "day" TEXT NOT NULL,
    "billedSeconds" INTEGER NOT NULL,
    "vcpuMilli" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "requestedVcpuMilli" INTEGER,
    "requestedMemoryMiB" INTEGER,
    "currency" TEXT NOT NULL,
    "costMicros" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceBook" (
    "id" TEXT NOT NULL,
    "site" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'default',
    "currency" TEXT NOT NULL,
    "vcpuPerSecond" TEXT NOT NULL,
    "memoryGiBPerSecond" TEXT NOT NULL,
    "economyVcpuPerSecond" TEXT,
    "source" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PriceBook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EcsPrice" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'cn-hangzhou',
    "currency" TEXT NOT NULL,
    "monthlyPrice" TEXT NOT NULL,
    "vcpu" INTEGER,
    "memoryGiB" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EcsPrice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "LoginFailure_key_createdAt_idx" ON "LoginFailure"("key", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");

-- CreateIndex
CREATE UNIQUE INDEX "RunnerProfile_name_key" ON "RunnerProfile"("name");

-- CreateIndex
CREATE INDEX "ApplyRecord_profileId_startedAt_idx" ON "ApplyRecord"("profileId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRecord_podUid_key" ON "JobRecord"("podUid");

-- CreateIndex
CREATE INDEX "JobRecord_connectionId_day_idx" ON "JobRecord"("connectionId", "day");

-- CreateIndex
CREATE INDEX "JobRecord_connectionId_projectPath_day_idx" ON "JobRecord"("connectionId", "projectPath", "day");

-- CreateIndex
CREATE INDEX "JobRecord_connectionId_finishedAt_idx" ON "JobRecord"("connectionId", "finishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PriceBook_site_region_key" ON "PriceBook"("site", "region");

-- CreateIndex
CREATE UNIQUE INDEX "EcsPrice_name_key" ON "EcsPrice"("name");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunnerProfile" ADD CONSTRAINT "RunnerProfile_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplyRecord" ADD CONSTRAINT "ApplyRecord_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "RunnerProfile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplyRecord" ADD CONSTRAINT "ApplyRecord_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobRecord" ADD CONSTRAINT "JobRecord_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

