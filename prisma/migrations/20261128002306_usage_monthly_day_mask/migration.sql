-- AlterTable
ALTER TABLE "UsageMonthly" ADD COLUMN     "dayMask" INTEGER NOT NULL;

