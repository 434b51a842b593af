-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "defaultBackend" TEXT NOT NULL DEFAULT 'eci',
ADD COLUMN     "priceRegion" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "priceSite" TEXT NOT NULL DEFAULT 'cn';

-- AlterTable
ALTER TABLE "JobRecord" ADD COLUMN     "backend" TEXT NOT NULL DEFAULT 'eci',
ADD COLUMN     "computeClass" TEXT,
ADD COLUMN     "qos" TEXT;

