-- AlterTable (ADD COLUMN, not Prisma's table rebuild: JobRecord may hold millions of rows)
ALTER TABLE "Connection" ADD COLUMN "priceSite" TEXT NOT NULL DEFAULT 'cn';
ALTER TABLE "Connection" ADD COLUMN "priceRegion" TEXT NOT NULL DEFAULT 'default';
ALTER TABLE "Connection" ADD COLUMN "defaultBackend" TEXT NOT NULL DEFAULT 'eci';

-- AlterTable
ALTER TABLE "JobRecord" ADD COLUMN "backend" TEXT NOT NULL DEFAULT 'eci';
ALTER TABLE "JobRecord" ADD COLUMN "computeClass" TEXT;
ALTER TABLE "JobRecord" ADD COLUMN "qos" TEXT;
