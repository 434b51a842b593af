-- CreateTable
CREATE TABLE "OpenJobPod" (
    "podUid" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "pod" TEXT NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OpenJobPod_pkey" PRIMARY KEY ("podUid")
);

-- CreateIndex
CREATE INDEX "OpenJobPod_connectionId_namespace_idx" ON "OpenJobPod"("connectionId", "namespace");

-- AddForeignKey
ALTER TABLE "OpenJobPod" ADD CONSTRAINT "OpenJobPod_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

