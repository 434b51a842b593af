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

    CONSTRAINT "JobCostDay_pkey" PRIMARY KEY ("connectionId","currency","day","projectKnown","projectPath","vcpuMilli","memoryMiB","requestedVcpuMilli","requestedMemoryMiB")
);

-- CreateTable
CREATE TABLE "JobDurationDay" (
    "connectionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "billedSeconds" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,

    CONSTRAINT "JobDurationDay_pkey" PRIMARY KEY ("connectionId","currency","day","billedSeconds")
);


-- Hand-written (ADR 019): the rollups are kept by triggers, so every write to JobRecord (the
-- recorder, the GitLab backfill and link, a connection's cascade) changes them in the same
-- transaction, and an insert refused by the podUid key adds nothing. Statement-level with
-- transition tables: a bulk insert updates each rollup row once, not once per record.
-- The key's NULLs are written as projectKnown = false / projectPath '' and -1 (see schema.prisma).
-- The function bodies are E'' strings with \073 for each semicolon: Prisma's PostgreSQL adapter
-- splits a migration at every semicolon, inside dollar quotes too (@prisma/adapter-pg executeScript).
INSERT INTO "JobCostDay" ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "jobs", "billedSeconds", "costMicros")
SELECT "connectionId", "currency", "day", "projectPath" IS NOT NULL, COALESCE("projectPath", ''), "vcpuMilli", "memoryMiB", COALESCE("requestedVcpuMilli", -1), COALESCE("requestedMemoryMiB", -1), COUNT(*), SUM("billedSeconds"), SUM("costMicros")
FROM "JobRecord"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO "JobDurationDay" ("connectionId", "currency", "day", "billedSeconds", "jobs")
SELECT "connectionId", "currency", "day", "billedSeconds", COUNT(*)
FROM "JobRecord"
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION "job_record_rollup_add"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  -- In key order, so concurrent writers lock shared rollup rows in the same order.
  INSERT INTO "JobCostDay" AS r ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "jobs", "billedSeconds", "costMicros")
  SELECT "connectionId", "currency", "day", "projectPath" IS NOT NULL, COALESCE("projectPath", \'\'), "vcpuMilli", "memoryMiB", COALESCE("requestedVcpuMilli", -1), COALESCE("requestedMemoryMiB", -1), COUNT(*), SUM("billedSeconds"), SUM("costMicros")
  FROM "rollup_added"
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT ("connectionId", "currency", "day", "projectKnown", "projectPath", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB")
  DO UPDATE SET "jobs" = r."jobs" + excluded."jobs", "billedSeconds" = r."billedSeconds" + excluded."billedSeconds", "costMicros" = r."costMicros" + excluded."costMicros"\073
  INSERT INTO "JobDurationDay" AS r ("connectionId", "currency", "day", "billedSeconds", "jobs")
  SELECT "connectionId", "currency", "day", "billedSeconds", COUNT(*)
  FROM "rollup_added"
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ("connectionId", "currency", "day", "billedSeconds") DO UPDATE SET "jobs" = r."jobs" + excluded."jobs"\073
  RETURN NULL\073
END
';

CREATE FUNCTION "job_record_rollup_remove"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "JobCostDay" AS r
  SET "jobs" = r."jobs" - removed."jobs", "billedSeconds" = r."billedSeconds" - removed."billedSeconds", "costMicros" = r."costMicros" - removed."costMicros"
  FROM (
    SELECT "connectionId", "currency", "day", "projectPath" IS NOT NULL AS "projectKnown", COALESCE("projectPath", \'\') AS "projectPath", "vcpuMilli", "memoryMiB",
           COALESCE("requestedVcpuMilli", -1) AS "requestedVcpuMilli", COALESCE("requestedMemoryMiB", -1) AS "requestedMemoryMiB",
           COUNT(*) AS "jobs", SUM("billedSeconds") AS "billedSeconds", SUM("costMicros") AS "costMicros"
    FROM "rollup_removed"
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ) AS removed
  WHERE r."connectionId" = removed."connectionId" AND r."currency" = removed."currency" AND r."day" = removed."day" AND r."projectKnown" = removed."projectKnown" AND r."projectPath" = removed."projectPath"
    AND r."vcpuMilli" = removed."vcpuMilli" AND r."memoryMiB" = removed."memoryMiB" AND r."requestedVcpuMilli" = removed."requestedVcpuMilli" AND r."requestedMemoryMiB" = removed."requestedMemoryMiB"\073
  DELETE FROM "JobCostDay" WHERE "jobs" <= 0 AND ("connectionId", "currency", "day") IN (SELECT "connectionId", "currency", "day" FROM "rollup_removed")\073
  UPDATE "JobDurationDay" AS r SET "jobs" = r."jobs" - removed."jobs"
  FROM (SELECT "connectionId", "currency", "day", "billedSeconds", COUNT(*) AS "jobs" FROM "rollup_removed" GROUP BY 1, 2, 3, 4) AS removed
  WHERE r."connectionId" = removed."connectionId" AND r."currency" = removed."currency" AND r."day" = removed."day" AND r."billedSeconds" = removed."billedSeconds"\073
  DELETE FROM "JobDurationDay" WHERE "jobs" <= 0 AND ("connectionId", "currency", "day") IN (SELECT "connectionId", "currency", "day" FROM "rollup_removed")\073
  RETURN NULL\073
END
';

CREATE TRIGGER "JobRecord_rollup_insert" AFTER INSERT ON "JobRecord"
  REFERENCING NEW TABLE AS "rollup_added" FOR EACH STATEMENT EXECUTE FUNCTION "job_record_rollup_add"();
CREATE TRIGGER "JobRecord_rollup_delete" AFTER DELETE ON "JobRecord"
  REFERENCING OLD TABLE AS "rollup_removed" FOR EACH STATEMENT EXECUTE FUNCTION "job_record_rollup_remove"();
-- An update is a removal of the old values and an addition of the new ones. PostgreSQL does not
-- allow a column list (UPDATE OF) with transition tables, so this fires for every update statement:
-- the GitLab link's gitlabStatus updates then subtract and add the same values back (a few rows each).
CREATE TRIGGER "JobRecord_rollup_update_remove" AFTER UPDATE ON "JobRecord"
  REFERENCING OLD TABLE AS "rollup_removed" FOR EACH STATEMENT EXECUTE FUNCTION "job_record_rollup_remove"();
CREATE TRIGGER "JobRecord_rollup_update_add" AFTER UPDATE ON "JobRecord"
  REFERENCING NEW TABLE AS "rollup_added" FOR EACH STATEMENT EXECUTE FUNCTION "job_record_rollup_add"();
