-- AlterTable
ALTER TABLE "GitlabJob" ADD COLUMN     "checkedAt" TIMESTAMP(3);

