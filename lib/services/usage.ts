import { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { addDays, parseDay } from "@/lib/domain/time";
import { requireOwned, teamScope } from "@/lib/db/scope";

/**
 * Usage as daily rows per team × model (from the UsageDaily rollup that every import maintains), shaped like
 * the old per-row table so reads filter on organizationId, teamId, modelId and periodStart (the UTC day).
 */
export const DAILY_USAGE = Prisma.sql`(SELECT s."organizationId", s."teamId", s."modelId", d.day::timestamp AS "periodStart", d."inputTokens",
  d."outputTokens", d."cachedInputTokens", d.requests, d."costUsd", d.rows FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId")`;

export type UsageFilter = { teamId?: string; modelId?: string; modelClassId?: string; from?: string; to?: string };
export type Bucket = "day" | "week" | "month";

function whereSql(ctx: Ctx, f: UsageFilter) {
  const teamId = teamScope(ctx, f.teamId);
  const parts = [Prisma.sql`u."organizationId" = ${ctx.orgId}`];
  if (teamId) parts.push(Prisma.sql`u."teamId" = ${teamId}`);
  if (f.modelId) parts.push(Prisma.sql`u."modelId" = ${f.modelId}`);
  if (f.modelClassId) parts.push(Prisma.sql`m."modelClassId" = ${f.modelClassId}`);
  if (f.from) parts.push(Prisma.sql`u."periodStart" >= ${parseDay(f.from)}`);
  if (f.to) parts.push(Prisma.sql`u."periodStart" < ${addDays(parseDay(f.to), 1)}`);
  return Prisma.join(parts, " AND ");
}

/**
 * Spend at list price uses the catalog price in force on each usage day (effective-dated), cached input at the
 * cached rate when one is listed. Computed in SQL numeric: exact decimals, never floats.
 */
const LIST_COST = Prisma.sql`(
  (u."inputTokens" - u."cachedInputTokens") * p."inputUsdPerMTokens"
  + u."cachedInputTokens" * coalesce(p."cachedInputUsdPerMTokens", p."inputUsdPerMTokens")
  + u."outputTokens" * p."outputUsdPerMTokens") / 1000000`;
const PRICE_JOIN = Prisma.sql`LEFT JOIN LATERAL (
  SELECT * FROM "ModelPrice" mp WHERE mp."modelId" = u."modelId" AND mp."effectiveFrom" <= u."periodStart"
  ORDER BY mp."effectiveFrom" DESC LIMIT 1) p ON true`;

export type UsageRow = {
  bucket: Date;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  requests: bigint;
  listCostUsd: string;
  reportedCostUsd: string | null;
};

export async function usageSeries(ctx: Ctx, f: UsageFilter, bucket: Bucket): Promise<UsageRow[]> {
  const trunc = Prisma.raw(`'${bucket}'`);
  const rows = await prisma.$queryRaw<
    { bucket: Date; input: bigint; output: bigint; cached: bigint; requests: bigint; list_cost: Prisma.Decimal | null; reported: Prisma.Decimal | null }[]
  >`SELECT date_trunc(${trunc}, u."periodStart") AS bucket, sum(u."inputTokens")::bigint AS input, sum(u."outputTokens")::bigint AS output,
        sum(u."cachedInputTokens")::bigint AS cached, sum(u.requests)::bigint AS requests,
        round(sum(${LIST_COST}), 2) AS list_cost, round(sum(u."costUsd"), 2) AS reported
     FROM ${DAILY_USAGE} u JOIN "Model" m ON m.id = u."modelId" ${PRICE_JOIN}
     WHERE ${whereSql(ctx, f)} GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({
    bucket: r.bucket,
    inputTokens: r.input,
    outputTokens: r.output,
    cachedInputTokens: r.cached,
    requests: r.requests,
    listCostUsd: (r.list_cost ?? new Prisma.Decimal(0)).toFixed(2),
    reportedCostUsd: r.reported ? r.reported.toFixed(2) : null,
  }));
}

/** Filter ids from another org answer 404, never an empty result that would confirm or deny they exist. */
export async function assertFilterIds(ctx: Ctx, f: UsageFilter) {
  await Promise.all([
    f.teamId && requireOwned(ctx, "team", f.teamId),
    f.modelId && requireOwned(ctx, "model", f.modelId),
    f.modelClassId && requireOwned(ctx, "modelClass", f.modelClassId),
  ]);
}

export type GroupBy = "team" | "model" | "class";

export async function usageBreakdown(ctx: Ctx, f: UsageFilter, groupBy: GroupBy) {
  const key = { team: Prisma.sql`t.name`, model: Prisma.sql`pr.name || ' ' || m.name`, class: Prisma.sql`c.name` }[groupBy];
  const rows = await prisma.$queryRaw<{ key: string; input: bigint; output: bigint; requests: bigint; list_cost: Prisma.Decimal | null; days: bigint }[]>`
    SELECT ${key} AS key, sum(u."inputTokens")::bigint AS input, sum(u."outputTokens")::bigint AS output, sum(u.requests)::bigint AS requests,
           round(sum(${LIST_COST}), 2) AS list_cost, count(DISTINCT date_trunc('day', u."periodStart"))::bigint AS days
    FROM ${DAILY_USAGE} u JOIN "Model" m ON m.id = u."modelId" JOIN "Provider" pr ON pr.id = m."providerId"
      JOIN "ModelClass" c ON c.id = m."modelClassId" JOIN "Team" t ON t.id = u."teamId" ${PRICE_JOIN}
    WHERE ${whereSql(ctx, f)} GROUP BY 1 ORDER BY list_cost DESC NULLS LAST`;
  return rows.map((r) => ({
    key: r.key,
    inputTokens: r.input,
    outputTokens: r.output,
    requests: r.requests,
    listCostUsd: (r.list_cost ?? new Prisma.Decimal(0)).toFixed(2),
    activeDays: Number(r.days),
  }));
}

export async function usageExtent(ctx: Ctx) {
  const teamId = teamScope(ctx);
  return usageTotals(ctx.orgId, teamId);
}

/** First and last usage day and the number of stored usage records (hourly or daily rows), for an org or one team. */
export async function usageTotals(orgId: string, teamId?: string | null) {
  const [r] = await prisma.$queryRaw<{ first: Date | null; last: Date | null; records: bigint | null }[]>`
    SELECT min(u."periodStart") AS first, max(u."periodStart") AS last, sum(u.rows)::bigint AS records FROM ${DAILY_USAGE} u
    WHERE u."organizationId" = ${orgId} AND (${teamId ?? null}::text IS NULL OR u."teamId" = ${teamId ?? null})`;
  return { first: r.first, last: r.last, records: Number(r.records ?? 0) };
}
