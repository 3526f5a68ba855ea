import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type Db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { addDays, parseDay, utcDay } from "@/lib/domain/time";
import { requireOwned, teamScope } from "@/lib/db/scope";
import { rollupIsCurrent } from "./usage-rollup";
import { cachedRead } from "@/lib/services/read-cache";

export type UsageFilter = { teamId?: string; modelId?: string; modelClassId?: string; from?: string; to?: string };
export type Bucket = "day" | "week" | "month";

/**
 * Spend at list price uses the catalog price in force on each usage day (effective-dated), cached input at the
 * cached rate when one is listed (the rule of lib/domain/pricing.ts). Computed in SQL numeric: exact decimals.
 */
const LIST_COST = Prisma.sql`(
  (d."inputTokens" - d."cachedInputTokens") * p."inputUsdPerMTokens"
  + d."cachedInputTokens" * coalesce(p."cachedInputUsdPerMTokens", p."inputUsdPerMTokens")
  + d."outputTokens" * p."outputUsdPerMTokens") / 1000000`;
const PRICE_JOIN = Prisma.sql`LEFT JOIN LATERAL (
  SELECT * FROM "ModelPrice" mp WHERE mp."modelId" = s."modelId" AND mp."effectiveFrom" <= d.day
  ORDER BY mp."effectiveFrom" DESC LIMIT 1) p ON true`;

/**
 * How a date range is read. Whole calendar months come from UsageMonthly (priced, O(months × series) rows)
 * when that read model is current; the partial first and last months, or everything when it is not, come
 * from the daily totals. The two never overlap, so sums over both are exact.
 */
type Plan = { months: { from: Date | null; to: Date | null } | null; days: { from: Date | null; to: Date | null }[] };
const firstOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

export function planRange(from: string | undefined, to: string | undefined, monthlyCurrent: boolean): Plan {
  const f = from ? parseDay(from) : null;
  const tEx = to ? addDays(parseDay(to), 1) : null; // exclusive end
  if (!monthlyCurrent) return { months: null, days: [{ from: f, to: tEx }] };
  const a = f ? (f.getTime() === firstOfMonth(f).getTime() ? f : nextMonth(f)) : null;
  const b = tEx ? firstOfMonth(tEx) : null;
  if (a && b && a.getTime() >= b.getTime()) return { months: null, days: [{ from: f, to: tEx }] };
  const days: Plan["days"] = [];
  if (f && a && f.getTime() < a.getTime()) days.push({ from: f, to: a });
  if (tEx && b && b.getTime() < tEx.getTime()) days.push({ from: b, to: tEx });
  return { months: { from: a, to: b }, days };
}

async function plan(ctx: Ctx, f: UsageFilter, bucket: Bucket): Promise<Plan> {
  // weeks cut across months: only day and month buckets can use the monthly read model
  const usable = bucket !== "week" && (await rollupIsCurrent(ctx.orgId));
  return planRange(f.from, f.to, usable);
}

function dimensionSql(ctx: Ctx, f: UsageFilter, t: { org: Prisma.Sql; team: Prisma.Sql; model: Prisma.Sql; cls: Prisma.Sql }) {
  const teamId = teamScope(ctx, f.teamId);
  const parts = [Prisma.sql`${t.org} = ${ctx.orgId}`];
  if (teamId) parts.push(Prisma.sql`${t.team} = ${teamId}`);
  if (f.modelId) parts.push(Prisma.sql`${t.model} = ${f.modelId}`);
  if (f.modelClassId) parts.push(Prisma.sql`${t.cls} = ${f.modelClassId}`);
  return parts;
}
const DAILY_COLS = { org: Prisma.sql`s."organizationId"`, team: Prisma.sql`s."teamId"`, model: Prisma.sql`s."modelId"`, cls: Prisma.sql`m."modelClassId"` };
const MONTHLY_COLS = { org: Prisma.sql`um."organizationId"`, team: Prisma.sql`um."teamId"`, model: Prisma.sql`um."modelId"`, cls: Prisma.sql`um."modelClassId"` };

function dailyWhere(ctx: Ctx, f: UsageFilter, r: Plan["days"][number]) {
  const parts = dimensionSql(ctx, f, DAILY_COLS);
  if (r.from) parts.push(Prisma.sql`d.day >= ${r.from}::date`);
  if (r.to) parts.push(Prisma.sql`d.day < ${r.to}::date`);
  return Prisma.join(parts, " AND ");
}
function monthlyWhere(ctx: Ctx, f: UsageFilter, r: NonNullable<Plan["months"]>) {
  const parts = dimensionSql(ctx, f, MONTHLY_COLS);
  if (r.from) parts.push(Prisma.sql`um.month >= ${r.from}::date`);
  if (r.to) parts.push(Prisma.sql`um.month < ${r.to}::date`);
  return Prisma.join(parts, " AND ");
}
const DAILY_FROM = Prisma.sql`"UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId" ${PRICE_JOIN}`;

export type UsageRow = {
  bucket: Date;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
  requests: bigint;
  listCostUsd: string;
  reportedCostUsd: string | null;
};

/** Cached per data version (lib/services/read-cache.ts). */
export async function usageSeries(ctx: Ctx, f: UsageFilter, bucket: Bucket): Promise<UsageRow[]> {
  return cachedRead(ctx, "usageSeries", [f, bucket], () => usageSeriesUncached(ctx, f, bucket));
}
async function usageSeriesUncached(ctx: Ctx, f: UsageFilter, bucket: Bucket): Promise<UsageRow[]> {
  const trunc = Prisma.raw(`'${bucket}'`);
  const p = await plan(ctx, f, bucket);
  const selects: Prisma.Sql[] = [];
  // month buckets: whole months from the monthly read model, partial edge months from the days;
  // day buckets always read the days (the explorer's short ranges)
  const dayRanges = bucket === "month" ? p.days : [{ from: parseRangeFrom(f), to: parseRangeTo(f) }];
  if (p.months && bucket === "month") {
    selects.push(Prisma.sql`SELECT um.month::timestamp AS bucket, um."inputTokens" AS i, um."outputTokens" AS o, um."cachedInputTokens" AS c, um.requests AS r,
      um."listCostUsd" AS list_cost, um."costUsd" AS reported FROM "UsageMonthly" um WHERE ${monthlyWhere(ctx, f, p.months)}`);
  }
  for (const r of dayRanges) {
    selects.push(Prisma.sql`SELECT date_trunc(${trunc}, d.day::timestamp) AS bucket, d."inputTokens" AS i, d."outputTokens" AS o, d."cachedInputTokens" AS c,
      d.requests AS r, ${LIST_COST} AS list_cost, d."costUsd" AS reported FROM ${DAILY_FROM} WHERE ${dailyWhere(ctx, f, r)}`);
  }
  if (!selects.length) return [];
  const rows = await prisma.$queryRaw<
    { bucket: Date; input: bigint; output: bigint; cached: bigint; requests: bigint; list_cost: Prisma.Decimal | null; reported: Prisma.Decimal | null }[]
  >`SELECT bucket, sum(i)::bigint AS input, sum(o)::bigint AS output, sum(c)::bigint AS cached, sum(r)::bigint AS requests,
        round(sum(list_cost), 2) AS list_cost, round(sum(reported), 2) AS reported
     FROM (${Prisma.join(selects, " UNION ALL ")}) x GROUP BY 1 ORDER BY 1`;
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
const parseRangeFrom = (f: UsageFilter) => (f.from ? parseDay(f.from) : null);
const parseRangeTo = (f: UsageFilter) => (f.to ? addDays(parseDay(f.to), 1) : null);

/** Filter ids from another org answer 404, never an empty result that would confirm or deny they exist. */
export async function assertFilterIds(ctx: Ctx, f: UsageFilter) {
  await Promise.all([
    f.teamId && requireOwned(ctx, "team", f.teamId),
    f.modelId && requireOwned(ctx, "model", f.modelId),
    f.modelClassId && requireOwned(ctx, "modelClass", f.modelClassId),
  ]);
}

export type GroupBy = "team" | "model" | "class";

/** Cached per data version (lib/services/read-cache.ts). */
export async function usageBreakdown(ctx: Ctx, f: UsageFilter, groupBy: GroupBy) {
  return cachedRead(ctx, "usageBreakdown", [f, groupBy], () => usageBreakdownUncached(ctx, f, groupBy));
}
async function usageBreakdownUncached(ctx: Ctx, f: UsageFilter, groupBy: GroupBy) {
  const p = await plan(ctx, f, "month");
  // group on ids (names joined once at the end): the inner queries touch only the usage tables
  const idOf = (c: typeof DAILY_COLS) => ({ team: c.team, model: c.model, class: c.cls })[groupBy];
  const selects: Prisma.Sql[] = [];
  if (p.months) {
    selects.push(Prisma.sql`SELECT ${idOf(MONTHLY_COLS)} AS gid, sum(um."inputTokens") AS i, sum(um."outputTokens") AS o, sum(um."cachedInputTokens") AS c, sum(um.requests) AS r,
      sum(um."listCostUsd") AS list_cost, sum(um."costUsd") AS reported, bit_count(bit_or(um."dayMask")::bit(32)) AS days
      FROM "UsageMonthly" um WHERE ${monthlyWhere(ctx, f, p.months)} GROUP BY 1, um.month`);
  }
  if (!p.months && !p.days.length) return [];
  for (const r of p.days) {
    selects.push(Prisma.sql`SELECT ${idOf(DAILY_COLS)} AS gid, sum(d."inputTokens") AS i, sum(d."outputTokens") AS o, sum(d."cachedInputTokens") AS c, sum(d.requests) AS r,
      sum(${LIST_COST}) AS list_cost, sum(d."costUsd") AS reported, count(DISTINCT d.day) AS days FROM ${DAILY_FROM} WHERE ${dailyWhere(ctx, f, r)} GROUP BY 1`);
  }
  const name = {
    team: Prisma.sql`(SELECT t.name FROM "Team" t WHERE t.id = g.gid)`,
    model: Prisma.sql`(SELECT pr.name || ' ' || mm.name FROM "Model" mm JOIN "Provider" pr ON pr.id = mm."providerId" WHERE mm.id = g.gid)`,
    class: Prisma.sql`(SELECT c.name FROM "ModelClass" c WHERE c.id = g.gid)`,
  }[groupBy];
  const rows = await prisma.$queryRaw<{ key: string; input: bigint; output: bigint; cached: bigint; requests: bigint; list_cost: Prisma.Decimal | null; reported: Prisma.Decimal | null; days: bigint }[]>`
    SELECT ${name} AS key, g.input, g.output, g.cached, g.requests, g.list_cost, g.reported, g.days FROM (
      SELECT gid, sum(i)::bigint AS input, sum(o)::bigint AS output, sum(c)::bigint AS cached, sum(r)::bigint AS requests, round(sum(list_cost), 2) AS list_cost,
             round(sum(reported), 2) AS reported, sum(days)::bigint AS days
        FROM (${Prisma.join(selects, " UNION ALL ")}) x GROUP BY gid) g
    ORDER BY g.list_cost DESC NULLS LAST, key`;
  return rows.map((r) => ({
    key: r.key,
    inputTokens: r.input,
    outputTokens: r.output,
    cachedInputTokens: r.cached,
    requests: r.requests,
    listCostUsd: (r.list_cost ?? new Prisma.Decimal(0)).toFixed(2),
    /** the cost the exports reported (FOCUS cost column, Tokenhedge cost_usd); null when no row of the group had one */
    reportedCostUsd: r.reported ? r.reported.toFixed(2) : null,
    activeDays: Number(r.days),
  }));
}

export async function usageExtent(ctx: Ctx) {
  return cachedRead(ctx, "usageExtent", null, () => usageExtentUncached(ctx));
}
async function usageExtentUncached(ctx: Ctx) {
  const teamId = teamScope(ctx);
  return usageTotals(ctx.orgId, teamId);
}

/** First and last usage day and the number of stored usage records (hourly or daily rows), for an org or one team. */
export async function usageTotals(orgId: string, teamId?: string | null) {
  if (await rollupIsCurrent(orgId)) {
    // bounds kept on the series by every import; row counts from the monthly read model: no scan of the days
    const [r] = await prisma.$queryRaw<{ first: Date | null; last: Date | null; records: bigint | null }[]>`
      SELECT (SELECT min("firstPeriod") FROM "UsageSeries" WHERE "organizationId" = ${orgId} AND (${teamId ?? null}::text IS NULL OR "teamId" = ${teamId ?? null})) AS first,
             (SELECT max("lastPeriod") FROM "UsageSeries" WHERE "organizationId" = ${orgId} AND (${teamId ?? null}::text IS NULL OR "teamId" = ${teamId ?? null})) AS last,
             (SELECT sum(rows) FROM "UsageMonthly" WHERE "organizationId" = ${orgId} AND (${teamId ?? null}::text IS NULL OR "teamId" = ${teamId ?? null}))::bigint AS records`;
    return { first: r.first ? utcDay(r.first) : null, last: r.last ? utcDay(r.last) : null, records: Number(r.records ?? 0) };
  }
  const [r] = await prisma.$queryRaw<{ first: Date | null; last: Date | null; records: bigint | null }[]>`
    SELECT min(d.day)::timestamp AS first, max(d.day)::timestamp AS last, sum(d.rows)::bigint AS records
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId"
     WHERE s."organizationId" = ${orgId} AND (${teamId ?? null}::text IS NULL OR s."teamId" = ${teamId ?? null})`;
  return { first: r.first, last: r.last, records: Number(r.records ?? 0) };
}

/**
 * Daily input/output tokens for a scope over (from, to], for charts. Org- and class-level scopes read the small
 * UsageClassDaily read model when it is current; a team's come from its own series' days (primary-key ranges).
 */
export async function dailyTokens(orgId: string, q: { teamId: string | null; modelClassId: string | null; after: Date; before: Date }) {
  if (!q.teamId && (await rollupIsCurrent(orgId))) {
    return prisma.$queryRaw<{ day: Date; input: bigint; output: bigint }[]>`
      SELECT day::timestamp AS day, sum("inputTokens")::bigint AS input, sum("outputTokens")::bigint AS output FROM "UsageClassDaily"
       WHERE "organizationId" = ${orgId} AND day > ${q.after}::date AND day < ${q.before}::date
         AND (${q.modelClassId}::text IS NULL OR "modelClassId" = ${q.modelClassId})
       GROUP BY 1 ORDER BY 1`;
  }
  return prisma.$queryRaw<{ day: Date; input: bigint; output: bigint }[]>`
    SELECT d.day::timestamp AS day, sum(d."inputTokens")::bigint AS input, sum(d."outputTokens")::bigint AS output
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
     WHERE s."organizationId" = ${orgId} AND d.day > ${q.after}::date AND d.day < ${q.before}::date
       AND (${q.teamId}::text IS NULL OR s."teamId" = ${q.teamId}) AND (${q.modelClassId}::text IS NULL OR m."modelClassId" = ${q.modelClassId})
     GROUP BY 1 ORDER BY 1`;
}

/**
 * Tokens (input + output) per model class and day over all the org's teams, for days in [from, before): the
 * settlement and recommendation jobs' input. From the small UsageClassDaily read model when it is current,
 * else from the daily rows; date filters on the day column's own type (index ranges, right row estimates).
 */
export async function classDayTokens(orgId: string, q: { from: Date; before: Date; classIds?: string[] }, db: Db = prisma) {
  const classes = q.classIds ? Prisma.sql`AND c IN (${Prisma.join(q.classIds.length ? q.classIds : ["-none-"])})` : Prisma.empty;
  if (await rollupIsCurrent(orgId)) {
    return db.$queryRaw<{ class_id: string; day: Date; tokens: bigint }[]>`
      SELECT c AS class_id, day::timestamp AS day, tokens FROM (
        SELECT "modelClassId" AS c, day, sum("inputTokens" + "outputTokens")::bigint AS tokens FROM "UsageClassDaily"
         WHERE "organizationId" = ${orgId} AND day >= ${q.from}::date AND day < ${q.before}::date GROUP BY 1, 2) x
       WHERE true ${classes} ORDER BY 1, 2`;
  }
  return db.$queryRaw<{ class_id: string; day: Date; tokens: bigint }[]>`
    SELECT c AS class_id, day::timestamp AS day, tokens FROM (
      SELECT m."modelClassId" AS c, d.day, sum(d."inputTokens" + d."outputTokens")::bigint AS tokens
        FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
       WHERE s."organizationId" = ${orgId} AND d.day >= ${q.from}::date AND d.day < ${q.before}::date GROUP BY 1, 2) x
     WHERE true ${classes} ORDER BY 1, 2`;
}
