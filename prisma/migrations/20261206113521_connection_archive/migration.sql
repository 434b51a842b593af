-- AlterTable
ALTER TABLE "Connection" ADD COLUMN "archivedAt" DATETIME;

