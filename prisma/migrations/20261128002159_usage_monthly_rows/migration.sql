-- AlterTable
ALTER TABLE "UsageMonthly" ADD COLUMN     "rows" BIGINT NOT NULL;

