-- AlterTable
ALTER TABLE "PriceBook" ADD COLUMN "acsPrices" TEXT;

