-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "authType" TEXT NOT NULL,
    "caFingerprint" TEXT,
    "skipTlsVerify" BOOLEAN NOT NULL DEFAULT false,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "credentials" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastCheckedAt" DATETIME,
    "lastHealthy" BOOLEAN,
    "lastError" TEXT,
    "serverVersion" TEXT,
    "latencyMs" INTEGER
);

-- CreateTable
CREATE TABLE "RunnerProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "connectionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "step" INTEGER NOT NULL DEFAULT 0,
    "settings" TEXT NOT NULL,
    "secrets" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RunnerProfile_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApplyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "profileId" TEXT,
    "connectionId" TEXT,
    "username" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "result" TEXT NOT NULL,
    "objects" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "ApplyRecord_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "RunnerProfile" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ApplyRecord_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobRecord" (
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
    "costMicros" INTEGER NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "JobRecord_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PriceBook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "site" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'default',
    "currency" TEXT NOT NULL,
    "vcpuPerSecond" TEXT NOT NULL,
    "memoryGiBPerSecond" TEXT NOT NULL,
    "economyVcpuPerSecond" TEXT,
    "source" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EcsPrice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'cn-hangzhou',
    "currency" TEXT NOT NULL,
    "monthlyPrice" TEXT NOT NULL,
    "vcpu" INTEGER,
    "memoryGiB" INTEGER,
    "updatedAt" DATETIME NOT NULL
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

