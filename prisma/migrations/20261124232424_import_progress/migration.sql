-- CreateTable
CREATE TABLE "ImportProgress" (
    "uploadId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "rowsProcessed" INTEGER NOT NULL DEFAULT 0,
    "bytesProcessed" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportProgress_pkey" PRIMARY KEY ("uploadId")
);

