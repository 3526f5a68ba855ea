/**
 * UsageMonthly, the read model dashboards use: per org × team × model × calendar month, tokens and list cost
 * already priced (each usage day at the catalog price in force that day — the rule of lib/domain/pricing.ts,
 * aggregated in SQL numeric). Rebuilt for one org in one transaction, so readers see the previous complete
 * set until the new one commits; safe to run twice or concurrently (per-org advisory lock).
 *
 * Freshness: every usage import and price change bumps Organization.usageVersion; the rollup records the
 * version it was built from in usageRolledVersion. A usage import keeps both read models current itself, in its
 * own transaction, when they were current before it (UsageWriter.maintainReadModels: the team × model × month and
 * class × day rows it touched are recomputed with this file's SQL); a list price change leaves them behind for
 * this job, which re-prices everything. Readers use the rollup only when it is current and fall back to the
 * exact daily path otherwise (and pages can say "updating…").
 */
import { prisma, type Db } from "@/lib/db/client";

/**
 * The monthly read model's rows, priced, from UsageDaily: INSERT … SELECT with $1 = the org. `scope` is an extra
 * JOIN that limits it to some team × model × month keys (the import's in-transaction upkeep); empty for all.
 */
export function monthlyRollupSql(scope = ""): string {
  return `
    WITH prices AS (
      SELECT "modelId", "effectiveFrom" AS from_day,
             lead("effectiveFrom") OVER (PARTITION BY "modelId" ORDER BY "effectiveFrom") AS to_day,
             "inputUsdPerMTokens" AS input_rate, "outputUsdPerMTokens" AS output_rate,
             coalesce("cachedInputUsdPerMTokens", "inputUsdPerMTokens") AS cached_rate
        FROM "ModelPrice" WHERE "organizationId" = $1
    )
    INSERT INTO "UsageMonthly" ("organizationId", "teamId", "modelId", "modelClassId", month, "inputTokens", "outputTokens",
                                "cachedInputTokens", requests, "listCostUsd", "costUsd", days, "dayMask", rows)
    SELECT s."organizationId", s."teamId", s."modelId", m."modelClassId", date_trunc('month', d.day)::date,
           sum(d."inputTokens"), sum(d."outputTokens"), sum(d."cachedInputTokens"), sum(d.requests),
           sum(((d."inputTokens" - d."cachedInputTokens") * p.input_rate + d."cachedInputTokens" * p.cached_rate
                + d."outputTokens" * p.output_rate) / 1000000),
           CASE WHEN sum(d."costRows") = 0 THEN NULL ELSE sum(d."costUsd") END,
           count(*), bit_or(1 << (extract(day FROM d.day)::int - 1)), sum(d.rows)
      FROM "UsageDaily" d
      JOIN "UsageSeries" s ON s.id = d."seriesId"
      JOIN "Model" m ON m.id = s."modelId"
      ${scope}
      LEFT JOIN prices p ON p."modelId" = s."modelId" AND d.day >= p.from_day AND (p.to_day IS NULL OR d.day < p.to_day)
     WHERE s."organizationId" = $1
     GROUP BY s."organizationId", s."teamId", s."modelId", m."modelClassId", date_trunc('month', d.day)`;
}

/** The class × day read model (forecast, settlement and recommendation inputs) from UsageDaily; $1 = the org. */
export function classDailyRollupSql(scope = ""): string {
  return `
    INSERT INTO "UsageClassDaily" ("organizationId", "modelClassId", day, "inputTokens", "outputTokens")
    SELECT s."organizationId", m."modelClassId", d.day, sum(d."inputTokens"), sum(d."outputTokens")
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
      ${scope}
     WHERE s."organizationId" = $1
     GROUP BY s."organizationId", m."modelClassId", d.day`;
}

/** The lock the rollup and an import's read-model upkeep take (in that transaction): one writer of the read models at a time. */
export const rollupLockKey = (orgId: string) => `usage-rollup:${orgId}`;

/**
 * Rebuilds the org's read models. `onlyIfBehind` (the job): nothing to do when they are already current — a usage
 * import keeps them so itself; a list price change leaves them behind.
 */
export async function rollupUsage(orgId: string, opts: { onlyIfBehind?: boolean } = {}) {
  const started = Date.now();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${rollupLockKey(orgId)}))`;
      const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { usageVersion: true, usageRolledVersion: true } });
      if (opts.onlyIfBehind && org.usageRolledVersion === org.usageVersion) return { monthlyRows: 0, version: org.usageVersion, ms: Date.now() - started, skipped: true };
      await tx.$executeRaw`DELETE FROM "UsageMonthly" WHERE "organizationId" = ${orgId}`;
      const rows = await tx.$executeRawUnsafe(monthlyRollupSql(), orgId);
      await tx.$executeRaw`DELETE FROM "UsageClassDaily" WHERE "organizationId" = ${orgId}`;
      await tx.$executeRawUnsafe(classDailyRollupSql(), orgId);
      await tx.organization.update({ where: { id: orgId }, data: { usageRolledVersion: org.usageVersion } });
      return { monthlyRows: rows, version: org.usageVersion, ms: Date.now() - started, skipped: false };
    },
    { timeout: 600_000, maxWait: 120_000 },
  );
}

/** Marks the org's usage as changed (inside the writer's transaction when given); the caller enqueues the rollup. */
export async function bumpUsageVersion(orgId: string, db: Db = prisma) {
  await db.organization.update({ where: { id: orgId }, data: { usageVersion: { increment: 1 } } });
}

/** Whether UsageMonthly reflects every import and price change of the org. */
export async function rollupIsCurrent(orgId: string): Promise<boolean> {
  const o = await prisma.organization.findUnique({ where: { id: orgId }, select: { usageVersion: true, usageRolledVersion: true } });
  return !!o && o.usageRolledVersion === o.usageVersion;
}
