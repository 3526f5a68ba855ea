-- How many of a day's usage rows reported a cost, so a day whose costed rows were all replaced by uncosted
-- ones shows no reported cost (null) rather than 0. Backfilled from the stored rows.
ALTER TABLE "UsageDaily" ADD COLUMN "costRows" INTEGER NOT NULL DEFAULT 0;

UPDATE "UsageDaily" d SET "costRows" = x.n
FROM (SELECT "seriesId", "periodStart"::date AS day, count("costUsd") AS n FROM "UsageRecord" GROUP BY 1, 2) x
WHERE d."seriesId" = x."seriesId" AND d.day = x.day;

ALTER TABLE "UsageDaily" ALTER COLUMN "costRows" DROP DEFAULT;
