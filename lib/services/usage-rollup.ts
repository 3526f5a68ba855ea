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
    ),
    -- a class's spot on a day: the spot of its latest curve built on or before the day (lib/domain/chargeback.ts)
    spots AS (
      SELECT "modelClassId", "asOf" AS from_day,
             lead("asOf") OVER (PARTITION BY "modelClassId" ORDER BY "asOf") AS to_day, "spotUsdPerMTokens" AS spot
        FROM "ForwardCurve" WHERE "organizationId" = $1 AND "spotUsdPerMTokens" IS NOT NULL
    ),
    -- one row per team × model × day (a team × model may have an hourly and a daily series), priced both ways
    days AS (
      SELECT s."organizationId", s."teamId", s."modelId", m."modelClassId", d.day,
             sum(d."inputTokens") AS input, sum(d."outputTokens") AS output, sum(d."cachedInputTokens") AS cached,
             sum(d.requests) AS requests, sum(d."costUsd") AS cost, sum(d."costRows") AS cost_rows, sum(d.rows) AS rows
        FROM "UsageDaily" d
        JOIN "UsageSeries" s ON s.id = d."seriesId"
        JOIN "Model" m ON m.id = s."modelId"
        ${scope}
       WHERE s."organizationId" = $1
       GROUP BY s."organizationId", s."teamId", s."modelId", m."modelClassId", d.day
    ),
    priced AS (
      SELECT x.*, (x.input - x.cached) * p.input_rate + x.cached * p.cached_rate + x.output * p.output_rate AS list_value, sp.spot
        FROM days x
        LEFT JOIN prices p ON p."modelId" = x."modelId" AND x.day >= p.from_day AND (p.to_day IS NULL OR x.day < p.to_day)
        LEFT JOIN spots sp ON sp."modelClassId" = x."modelClassId" AND x.day >= sp.from_day AND (sp.to_day IS NULL OR x.day < sp.to_day)
    )
    INSERT INTO "UsageMonthly" ("organizationId", "teamId", "modelId", "modelClassId", month, "inputTokens", "outputTokens",
                                "cachedInputTokens", requests, "listCostUsd", "costUsd", days, "dayMask", rows,
                                "spotValue", "preCurveListValue", "preCurveDays", "spotUnpricedTokens", "listValue", "listUnpricedTokens",
                                "spotCents", "listCents")
    SELECT g.*, ${halfEvenCents(`g."spotValue" + g."preCurveListValue"`)}, ${halfEvenCents(`g."listValue"`)} FROM (
    SELECT "organizationId", "teamId", "modelId", "modelClassId", date_trunc('month', day)::date,
           sum(input), sum(output), sum(cached), sum(requests), sum(list_value / 1000000),
           CASE WHEN sum(cost_rows) = 0 THEN NULL ELSE sum(cost) END,
           count(*), bit_or(1 << (extract(day FROM day)::int - 1)), sum(rows),
           coalesce(sum((input + output) * spot), 0) AS "spotValue",
           coalesce(sum(list_value) FILTER (WHERE spot IS NULL), 0) AS "preCurveListValue",
           count(*) FILTER (WHERE spot IS NULL AND list_value IS NOT NULL),
           coalesce(sum(input + output) FILTER (WHERE spot IS NULL AND list_value IS NULL), 0),
           coalesce(sum(list_value), 0) AS "listValue",
           coalesce(sum(input + output) FILTER (WHERE list_value IS NULL), 0)
      FROM priced
     GROUP BY "organizationId", "teamId", "modelId", "modelClassId", date_trunc('month', day)) g`;
}

/**
 * SQL: a benchmark value (USD per 1M × tokens, ≥ 0, at most 6 decimals) ÷ 1e6 in cents, rounded half-even — the
 * rule of lib/domain/chargeback.ts (toCents), in exact integer numeric: v × 1e6 = q × 1e10 + r.
 */
function halfEvenCents(v: string): string {
  const vi = `trunc((${v}) * 1000000)`;
  return `div(${vi}, 10000000000) + CASE WHEN 2 * mod(${vi}, 10000000000) > 10000000000
                                          OR (2 * mod(${vi}, 10000000000) = 10000000000 AND mod(div(${vi}, 10000000000), 2) = 1) THEN 1 ELSE 0 END`;
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

/** The lock a curve rebuild takes to write an org's curves (lib/services/curves.ts). */
export const curvesLockKey = (orgId: string) => `curves:${orgId}`;

/**
 * Rebuilds the org's read models. `onlyIfBehind` (the job): nothing to do when they are already current — a usage
 * import keeps them so itself; a list price change leaves them behind. When only curves changed (a rebuild marks
 * the first day whose spot it changed), only the months from that day on are re-priced. Holds the curves' lock
 * too, so a rebuild cannot commit between the re-pricing and the clearing of its mark.
 */
export async function rollupUsage(orgId: string, opts: { onlyIfBehind?: boolean } = {}) {
  const started = Date.now();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${rollupLockKey(orgId)}))`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${curvesLockKey(orgId)}))`;
      const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { usageVersion: true, usageRolledVersion: true, curvesChangedFrom: true } });
      const usageCurrent = org.usageRolledVersion === org.usageVersion;
      if (opts.onlyIfBehind && usageCurrent && !org.curvesChangedFrom) return { monthlyRows: 0, version: org.usageVersion, ms: Date.now() - started, skipped: true, repricedFrom: null };
      if (opts.onlyIfBehind && usageCurrent && org.curvesChangedFrom) {
        // curves only: the class × day model holds no prices; the months from the changed day on are re-priced
        const from = new Date(Date.UTC(org.curvesChangedFrom.getUTCFullYear(), org.curvesChangedFrom.getUTCMonth(), 1));
        await tx.$executeRaw`DELETE FROM "UsageMonthly" WHERE "organizationId" = ${orgId} AND month >= ${from}::date`;
        const rows = await tx.$executeRawUnsafe(monthlyRollupSql(`JOIN (SELECT $2::date AS first_day) k ON d.day >= k.first_day`), orgId, from);
        await tx.organization.update({ where: { id: orgId }, data: { curvesChangedFrom: null } });
        return { monthlyRows: rows, version: org.usageVersion, ms: Date.now() - started, skipped: false, repricedFrom: from.toISOString().slice(0, 10) };
      }
      await tx.$executeRaw`DELETE FROM "UsageMonthly" WHERE "organizationId" = ${orgId}`;
      const rows = await tx.$executeRawUnsafe(monthlyRollupSql(), orgId);
      await tx.$executeRaw`DELETE FROM "UsageClassDaily" WHERE "organizationId" = ${orgId}`;
      await tx.$executeRawUnsafe(classDailyRollupSql(), orgId);
      await tx.organization.update({ where: { id: orgId }, data: { usageRolledVersion: org.usageVersion, curvesChangedFrom: null } });
      return { monthlyRows: rows, version: org.usageVersion, ms: Date.now() - started, skipped: false, repricedFrom: null };
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
