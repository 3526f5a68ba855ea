import { expect } from "vitest";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export type StoredUsage = {
  teamId: string;
  modelId: string;
  granularity: "HOUR" | "DAY";
  periodStart: Date;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  requests: bigint;
  costUsd: Prisma.Decimal | null;
  importId: string;
};

/** Usage rows as stored (UsageRecord is not in Prisma Client: read with SQL), with their team, model and import. */
export function usageRecords(orgId: string): Promise<StoredUsage[]> {
  return prisma.$queryRaw<StoredUsage[]>`
    SELECT s."teamId", s."modelId", s.granularity::text AS granularity, u."periodStart", u."inputTokens", u."outputTokens", u."cachedInputTokens",
           u.requests, u."costUsd", i.id AS "importId"
    FROM "UsageRecord" u JOIN "UsageSeries" s ON s.id = u."seriesId" JOIN "Import" i ON i.seq = u."importSeq"
    WHERE s."organizationId" = ${orgId} ORDER BY s."teamId", s."modelId", s.granularity, u."periodStart"`;
}

export const usageCount = async (orgId: string) => (await usageRecords(orgId)).length;

/**
 * What the import service promises about storage, checked from the tables: one row per series × period, every
 * row's series and import exist in the org, series bounds cover their rows, and UsageDaily equals the rows'
 * day totals exactly (reported cost null exactly when no row of the day reported one).
 */
export async function expectStorageConsistent(orgId: string) {
  const dupes = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT u."seriesId", u."periodStart" FROM "UsageRecord" u JOIN "UsageSeries" s ON s.id = u."seriesId"
      WHERE s."organizationId" = ${orgId} GROUP BY 1, 2 HAVING count(*) > 1) x`;
  expect(Number(dupes[0].n), "duplicate series × period rows").toBe(0);
  const orphans = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "UsageRecord" u LEFT JOIN "UsageSeries" s ON s.id = u."seriesId" LEFT JOIN "Import" i ON i.seq = u."importSeq"
    WHERE s.id IS NULL OR i.id IS NULL OR i."organizationId" <> s."organizationId"`;
  expect(Number(orphans[0].n), "rows without series or import").toBe(0);
  const outside = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "UsageRecord" u JOIN "UsageSeries" s ON s.id = u."seriesId"
    WHERE s."organizationId" = ${orgId} AND NOT (u."periodStart" BETWEEN s."firstPeriod" AND s."lastPeriod")`;
  expect(Number(outside[0].n), "rows outside their series bounds").toBe(0);
  const mismatch = await prisma.$queryRaw<{ seriesId: number; day: Date }[]>`
    WITH r AS (
      SELECT u."seriesId", u."periodStart"::date AS day, sum(u."inputTokens") AS i, sum(u."outputTokens") AS o, sum(u."cachedInputTokens") AS c,
             sum(u.requests) AS q, sum(u."costUsd") AS cost, count(*) AS n, count(u."costUsd") AS cn
      FROM "UsageRecord" u JOIN "UsageSeries" s ON s.id = u."seriesId" WHERE s."organizationId" = ${orgId} GROUP BY 1, 2),
    d AS (
      SELECT d."seriesId", d.day, d."inputTokens" AS i, d."outputTokens" AS o, d."cachedInputTokens" AS c, d.requests AS q, d."costUsd" AS cost, d.rows AS n, d."costRows" AS cn
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" WHERE s."organizationId" = ${orgId} AND d.rows > 0)
    SELECT coalesce(r."seriesId", d."seriesId") AS "seriesId", coalesce(r.day, d.day) AS day FROM r FULL JOIN d ON r."seriesId" = d."seriesId" AND r.day = d.day
    WHERE r.i IS DISTINCT FROM d.i OR r.o IS DISTINCT FROM d.o OR r.c IS DISTINCT FROM d.c OR r.q IS DISTINCT FROM d.q OR r.cost IS DISTINCT FROM d.cost OR r.n IS DISTINCT FROM d.n OR r.cn IS DISTINCT FROM d.cn`;
  expect(mismatch, "UsageDaily differs from the rows' day totals").toEqual([]);
}
