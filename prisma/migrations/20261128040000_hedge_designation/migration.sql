-- AlterEnum
ALTER TYPE "ContractEventType" ADD VALUE 'DESIGNATED';

-- CreateTable
CREATE TABLE "HedgeDesignation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "designatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "designatedById" TEXT,
    "designatedByName" TEXT NOT NULL,
    "riskManagementObjective" TEXT NOT NULL,
    "hedgedItem" TEXT NOT NULL,
    "hedgingInstrument" TEXT NOT NULL,
    "effectivenessMethod" TEXT NOT NULL,
    "prospective" JSONB NOT NULL,

    CONSTRAINT "HedgeDesignation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HedgeDesignationMonth" (
    "designationId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "hedgedTokens" BIGINT NOT NULL,
    "forwardUsdPerMTokens" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "HedgeDesignationMonth_pkey" PRIMARY KEY ("designationId","month")
);

-- CreateIndex
CREATE UNIQUE INDEX "HedgeDesignation_contractId_key" ON "HedgeDesignation"("contractId");

-- CreateIndex
CREATE INDEX "HedgeDesignation_organizationId_designatedAt_idx" ON "HedgeDesignation"("organizationId", "designatedAt");

-- AddForeignKey
ALTER TABLE "HedgeDesignation" ADD CONSTRAINT "HedgeDesignation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HedgeDesignation" ADD CONSTRAINT "HedgeDesignation_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HedgeDesignationMonth" ADD CONSTRAINT "HedgeDesignationMonth_designationId_fkey" FOREIGN KEY ("designationId") REFERENCES "HedgeDesignation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
