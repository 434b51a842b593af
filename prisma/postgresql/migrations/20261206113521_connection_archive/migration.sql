-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "archivedAt" TIMESTAMP(3);

