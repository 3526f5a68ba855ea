-- CreateEnum
CREATE TYPE "RecommendationStatus" AS ENUM ('OPEN', 'BOOKED', 'SUPERSEDED');

-- AlterTable
ALTER TABLE "HedgePolicy" DROP COLUMN "maxCoveragePct",
DROP COLUMN "minCoveragePct",
ADD COLUMN     "bands" JSONB NOT NULL,
ADD COLUMN     "lotTokens" BIGINT NOT NULL DEFAULT 1000000000,
ADD COLUMN     "maxOverHedgeProb" DECIMAL(6,4) NOT NULL DEFAULT 0.1,
ADD COLUMN     "preferredSettlement" "SettlementType" NOT NULL DEFAULT 'FINANCIAL',
ADD COLUMN     "quarterlyBudgetUsd" DECIMAL(20,6),
ADD COLUMN     "updatedById" TEXT,
ALTER COLUMN "maxTenorMonths" SET DEFAULT 12;

-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "contractedTokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "coveragePct" DECIMAL(8,2) NOT NULL,
ADD COLUMN     "p50DemandTokens" BIGINT NOT NULL,
ADD COLUMN     "runId" TEXT NOT NULL,
DROP COLUMN "status",
ADD COLUMN     "status" "RecommendationStatus" NOT NULL DEFAULT 'OPEN';

-- CreateTable
CREATE TABLE "RecommendationRun" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "forecastAsOf" DATE,
    "curveIds" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "results" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecommendationRun_organizationId_createdAt_idx" ON "RecommendationRun"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "Recommendation_organizationId_createdAt_idx" ON "Recommendation"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_runId_modelClassId_deliveryMonth_key" ON "Recommendation"("runId", "modelClassId", "deliveryMonth");

-- AddForeignKey
ALTER TABLE "RecommendationRun" ADD CONSTRAINT "RecommendationRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "RecommendationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

