-- AlterTable
ALTER TABLE "JobRecord" ALTER COLUMN "costMicros" SET DATA TYPE BIGINT;

