-- CreateTable
CREATE TABLE "JobCostDay" (
    "connectionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "projectKnown" BOOLEAN NOT NULL,
    "projectPath" TEXT NOT NULL,
    "vcpuMilli" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "requestedVcpuMilli" INTEGER NOT NULL,
    "requestedMemoryMiB" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,
    "billedSeconds" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,

    PRIMARY KEY ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB")
);

-- CreateTable
CREATE TABLE "JobDurationDay" (
    "connectionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "billedSeconds" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,

    PRIMARY KEY ("connectionId", "currency", "day", "billedSeconds")
);


-- Hand-written (ADR 019): the rollups are kept by triggers, so every write to JobRecord (the
-- recorder, the GitLab backfill and link, a connection's cascade) changes them in the same
-- transaction, and an insert refused by the podUid key adds nothing. A later migration that
-- rebuilds "JobRecord" (SQLite's RedefineTables drops its triggers) must create these again;
-- tests/integration/cost-history.test.ts fails if it does not.
INSERT INTO "JobCostDay" ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "jobs", "billedSeconds", "costMicros")
SELECT "connectionId", "currency", "day", "projectPath" IS NOT NULL, COALESCE("projectPath", ''), "vcpuMilli", "memoryMiB", COALESCE("requestedVcpuMilli", -1), COALESCE("requestedMemoryMiB", -1), COUNT(*), SUM("billedSeconds"), SUM("costMicros")
FROM "JobRecord"
GROUP BY "connectionId", "currency", "day", "projectPath" IS NOT NULL, COALESCE("projectPath", ''), "vcpuMilli", "memoryMiB", COALESCE("requestedVcpuMilli", -1), COALESCE("requestedMemoryMiB", -1);

INSERT INTO "JobDurationDay" ("connectionId", "currency", "day", "billedSeconds", "jobs")
SELECT "connectionId", "currency", "day", "billedSeconds", COUNT(*)
FROM "JobRecord"
GROUP BY "connectionId", "currency", "day", "billedSeconds";

CREATE TRIGGER "JobRecord_rollup_insert" AFTER INSERT ON "JobRecord"
BEGIN
  INSERT INTO "JobCostDay" ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "jobs", "billedSeconds", "costMicros")
  VALUES (NEW."connectionId", NEW."currency", NEW."day", NEW."projectPath" IS NOT NULL, COALESCE(NEW."projectPath", ''), NEW."vcpuMilli", NEW."memoryMiB", COALESCE(NEW."requestedVcpuMilli", -1), COALESCE(NEW."requestedMemoryMiB", -1), 1, NEW."billedSeconds", NEW."costMicros")
  ON CONFLICT ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB")
  DO UPDATE SET "jobs" = "jobs" + 1, "billedSeconds" = "billedSeconds" + excluded."billedSeconds", "costMicros" = "costMicros" + excluded."costMicros";
  INSERT INTO "JobDurationDay" ("connectionId", "currency", "day", "billedSeconds", "jobs")
  VALUES (NEW."connectionId", NEW."currency", NEW."day", NEW."billedSeconds", 1)
  ON CONFLICT ("connectionId", "currency", "day", "billedSeconds") DO UPDATE SET "jobs" = "jobs" + 1;
END;

CREATE TRIGGER "JobRecord_rollup_delete" AFTER DELETE ON "JobRecord"
BEGIN
  UPDATE "JobCostDay" SET "jobs" = "jobs" - 1, "billedSeconds" = "billedSeconds" - OLD."billedSeconds", "costMicros" = "costMicros" - OLD."costMicros"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "projectKnown" = (OLD."projectPath" IS NOT NULL) AND "projectPath" = COALESCE(OLD."projectPath", '') AND "vcpuMilli" = OLD."vcpuMilli" AND "memoryMiB" = OLD."memoryMiB" AND "requestedVcpuMilli" = COALESCE(OLD."requestedVcpuMilli", -1) AND "requestedMemoryMiB" = COALESCE(OLD."requestedMemoryMiB", -1);
  DELETE FROM "JobCostDay"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "projectKnown" = (OLD."projectPath" IS NOT NULL) AND "projectPath" = COALESCE(OLD."projectPath", '') AND "vcpuMilli" = OLD."vcpuMilli" AND "memoryMiB" = OLD."memoryMiB" AND "requestedVcpuMilli" = COALESCE(OLD."requestedVcpuMilli", -1) AND "requestedMemoryMiB" = COALESCE(OLD."requestedMemoryMiB", -1) AND "jobs" <= 0;
  UPDATE "JobDurationDay" SET "jobs" = "jobs" - 1
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "billedSeconds" = OLD."billedSeconds";
  DELETE FROM "JobDurationDay"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "billedSeconds" = OLD."billedSeconds" AND "jobs" <= 0;
END;

-- Only when a column the rollups hold changes (the GitLab link updates gitlabStatus on every finished job).
CREATE TRIGGER "JobRecord_rollup_update" AFTER UPDATE OF "connectionId", "currency", "day", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "billedSeconds", "costMicros" ON "JobRecord"
BEGIN
  UPDATE "JobCostDay" SET "jobs" = "jobs" - 1, "billedSeconds" = "billedSeconds" - OLD."billedSeconds", "costMicros" = "costMicros" - OLD."costMicros"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "projectKnown" = (OLD."projectPath" IS NOT NULL) AND "projectPath" = COALESCE(OLD."projectPath", '') AND "vcpuMilli" = OLD."vcpuMilli" AND "memoryMiB" = OLD."memoryMiB" AND "requestedVcpuMilli" = COALESCE(OLD."requestedVcpuMilli", -1) AND "requestedMemoryMiB" = COALESCE(OLD."requestedMemoryMiB", -1);
  DELETE FROM "JobCostDay"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "projectKnown" = (OLD."projectPath" IS NOT NULL) AND "projectPath" = COALESCE(OLD."projectPath", '') AND "vcpuMilli" = OLD."vcpuMilli" AND "memoryMiB" = OLD."memoryMiB" AND "requestedVcpuMilli" = COALESCE(OLD."requestedVcpuMilli", -1) AND "requestedMemoryMiB" = COALESCE(OLD."requestedMemoryMiB", -1) AND "jobs" <= 0;
  UPDATE "JobDurationDay" SET "jobs" = "jobs" - 1
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "billedSeconds" = OLD."billedSeconds";
  DELETE FROM "JobDurationDay"
  WHERE "connectionId" = OLD."connectionId" AND "currency" = OLD."currency" AND "day" = OLD."day" AND "billedSeconds" = OLD."billedSeconds" AND "jobs" <= 0;
  INSERT INTO "JobCostDay" ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "jobs", "billedSeconds", "costMicros")
  VALUES (NEW."connectionId", NEW."currency", NEW."day", NEW."projectPath" IS NOT NULL, COALESCE(NEW."projectPath", ''), NEW."vcpuMilli", NEW."memoryMiB", COALESCE(NEW."requestedVcpuMilli", -1), COALESCE(NEW."requestedMemoryMiB", -1), 1, NEW."billedSeconds", NEW."costMicros")
  ON CONFLICT ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB")
  DO UPDATE SET "jobs" = "jobs" + 1, "billedSeconds" = "billedSeconds" + excluded."billedSeconds", "costMicros" = "costMicros" + excluded."costMicros";
  INSERT INTO "JobDurationDay" ("connectionId", "currency", "day", "billedSeconds", "jobs")
  VALUES (NEW."connectionId", NEW."currency", NEW."day", NEW."billedSeconds", 1)
  ON CONFLICT ("connectionId", "currency", "day", "billedSeconds") DO UPDATE SET "jobs" = "jobs" + 1;
END;
