-- CreateEnum
CREATE TYPE "ContractEventType" AS ENUM ('CREATED', 'SUBMITTED_FOR_APPROVAL', 'APPROVED', 'REJECTED', 'BOOKED', 'DELIVERY_STARTED', 'PERIOD_SETTLED', 'SETTLED', 'CANCELLED', 'DRIFT_FLAGGED');

-- CreateEnum
CREATE TYPE "SubstitutionRule" AS ENUM ('SUCCESSOR_SAME_STRIKE', 'CASH_SETTLE_LAST_PRICE', 'MANUAL_REVIEW');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ContractStatus" ADD VALUE 'DELIVERING';
ALTER TYPE "ContractStatus" ADD VALUE 'REJECTED';

-- DropForeignKey
ALTER TABLE "Contract" DROP CONSTRAINT "Contract_providerId_fkey";

-- DropForeignKey
ALTER TABLE "Contract" DROP CONSTRAINT "Contract_modelClassId_fkey";

-- DropForeignKey
ALTER TABLE "ContractEvent" DROP CONSTRAINT "ContractEvent_contractId_fkey";

-- AlterTable
ALTER TABLE "Counterparty" ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Contract" DROP COLUMN "createdAt",
DROP COLUMN "createdById",
DROP COLUMN "modelClassId",
DROP COLUMN "providerId",
DROP COLUMN "quantityTokens",
DROP COLUMN "settlement",
DROP COLUMN "strikeUsdPerMTokens",
DROP COLUMN "windowEnd",
DROP COLUMN "windowStart",
ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "bookedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "bookedById" TEXT,
ADD COLUMN     "bookedByName" TEXT NOT NULL,
ADD COLUMN     "driftFlaggedAt" TIMESTAMP(3),
ADD COLUMN     "idempotencyKey" TEXT NOT NULL,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "productId" TEXT NOT NULL,
ADD COLUMN     "requestHash" TEXT NOT NULL,
ADD COLUMN     "substitutionRule" "SubstitutionRule" NOT NULL;

-- AlterTable
ALTER TABLE "ContractEvent" DROP COLUMN "changes",
ADD COLUMN     "actorName" TEXT NOT NULL,
ADD COLUMN     "after" JSONB,
ADD COLUMN     "before" JSONB,
ADD COLUMN     "comment" TEXT,
DROP COLUMN "type",
ADD COLUMN     "type" "ContractEventType" NOT NULL;

-- AlterTable
ALTER TABLE "Settlement" ADD COLUMN     "creditsForfeitedTokens" BIGINT,
ADD COLUMN     "creditsUsedTokens" BIGINT,
ALTER COLUMN "avgSpotUsdPerMTokens" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ContractProduct" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "modelClassId" TEXT NOT NULL,
    "quantityTokens" BIGINT NOT NULL,
    "windowStart" DATE NOT NULL,
    "windowEnd" DATE NOT NULL,
    "strikeUsdPerMTokens" DECIMAL(20,6) NOT NULL,
    "settlement" "SettlementType" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractProduct_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ContractProduct_organizationId_modelClassId_windowStart_idx" ON "ContractProduct"("organizationId", "modelClassId", "windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_productId_key" ON "Contract"("productId");

-- CreateIndex
CREATE INDEX "Contract_organizationId_status_idx" ON "Contract"("organizationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_organizationId_idempotencyKey_key" ON "Contract"("organizationId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "ContractProduct" ADD CONSTRAINT "ContractProduct_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractProduct" ADD CONSTRAINT "ContractProduct_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractProduct" ADD CONSTRAINT "ContractProduct_modelClassId_fkey" FOREIGN KEY ("modelClassId") REFERENCES "ModelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_productId_fkey" FOREIGN KEY ("productId") REFERENCES "ContractProduct"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractEvent" ADD CONSTRAINT "ContractEvent_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules the Prisma schema cannot express. Kept here as the source of truth, copied into the migration that
-- introduced them, and applied by tests/migrations.test.ts to the schema-built database so drift is still exact.
-- Prisma's migration runner splits scripts at every semicolon, even inside quotes: the function body spells
-- its semicolons as the escape \073 inside an E'' string.

-- Contract events are an append-only audit trail: no UPDATE, no DELETE, no TRUNCATE, whoever asks.
CREATE OR REPLACE FUNCTION contract_event_append_only() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''contract events are append-only (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
CREATE TRIGGER contract_event_append_only BEFORE UPDATE OR DELETE ON "ContractEvent"
  FOR EACH ROW EXECUTE FUNCTION contract_event_append_only();
CREATE TRIGGER contract_event_no_truncate BEFORE TRUNCATE ON "ContractEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION contract_event_append_only();
