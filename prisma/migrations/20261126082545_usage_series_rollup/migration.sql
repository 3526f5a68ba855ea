-- Usage storage for bulk imports: a narrow fact table keyed by integer series ids (no per-row foreign keys, no
-- index), a series dimension with stored bounds, and a daily rollup that every read uses. Existing rows are
-- carried over.

-- AlterTable
ALTER TABLE "Import" ADD COLUMN     "seq" SERIAL NOT NULL;

-- CreateTable
CREATE TABLE "UsageSeries" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "granularity" "Granularity" NOT NULL,
    "firstPeriod" TIMESTAMP(3),
    "lastPeriod" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "seriesId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "inputTokens" BIGINT NOT NULL,
    "outputTokens" BIGINT NOT NULL,
    "cachedInputTokens" BIGINT NOT NULL,
    "requests" BIGINT NOT NULL,
    "costUsd" DECIMAL(20,6),
    "rows" INTEGER NOT NULL,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("seriesId","day")
);

-- Carry existing usage over: one series per org × team × model × granularity
INSERT INTO "UsageSeries" ("organizationId", "teamId", "modelId", "granularity", "firstPeriod", "lastPeriod")
SELECT "organizationId", "teamId", "modelId", "granularity", min("periodStart"), max("periodStart")
FROM "UsageRecord" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

CREATE TABLE "UsageRecord_new" (
    "seriesId" INTEGER NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "inputTokens" BIGINT NOT NULL,
    "outputTokens" BIGINT NOT NULL,
    "cachedInputTokens" BIGINT NOT NULL DEFAULT 0,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(20,6),
    "importSeq" INTEGER NOT NULL
);

INSERT INTO "UsageRecord_new"
SELECT s.id, u."periodStart", u."inputTokens", u."outputTokens", u."cachedInputTokens", u.requests, u."costUsd", i.seq
FROM "UsageRecord" u
JOIN "UsageSeries" s ON s."organizationId" = u."organizationId" AND s."teamId" = u."teamId" AND s."modelId" = u."modelId" AND s.granularity = u.granularity
JOIN "Import" i ON i.id = u."importId"
ORDER BY u."periodStart";

DROP TABLE "UsageRecord";
ALTER TABLE "UsageRecord_new" RENAME TO "UsageRecord";

INSERT INTO "UsageDaily" ("seriesId", "day", "inputTokens", "outputTokens", "cachedInputTokens", "requests", "costUsd", "rows")
SELECT "seriesId", "periodStart"::date, sum("inputTokens"), sum("outputTokens"), sum("cachedInputTokens"), sum(requests), sum("costUsd"), count(*)
FROM "UsageRecord" GROUP BY 1, 2;

-- CreateIndex
CREATE INDEX "UsageSeries_organizationId_idx" ON "UsageSeries"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "UsageSeries_organizationId_teamId_modelId_granularity_key" ON "UsageSeries"("organizationId", "teamId", "modelId", "granularity");

-- CreateIndex
CREATE UNIQUE INDEX "Import_seq_key" ON "Import"("seq");

-- AddForeignKey
ALTER TABLE "UsageSeries" ADD CONSTRAINT "UsageSeries_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageSeries" ADD CONSTRAINT "UsageSeries_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageSeries" ADD CONSTRAINT "UsageSeries_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
