-- CreateEnum
CREATE TYPE "ConnectorProvider" AS ENUM ('OPENAI', 'ANTHROPIC');

-- CreateTable
CREATE TABLE "UsageConnector" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "provider" "ConnectorProvider" NOT NULL,
    "name" TEXT NOT NULL,
    "keyCiphertext" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "baseUrl" TEXT,
    "startDate" DATE NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "syncedThrough" DATE,
    "lastSyncAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageConnector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorSyncRun" (
    "id" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "fromDay" DATE,
    "toDay" DATE,
    "days" INTEGER NOT NULL DEFAULT 0,
    "daysChanged" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "rowsFetched" INTEGER NOT NULL DEFAULT 0,
    "rowsImported" INTEGER NOT NULL DEFAULT 0,
    "rowsRejected" INTEGER NOT NULL DEFAULT 0,
    "importId" TEXT,
    "message" TEXT,
    "error" TEXT,

    CONSTRAINT "ConnectorSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorSyncDay" (
    "connectorId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "rowsHash" TEXT NOT NULL,

    CONSTRAINT "ConnectorSyncDay_pkey" PRIMARY KEY ("connectorId","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "UsageConnector_organizationId_name_key" ON "UsageConnector"("organizationId", "name");

-- CreateIndex
CREATE INDEX "ConnectorSyncRun_connectorId_startedAt_idx" ON "ConnectorSyncRun"("connectorId", "startedAt");

-- AddForeignKey
ALTER TABLE "UsageConnector" ADD CONSTRAINT "UsageConnector_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorSyncRun" ADD CONSTRAINT "ConnectorSyncRun_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "UsageConnector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorSyncDay" ADD CONSTRAINT "ConnectorSyncDay_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "UsageConnector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

