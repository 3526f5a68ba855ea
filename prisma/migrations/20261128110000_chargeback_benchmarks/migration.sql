-- Chargeback benchmarks priced in the monthly read model (spot and list, exact), and the curve change marker.
ALTER TABLE "Organization" ADD COLUMN "curvesChangedFrom" DATE;

ALTER TABLE "UsageMonthly"
  ADD COLUMN "spotValue" DECIMAL(38,6) NOT NULL DEFAULT 0,
  ADD COLUMN "preCurveListValue" DECIMAL(38,6) NOT NULL DEFAULT 0,
  ADD COLUMN "preCurveDays" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "spotUnpricedTokens" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "listValue" DECIMAL(38,6) NOT NULL DEFAULT 0,
  ADD COLUMN "listUnpricedTokens" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "spotCents" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "listCents" BIGINT NOT NULL DEFAULT 0;

-- Rows written before these columns carry no benchmark: every org's read model is behind until the rollup job
-- rebuilds it (readers fall back to the exact daily path meanwhile).
UPDATE "Organization" SET "usageVersion" = "usageVersion" + 1
 WHERE EXISTS (SELECT 1 FROM "UsageMonthly" m WHERE m."organizationId" = "Organization".id);
