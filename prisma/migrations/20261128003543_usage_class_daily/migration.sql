-- CreateTable
CREATE TABLE "UsageClassDaily" (
    "organizationId" TEXT NOT NULL,
    "modelClassId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "inputTokens" BIGINT NOT NULL,
    "outputTokens" BIGINT NOT NULL,

    CONSTRAINT "UsageClassDaily_pkey" PRIMARY KEY ("organizationId","modelClassId","day")
);

-- AddForeignKey
ALTER TABLE "UsageClassDaily" ADD CONSTRAINT "UsageClassDaily_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

