-- AlterEnum
ALTER TYPE "ContractEventType" ADD VALUE 'SERVICE_TERMS_AMENDED';

-- CreateEnum
CREATE TYPE "SupportTier" AS ENUM ('STANDARD', 'BUSINESS', 'ENTERPRISE', 'PREMIER');

-- AlterTable
ALTER TABLE "ContractProduct" ADD COLUMN     "latencyP95Ms" INTEGER,
ADD COLUMN     "reservedTokensPerMinute" BIGINT,
ADD COLUMN     "serviceCreditRule" JSONB,
ADD COLUMN     "supportTier" "SupportTier",
ADD COLUMN     "uptimeCommitmentPct" DECIMAL(6,3);
