-- CreateIndex
CREATE INDEX "ContractEvent_organizationId_at_idx" ON "ContractEvent"("organizationId", "at");
