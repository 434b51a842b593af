-- AlterTable
ALTER TABLE "GitlabJob" ADD COLUMN "checkedAt" DATETIME;

