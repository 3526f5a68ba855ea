-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "usageRolledVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "usageVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ContractMark" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "curveId" TEXT,
    "valueUsd" DECIMAL(20,6) NOT NULL,
    "realisedUsd" DECIMAL(20,6) NOT NULL,
    "unrealisedUsd" DECIMAL(20,6) NOT NULL,
    "periods" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractMark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageMonthly" (
    "organizationId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelClassId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "inputTokens" BIGINT NOT NULL,
    "outputTokens" BIGINT NOT NULL,
    "cachedInputTokens" BIGINT NOT NULL,
    "requests" BIGINT NOT NULL,
    "listCostUsd" DECIMAL(24,6),
    "costUsd" DECIMAL(24,6),
    "days" INTEGER NOT NULL,

    CONSTRAINT "UsageMonthly_pkey" PRIMARY KEY ("organizationId","month","teamId","modelId")
);

-- CreateIndex
CREATE INDEX "ContractMark_organizationId_asOf_idx" ON "ContractMark"("organizationId", "asOf");

-- CreateIndex
CREATE UNIQUE INDEX "ContractMark_contractId_asOf_key" ON "ContractMark"("contractId", "asOf");

-- CreateIndex
CREATE INDEX "UsageMonthly_organizationId_teamId_month_idx" ON "UsageMonthly"("organizationId", "teamId", "month");

-- AddForeignKey
ALTER TABLE "ContractMark" ADD CONSTRAINT "ContractMark_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractMark" ADD CONSTRAINT "ContractMark_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageMonthly" ADD CONSTRAINT "UsageMonthly_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

