-- CreateTable
CREATE TABLE "OpenJobPod" (
    "podUid" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "pod" TEXT NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    CONSTRAINT "OpenJobPod_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "OpenJobPod_connectionId_namespace_idx" ON "OpenJobPod"("connectionId", "namespace");

