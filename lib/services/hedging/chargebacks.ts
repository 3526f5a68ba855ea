/**
 * Chargeback statements: load what a period and its 12-month trend need (daily usage of every team, curve spots,
 * list prices, settlements of held contracts, forecasts at booking), price it with lib/domain/chargeback.ts and
 * shape it for one team or for the whole org. Chargebacks are derived, never stored: a statement is recomputed
 * from its inputs, so it follows corrected usage and new settlements at once.
 *
 * The allocation needs every team's usage, so the computation is org-wide; what leaves this module is cut to the
 * caller's scope (teamScope): a team lead receives their own team's lines and no other team's numbers.
 */
import Decimal from "decimal.js";
import type { ContractStatus } from "@/lib/generated/prisma/enums";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned, teamScope } from "@/lib/db/scope";
import { readSettings } from "@/lib/validation/settings";
import { csvCell } from "@/lib/domain/settlement";
import { periodsOf } from "@/lib/domain/valuation";
import { addDays, DAY_MS, monthKey, parseDay, utcDay } from "@/lib/domain/time";
import type { PriceVersion } from "@/lib/domain/pricing";
import {
  allocate,
  benchmarkLines,
  benchmarkUnits,
  curveSpotLookup,
  priceMonths,
  monthsEnding,
  periodMonths,
  totalsOf,
  type Allocation,
  type AllocationBasis,
  type Benchmark,
  type BenchmarkLine,
  type ClassSpotLookup,
  type ModelLine,
  type PricedMonth,
  type ChargebackResult,
  type HedgeSettlement,
  type PendingHedge,
  type TeamClassLine,
  type UsageDay,
} from "@/lib/domain/chargeback";
import { cachedRead } from "@/lib/services/read-cache";
import { pgPool, requestStatementTimeoutMs } from "@/lib/db/pg";

/** Contracts that hedge: booked, delivering or settled (never drafts, pending, rejected or cancelled ones). */
const COUNTED: ContractStatus[] = ["BOOKED", "DELIVERING", "SETTLED"];
export const TREND_MONTHS = 12;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
/** localeCompare's order, with one collator (thousands of team names are sorted per statement). */
const byText = new Intl.Collator().compare;
const cents = (d: Decimal) => d.toFixed(2);
const monthStart = (m: string) => parseDay(`${m}-01`);
const nextMonthStart = (m: string) => {
  const d = monthStart(m);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
};
/** USD per 1M tokens a cost represents, 6 decimals; null without tokens. */
const rate = (usd: Decimal, tokens: bigint) => (tokens === 0n ? null : usd.mul(1_000_000).div(tokens.toString()).toFixed(6));

export type MoneyTotals = { tokens: string; benchmarkUsd: string; hedgeUsd: string; chargeUsd: string };
export type StatementLine = MoneyTotals & { month: string; teamId: string; teamName: string; costCenter: string | null; modelClassId: string; modelClass: string };
export type ContractExplanation = {
  month: string;
  reference: string;
  settlement: "FINANCIAL" | "SERVICE_CREDITS";
  strikeUsdPerMTokens: string;
  quantityTokens: string;
  /** FINANCIAL: received (negative = paid); SERVICE_CREDITS: credits used, at strike */
  settlementUsd: string;
  creditsUsedTokens: string | null;
  creditsForfeitedTokens: string | null;
  forfeitedUsd: string;
  replacedUsd: string;
  /** what the contract added to the org's cost this month (negative = saved), 6 decimals */
  resultUsd: string;
  basis: AllocationBasis;
  /** the scope's share of the result, % (2 decimals); null when unallocated */
  sharePct: string | null;
};
export type ClassRow = MoneyTotals & {
  modelClassId: string;
  name: string;
  benchmarkRate: string | null;
  chargeRate: string | null;
  contracts: ContractExplanation[];
  pending: { month: string; reference: string; settlement: "FINANCIAL" | "SERVICE_CREDITS" }[];
};
export type ModelRow = {
  modelId: string;
  model: string;
  provider: string;
  modelClass: string;
  inputTokens: string;
  outputTokens: string;
  cachedInputTokens: string;
  tokens: string;
  benchmarkUsd: string;
};
export type MonthRow = MoneyTotals & { month: string; partial: boolean; hedged: boolean; pending: string[] };
export type TeamRow = MoneyTotals & { teamId: string; teamName: string; costCenter: string | null };

export type ChargebackStatement = {
  period: string;
  from: string;
  to: string;
  benchmark: Benchmark;
  allocation: Allocation;
  /** last day with imported usage in the org */
  usageThrough: string | null;
  /** where the priced usage came from: the monthly read model, or the daily rows while it is being re-priced (same numbers) */
  usageSource: "read model" | "daily";
  /** one team's statement, or the org's (all teams) */
  scope: "team" | "org";
  team: { id: string; name: string; costCenter: string | null } | null;
  months: MonthRow[];
  teams: TeamRow[];
  totals: MoneyTotals;
  /** org scope only: the org's cost in cents (= Σ team charges + unallocated), its unrounded value, and what no team could carry */
  org: { costUsd: string; costExactUsd: string; unallocatedUsd: string } | null;
  classes: ClassRow[];
  models: ModelRow[];
  lines: StatementLine[];
  trend: (MoneyTotals & { month: string; partial: boolean })[];
  notes: string[];
};

type Loaded = {
  result: ChargebackResult;
  teams: Map<string, { name: string; costCenter: string | null }>;
  classes: Map<string, string>;
  models: Map<string, { model: string; provider: string; modelClassId: string }>;
  usageThrough: Date | null;
  /** where the priced usage came from (tests compare the two) */
  source: "read model" | "daily";
  /** class × months whose result lines are per team (null: all); elsewhere one ALL_TEAMS line per class × month */
  perTeam: Set<string> | null;
};

/** A read-only transaction on a pool client under the request statement timeout; rows as arrays. */
async function readOnly<T>(fn: (q: <R extends unknown[]>(text: string, values: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
  const c = await pgPool().connect();
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const timeout = requestStatementTimeoutMs();
    if (timeout) await c.query(`SET LOCAL statement_timeout = ${timeout}`);
    const out = await fn(async <R extends unknown[]>(text: string, values: unknown[]) => (await c.query<R>({ text, values, rowMode: "array" })).rows);
    await c.query("COMMIT");
    return out;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** A read-model row as the domain's priced team × model × month. */
type PricedRow = [string, string, string, string, string, string, string, string, string, number, string, string, string];
const PRICED_COLUMNS = `to_char(month, 'YYYY-MM'), "teamId", "modelId", "modelClassId", "inputTokens"::text, "outputTokens"::text, "cachedInputTokens"::text,
  "spotValue"::text, "preCurveListValue"::text, "preCurveDays", "spotUnpricedTokens"::text, "listValue"::text, "listUnpricedTokens"::text`;
const pricedOf = ([month, teamId, modelId, modelClassId, input, output, cached, spotValue, preCurveListValue, preCurveDays, spotUnpriced, listValue, listUnpriced]: PricedRow): PricedMonth => ({
  month, teamId, modelId, modelClassId, inputTokens: BigInt(input), outputTokens: BigInt(output), cachedInputTokens: BigInt(cached),
  spotValue, preCurveListValue, preCurveDays: Number(preCurveDays), spotUnpricedTokens: BigInt(spotUnpriced), listValue, listUnpricedTokens: BigInt(listUnpriced),
});

/**
 * The team × class × month benchmark lines of the read model, aggregated in SQL: for a large org a year is hundreds
 * of thousands of team × model × months, a third as many lines. Each team × model × month's cents were rounded
 * half-even by the rollup (lib/services/usage-rollup.ts, the domain's toCents rule in SQL numeric);
 * tests/chargebacks.test.ts checks they equal the domain's, ties included.
 */
const BENCHMARK_COLUMNS = { SPOT: [`"spotValue" + "preCurveListValue"`, `"spotCents"`], LIST: [`"listValue"`, `"listCents"`] } as const;
/** $1 org, $2–$3 the months' range, $4 whole months (all classes), $5–$6 further class × months. */
const linesSql = (benchmark: Benchmark) => `
  SELECT to_char(month, 'YYYY-MM'), "teamId", "modelClassId", sum("inputTokens" + "outputTokens")::text,
         sum(${BENCHMARK_COLUMNS[benchmark][0]})::text, sum(${BENCHMARK_COLUMNS[benchmark][1]})::text
    FROM "UsageMonthly"
   WHERE "organizationId" = $1 AND month >= $2::date AND month < $3::date
     AND (month = ANY($4::date[]) OR (month, "modelClassId") IN (SELECT * FROM unnest($5::date[], $6::text[])))
   GROUP BY month, "teamId", "modelClassId"`;
/** Class × month sums of the same columns: what a month without settlements needs (no team shares a hedge then). */
const classSql = (benchmark: Benchmark) => `
  SELECT to_char(month, 'YYYY-MM'), "modelClassId", sum("inputTokens" + "outputTokens")::text,
         sum(${BENCHMARK_COLUMNS[benchmark][0]})::text, sum(${BENCHMARK_COLUMNS[benchmark][1]})::text
    FROM "UsageMonthly" WHERE "organizationId" = $1 AND month >= $2::date AND month < $3::date
   GROUP BY month, "modelClassId"`;
/** The team whose class × months stand for all teams where no hedge is shared (see loadPriced). */
const ALL_TEAMS = "";

type Hedges = Awaited<ReturnType<typeof loadHedges>>;
type Priced = {
  lines: BenchmarkLine[];
  models: ModelLine[];
  hedges: Hedges;
  /** class × months (`class|month`) whose lines are per team; null: all of them */
  perTeam: Set<string> | null;
  source: "read model" | "daily";
  lastDay: number | null;
};
const pair = (modelClassId: string, month: string) => `${modelClassId}|${month}`;

/**
 * The usage of [from, to) at the benchmark, and the hedges of those months. From the monthly read model when it is
 * current for those months (usage rolled up, and no curve rebuilt since on a day before `to`): per team × class
 * only where a team's share matters — the period (`detailMonths`, with its team × model lines) and the class ×
 * months a contract settled in (a whole month when a settled class had no usage: its result may then be shared by
 * every class's spend) — and one line per class × month (team ALL_TEAMS) elsewhere, where every team is charged
 * its benchmark alone. A large org's year is then tens of thousands of lines, not its 120k. Otherwise from the
 * daily rows, priced here by lib/domain/chargeback.ts, per team everywhere (tests/chargebacks.test.ts checks both
 * paths give the same statement). The read model is read in one snapshot, so the freshness check and the rows agree.
 */
async function loadPriced(
  orgId: string, months: string[], detailMonths: string[], benchmark: Benchmark, from: Date, to: Date, spotOn: ClassSpotLookup, listPrices: Map<string, PriceVersion[]>,
  hedgesFor: (used: Set<string>) => Promise<Hedges>,
): Promise<Priced> {
  const lo = isoDay(from);
  const hi = isoDay(to);
  const detailFrom = `${detailMonths[0]}-01`;
  const detailTo = isoDay(nextMonthStart(detailMonths[detailMonths.length - 1]));
  const rolled = await readOnly(async (q) => {
    const [fresh] = await q<[boolean]>(
      `SELECT "usageRolledVersion" = "usageVersion" AND ("curvesChangedFrom" IS NULL OR "curvesChangedFrom" >= $2::date) FROM "Organization" WHERE id = $1`, [orgId, hi]);
    if (!fresh?.[0]) return null;
    // the last day with usage (as days since 1970): the class × day model has a few thousand rows per org
    const [[last]] = await q<[number | null]>(`SELECT max(day) - date '1970-01-01' FROM "UsageClassDaily" WHERE "organizationId" = $1`, [orgId]);
    const byClass = await q<[string, string, string, string, string]>(classSql(benchmark), [orgId, lo, hi]);
    const used = new Set(byClass.filter((r) => BigInt(r[2]) > 0n).map(([month, cls]) => pair(cls, month)));
    const hedges = await hedgesFor(used);
    const wholeMonths = new Set(detailMonths);
    const pairs = new Map<string, [string, string]>();
    for (const h of hedges.settlements) {
      if (!used.has(pair(h.modelClassId, h.month))) wholeMonths.add(h.month);
      pairs.set(pair(h.modelClassId, h.month), [`${h.month}-01`, h.modelClassId]);
    }
    const perTeam = new Set<string>();
    for (const [month, cls] of byClass) if (wholeMonths.has(month) || pairs.has(pair(cls, month))) perTeam.add(pair(cls, month));
    // the aggregate hashes in memory (the default work_mem would sort a large org's groups on disk)
    await q(`SET LOCAL work_mem = '64MB'`, []);
    const lines = await q<[string, string, string, string, string, string]>(linesSql(benchmark), [
      orgId, lo, hi, [...wholeMonths].map((m) => `${m}-01`), [...pairs.values()].map((p) => p[0]), [...pairs.values()].map((p) => p[1]),
    ]);
    const detail = await q<PricedRow>(`SELECT ${PRICED_COLUMNS} FROM "UsageMonthly" WHERE "organizationId" = $1 AND month >= $2::date AND month < $3::date`, [orgId, detailFrom, detailTo]);
    return { last, byClass, lines, detail, hedges, perTeam };
  });
  if (rolled) {
    const line = (month: string, teamId: string, modelClassId: string, tokens: string, value: string, cents: string): BenchmarkLine =>
      ({ month, teamId, modelClassId, tokens: BigInt(tokens), units: benchmarkUnits(value), cents: BigInt(cents) });
    return {
      source: "read model",
      lastDay: rolled.last === null ? null : Number(rolled.last),
      lines: [
        ...rolled.lines.map(([month, teamId, cls, tokens, value, cents]) => line(month, teamId, cls, tokens, value, cents)),
        ...rolled.byClass.filter(([month, cls]) => !rolled.perTeam.has(pair(cls, month))).map(([month, cls, tokens, value, cents]) => line(month, ALL_TEAMS, cls, tokens, value, cents)),
      ],
      models: benchmarkLines({ months: detailMonths, benchmark }, rolled.detail.map(pricedOf)).models,
      hedges: rolled.hedges,
      perTeam: rolled.perTeam,
    };
  }
  // Daily usage per team × model, read as arrays (days as integers, sums as text) rather than as Prisma objects
  const { rows, last } = await readOnly(async (q) => {
    const [[last]] = await q<[number | null]>(
      `SELECT max(d.day) - date '1970-01-01' FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" WHERE s."organizationId" = $1`, [orgId]);
    const rows = await q<[string, string, string, number, string, string, string]>(
      `SELECT s."teamId", s."modelId", m."modelClassId", d.day - date '1970-01-01',
              sum(d."inputTokens")::text, sum(d."outputTokens")::text, sum(d."cachedInputTokens")::text
         FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
        WHERE s."organizationId" = $1 AND d.day >= $2::date AND d.day < $3::date
        GROUP BY 1, 2, 3, 4`,
      [orgId, lo, hi],
    );
    return { rows, last };
  });
  const days = new Map<number, Date>();
  const dayOf = (n: number) => days.get(n) ?? (days.set(n, new Date(n * DAY_MS)), days.get(n)!);
  const usage: UsageDay[] = rows.map(([teamId, modelId, modelClassId, d, input, output, cached]) => ({
    teamId, modelId, modelClassId, day: dayOf(Number(d)), inputTokens: BigInt(input), outputTokens: BigInt(output), cachedInputTokens: BigInt(cached),
  }));
  const priced = benchmarkLines({ months, benchmark, detailMonths }, priceMonths(usage, months, spotOn, listPrices));
  const used = new Set(priced.lines.filter((l) => l.tokens > 0n).map((l) => pair(l.modelClassId, l.month)));
  return { source: "daily", lastDay: last === null ? null : Number(last), ...priced, hedges: await hedgesFor(used), perTeam: null };
}

/**
 * Each team's forecast P50 tokens (input + output) for a contract's days in a month, in the forecast in force when
 * the contract was booked: per team, the latest forecast of the class made on or before the booking (its
 * planner-adjusted twin when one existed then, as the recommendations use it).
 */
async function forecastAtBooking(orgId: string, modelClassId: string, bookedAt: Date, firstDay: Date, lastDay: Date): Promise<Map<string, bigint>> {
  const forecasts = await prisma.forecast.findMany({
    where: { organizationId: orgId, modelClassId, teamId: { not: null }, baseForecastId: null, asOf: { lte: utcDay(bookedAt) }, createdAt: { lte: bookedAt } },
    distinct: ["teamId"],
    orderBy: [{ teamId: "asc" }, { asOf: "desc" }, { createdAt: "desc" }],
    select: { id: true, teamId: true, adjusted: { where: { createdAt: { lte: bookedAt } }, orderBy: { createdAt: "desc" }, take: 1, select: { id: true } } },
  });
  if (!forecasts.length) return new Map();
  const teamOf = new Map(forecasts.map((f) => [f.adjusted[0]?.id ?? f.id, f.teamId!]));
  const sums = await prisma.forecastPoint.groupBy({
    by: ["forecastId"],
    where: { forecastId: { in: [...teamOf.keys()] }, date: { gte: firstDay, lte: lastDay } },
    _sum: { p50: true },
  });
  return new Map(sums.map((s) => [teamOf.get(s.forecastId)!, s._sum.p50 ?? 0n]));
}

/**
 * The held contracts of the months: their settlements, and the months they cover that have not settled yet. The
 * teams' forecasts at booking are loaded only where the allocation can use them (`needsForecast`): under the
 * forecast rule, or under the usage rule for a class × month nobody used (its fallback).
 */
async function loadHedges(orgId: string, months: string[], from: Date, to: Date, needsForecast: (modelClassId: string, month: string) => boolean) {
  const contracts = await prisma.contract.findMany({
    where: { organizationId: orgId, status: { in: COUNTED }, product: { windowStart: { lt: to }, windowEnd: { gte: from } } },
    include: { product: true, settlements: { where: { periodMonth: { gte: from, lt: to } } } },
    orderBy: [{ bookedAt: "asc" }, { id: "asc" }],
  });
  const wanted = new Set(months);
  const settlements: HedgeSettlement[] = [];
  const pending: PendingHedge[] = [];
  for (const c of contracts) {
    const periods = periodsOf({
      id: c.id, modelClass: c.product.modelClassId, quantityTokens: c.product.quantityTokens, windowStart: c.product.windowStart, windowEnd: c.product.windowEnd,
      strikePerMTokens: new Decimal(c.product.strikeUsdPerMTokens.toString()),
    }).filter((p) => wanted.has(p.month));
    const settled = new Map(c.settlements.map((s) => [monthKey(s.periodMonth), s]));
    for (const p of periods) {
      const s = settled.get(p.month);
      const base = { contractId: c.id, reference: c.reference, modelClassId: c.product.modelClassId, month: p.month, settlement: c.product.settlement };
      if (!s) {
        pending.push(base);
        continue;
      }
      settlements.push({
        ...base,
        strikeUsdPerMTokens: c.product.strikeUsdPerMTokens.toString(),
        quantityTokens: s.quantityTokens,
        amountUsd: s.amountUsd.toString(),
        creditsUsedTokens: s.creditsUsedTokens,
        creditsForfeitedTokens: s.creditsForfeitedTokens,
        forecastTokens: needsForecast(c.product.modelClassId, p.month) ? await forecastAtBooking(orgId, c.product.modelClassId, c.bookedAt, p.firstDay, p.lastDay) : undefined,
      });
    }
  }
  return { settlements, pending };
}

/**
 * The whole org's chargebacks for `months`: the same for every viewer (a team's statement is cut from it), so it is
 * computed once per data version and shared (lib/services/read-cache.ts).
 */
async function compute(orgId: string, months: string[], detailMonths: string[], benchmark: Benchmark, allocation: Allocation): Promise<Loaded> {
  return cachedRead({ orgId }, "chargebacks.compute", [months, detailMonths, benchmark, allocation], () => computeUncached(orgId, months, detailMonths, benchmark, allocation));
}
/** `months`: priced and allocated (the trend); `detailMonths`: those whose team × model lines are kept (the period). */
async function computeUncached(orgId: string, months: string[], detailMonths: string[], benchmark: Benchmark, allocation: Allocation): Promise<Loaded> {
  const from = monthStart(months[0]);
  const to = nextMonthStart(months[months.length - 1]);
  const [curves, prices, teams, classes, models] = await Promise.all([
    prisma.forwardCurve.findMany({ where: { organizationId: orgId, asOf: { lt: to }, spotUsdPerMTokens: { not: null } }, select: { modelClassId: true, asOf: true, spotUsdPerMTokens: true } }),
    prisma.modelPrice.findMany({ where: { organizationId: orgId } }),
    prisma.team.findMany({ where: { organizationId: orgId }, select: { id: true, name: true, costCenter: true } }),
    prisma.modelClass.findMany({ where: { organizationId: orgId }, select: { id: true, name: true } }),
    prisma.model.findMany({ where: { organizationId: orgId }, select: { id: true, name: true, modelClassId: true, provider: { select: { name: true } } } }),
  ]);
  const listPrices = new Map<string, PriceVersion[]>();
  for (const p of prices) {
    const list = listPrices.get(p.modelId) ?? [];
    list.push({ effectiveFrom: p.effectiveFrom, inputUsdPerMTokens: p.inputUsdPerMTokens.toString(), outputUsdPerMTokens: p.outputUsdPerMTokens.toString(), cachedInputUsdPerMTokens: p.cachedInputUsdPerMTokens?.toString() ?? null });
    listPrices.set(p.modelId, list);
  }
  const spotOn = curveSpotLookup(curves.map((c) => ({ modelClassId: c.modelClassId, asOf: c.asOf, spotUsdPerMTokens: c.spotUsdPerMTokens!.toString() })));
  const { lines, models: modelLines, hedges, perTeam, source, lastDay } = await loadPriced(orgId, months, detailMonths, benchmark, from, to, spotOn, listPrices, (used) =>
    loadHedges(orgId, months, from, to, (cls, month) => allocation === "FORECAST_AT_BOOKING" || !used.has(pair(cls, month))),
  );
  const result = allocate({ months, detailMonths, benchmark, allocation, settlements: hedges.settlements, pending: hedges.pending }, lines, modelLines);
  return {
    result,
    teams: new Map(teams.map((t) => [t.id, { name: t.name, costCenter: t.costCenter }])),
    classes: new Map(classes.map((c) => [c.id, c.name])),
    models: new Map(models.map((m) => [m.id, { model: m.name, provider: m.provider.name, modelClassId: m.modelClassId }])),
    usageThrough: lastDay === null ? null : new Date(lastDay * DAY_MS),
    source,
    perTeam,
  };
}

const totalsJson = (t: ReturnType<typeof totalsOf>): MoneyTotals => ({ tokens: t.tokens.toString(), benchmarkUsd: cents(t.benchmarkUsd), hedgeUsd: cents(t.hedgeUsd), chargeUsd: cents(t.chargeUsd) });
const BASIS_TEXT: Record<AllocationBasis, string> = {
  USAGE: "pro rata to usage of the class in the month",
  FORECAST_AT_BOOKING: "pro rata to the teams' forecasts when it was booked",
  ALL_USAGE: "pro rata to the teams' benchmark spend across all classes that month",
  UNALLOCATED: "not allocated (no team had usage that month)",
};

/**
 * The chargeback statement of a period (YYYY-MM or YYYY-Qn) for one team or the whole org, with its 12-month trend.
 * Team leads always get their own team's statement (asking for another team is a 403); other roles get the org's,
 * or a team's when `teamId` names one of the org (another org's id is a 404).
 */
export async function chargebackStatement(ctx: Ctx, q: { period: string; teamId?: string | null }, now = new Date()): Promise<ChargebackStatement> {
  return cachedRead(ctx, "chargebackStatement", [q.period, q.teamId ?? null], () => chargebackStatementUncached(ctx, q, now), now);
}
async function chargebackStatementUncached(ctx: Ctx, q: { period: string; teamId?: string | null }, now = new Date()): Promise<ChargebackStatement> {
  const teamId = teamScope(ctx, q.teamId ?? null);
  if (teamId && ctx.role !== "TEAM_LEAD") await requireOwned(ctx, "team", teamId);
  const settings = readSettings((await prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { settings: true } })).settings);
  const months = periodMonths(q.period);
  const trendMonths = monthsEnding(months[months.length - 1], TREND_MONTHS);
  const loaded = await compute(ctx.orgId, trendMonths, months, settings.chargebackBenchmark, settings.chargebackAllocation);
  const { result, teams, classes, models, usageThrough } = loaded;

  const inScope = (l: { teamId: string }) => !teamId || l.teamId === teamId;
  const inPeriod = new Set(months);
  const periodLines = result.lines.filter((l) => inPeriod.has(l.month) && inScope(l));
  const classMonths = result.classMonths.filter((c) => inPeriod.has(c.month));
  const currentMonth = monthKey(utcDay(now));
  const isPartial = (m: string) => m >= currentMonth || !usageThrough || usageThrough.getTime() < addDays(nextMonthStart(m), -1).getTime();

  const monthRows: MonthRow[] = months.map((m) => {
    const cms = scopedClassMonths(result, m, teamId);
    return {
      month: m,
      partial: isPartial(m),
      hedged: cms.some((c) => c.contracts.length > 0),
      pending: [...new Set(cms.flatMap((c) => c.pending.map((p) => p.reference)))],
      ...totalsJson(totalsOf(periodLines, (l) => l.month === m)),
    };
  });

  // one pass over the lines, not one per team (thousands of teams × their lines in a large org)
  const linesOfTeam = new Map<string, TeamClassLine[]>();
  for (const l of periodLines) {
    const list = linesOfTeam.get(l.teamId);
    if (list) list.push(l);
    else linesOfTeam.set(l.teamId, [l]);
  }
  const teamRows: TeamRow[] = [...teams]
    .filter(([id]) => !teamId || id === teamId)
    .map(([id, t]) => ({ teamId: id, teamName: t.name, costCenter: t.costCenter, ...totalsJson(totalsOf(linesOfTeam.get(id) ?? [])) }))
    .sort((a, b) => byText(a.teamName, b.teamName));

  const scopedCms = months.flatMap((m) => scopedClassMonths(result, m, teamId));
  const classIds = [...new Set([...periodLines.map((l) => l.modelClassId), ...scopedCms.map((c) => c.modelClassId)])];
  const classRows: ClassRow[] = classIds
    .map((cid) => {
      const t = totalsOf(periodLines, (l) => l.modelClassId === cid);
      const cms = scopedCms.filter((c) => c.modelClassId === cid);
      const contracts: ContractExplanation[] = cms.flatMap((c) =>
        c.contracts.map((k) => ({
          month: c.month,
          reference: k.reference,
          settlement: k.settlement,
          strikeUsdPerMTokens: k.strikeUsdPerMTokens.toFixed(6),
          quantityTokens: k.quantityTokens.toString(),
          settlementUsd: k.settlementUsd.toFixed(6),
          creditsUsedTokens: k.creditsUsedTokens?.toString() ?? null,
          creditsForfeitedTokens: k.creditsForfeitedTokens?.toString() ?? null,
          forfeitedUsd: k.forfeitedUsd.toFixed(6),
          replacedUsd: k.replacedUsd.toFixed(6),
          resultUsd: k.resultUsd.toFixed(6),
          basis: k.basis,
          sharePct: k.basis === "UNALLOCATED" ? null : (teamId ? k.shares.get(teamId)! : new Decimal(1)).mul(100).toFixed(2),
        })),
      );
      const pending = cms.flatMap((c) => c.pending.map((p) => ({ month: p.month, reference: p.reference, settlement: p.settlement })));
      return {
        modelClassId: cid, name: classes.get(cid) ?? cid, ...totalsJson(t),
        benchmarkRate: rate(t.benchmarkUsd, t.tokens), chargeRate: rate(t.chargeUsd, t.tokens), contracts, pending,
      };
    })
    .sort((a, b) => new Decimal(b.chargeUsd).comparedTo(a.chargeUsd) || a.name.localeCompare(b.name));

  const modelAgg = new Map<string, { input: bigint; output: bigint; cached: bigint; tokens: bigint; usd: Decimal }>();
  for (const m of result.models) {
    if (!inPeriod.has(m.month) || !inScope(m)) continue;
    const a = modelAgg.get(m.modelId) ?? { input: 0n, output: 0n, cached: 0n, tokens: 0n, usd: new Decimal(0) };
    a.input += m.inputTokens;
    a.output += m.outputTokens;
    a.cached += m.cachedInputTokens;
    a.tokens += m.tokens;
    a.usd = a.usd.add(m.benchmarkUsd);
    modelAgg.set(m.modelId, a);
  }
  const modelRows: ModelRow[] = [...modelAgg]
    .map(([id, a]) => {
      const info = models.get(id);
      return {
        modelId: id, model: info?.model ?? id, provider: info?.provider ?? "", modelClass: classes.get(info?.modelClassId ?? "") ?? "",
        inputTokens: a.input.toString(), outputTokens: a.output.toString(), cachedInputTokens: a.cached.toString(), tokens: a.tokens.toString(), benchmarkUsd: cents(a.usd),
      };
    })
    .sort((a, b) => new Decimal(b.benchmarkUsd).comparedTo(a.benchmarkUsd) || a.model.localeCompare(b.model));

  const lineJson = (l: TeamClassLine): StatementLine => ({
    month: l.month, teamId: l.teamId, teamName: teams.get(l.teamId)?.name ?? l.teamId, costCenter: teams.get(l.teamId)?.costCenter ?? null,
    modelClassId: l.modelClassId, modelClass: classes.get(l.modelClassId) ?? l.modelClassId,
    tokens: l.tokens.toString(), benchmarkUsd: cents(l.benchmarkUsd), hedgeUsd: cents(l.hedgeUsd), chargeUsd: cents(l.chargeUsd),
  });

  let org: ChargebackStatement["org"] = null;
  if (!teamId) {
    const sum = (f: (c: (typeof classMonths)[number]) => Decimal) => classMonths.reduce((a, c) => a.add(f(c)), new Decimal(0));
    org = { costUsd: cents(sum((c) => c.costUsd)), costExactUsd: sum((c) => c.costExactUsd).toFixed(6), unallocatedUsd: cents(sum((c) => c.unallocatedUsd)) };
  }

  const team = teamId ? (teams.has(teamId) ? { id: teamId, ...teams.get(teamId)! } : null) : null;
  const ownLines = teamId && loaded.perTeam ? await teamTrendLines(ctx.orgId, teamId, trendMonths, settings.chargebackBenchmark, loaded.perTeam) : new Map<string, { tokens: bigint; usd: Decimal }>();
  return {
    period: q.period,
    from: isoDay(monthStart(months[0])),
    to: isoDay(addDays(nextMonthStart(months[months.length - 1]), -1)),
    benchmark: settings.chargebackBenchmark,
    allocation: settings.chargebackAllocation,
    usageThrough: usageThrough && isoDay(usageThrough),
    usageSource: loaded.source,
    scope: teamId ? "team" : "org",
    team,
    months: monthRows,
    teams: teamRows,
    totals: totalsJson(totalsOf(periodLines)),
    org,
    classes: classRows,
    models: modelRows,
    lines: periodLines.map(lineJson).sort((a, b) => byText(a.month, b.month) || byText(a.teamName, b.teamName) || byText(a.modelClass, b.modelClass)),
    trend: trendMonths.map((m) => {
      const t = totalsOf(result.lines, (l) => l.month === m && inScope(l));
      // a team's class × months without a shared hedge are in the result as all teams' lines: its own from the read model
      const own = ownLines.get(m);
      if (own) {
        t.tokens += own.tokens;
        t.benchmarkUsd = t.benchmarkUsd.add(own.usd);
        t.chargeUsd = t.chargeUsd.add(own.usd);
      }
      // the org's cost includes any result no team could carry
      const unallocated = teamId ? new Decimal(0) : result.classMonths.filter((c) => c.month === m).reduce((a, c) => a.add(c.unallocatedUsd), new Decimal(0));
      return { month: m, partial: isPartial(m), ...totalsJson({ ...t, hedgeUsd: t.hedgeUsd.add(unallocated), chargeUsd: t.chargeUsd.add(unallocated) }) };
    }),
    notes: notesFor(loaded, months, teamId, usageThrough, isPartial, settings.chargebackBenchmark, settings.chargebackAllocation),
  };
}

/**
 * One team's benchmark per month over the class × months the org-wide result keeps as all teams' lines (no hedge
 * shared there, so the team's charge is its benchmark): Σ of its team × model cents, from the read model.
 */
async function teamTrendLines(orgId: string, teamId: string, months: string[], benchmark: Benchmark, perTeam: Set<string>) {
  const rows = await prisma.$queryRawUnsafe<{ m: string; c: string; tokens: bigint; cents: bigint }[]>(
    `SELECT to_char(month, 'YYYY-MM') AS m, "modelClassId" AS c, sum("inputTokens" + "outputTokens")::bigint AS tokens, sum(${BENCHMARK_COLUMNS[benchmark][1]})::bigint AS cents
       FROM "UsageMonthly" WHERE "organizationId" = $1 AND "teamId" = $2 AND month >= $3::date AND month < $4::date GROUP BY 1, 2`,
    orgId, teamId, `${months[0]}-01`, isoDay(nextMonthStart(months[months.length - 1])),
  );
  const out = new Map<string, { tokens: bigint; usd: Decimal }>();
  for (const r of rows) {
    if (perTeam.has(pair(r.c, r.m))) continue;
    const o = out.get(r.m) ?? { tokens: 0n, usd: new Decimal(0) };
    o.tokens += r.tokens;
    o.usd = o.usd.add(new Decimal(r.cents.toString()).div(100));
    out.set(r.m, o);
  }
  return out;
}

/**
 * The class × months a scope sees: all of them for the org; for a team, the classes it used that month, with only
 * the contracts whose result it shares (a team is charged for a hedge only through those).
 */
function scopedClassMonths(result: ChargebackResult, month: string, teamId: string | null) {
  const cms = result.classMonths.filter((c) => c.month === month);
  if (!teamId) return cms;
  const used = new Set(result.lines.filter((l) => l.month === month && l.teamId === teamId).map((l) => l.modelClassId));
  return cms.filter((c) => used.has(c.modelClassId)).map((c) => ({ ...c, contracts: c.contracts.filter((k) => k.shares.has(teamId)) }));
}

/** Plain sentences for what a reader must know to trust the numbers: partial, provisional and unhedged months, fallbacks. */
function notesFor(
  loaded: Loaded, months: string[], teamId: string | null, usageThrough: Date | null, isPartial: (m: string) => boolean, benchmark: Benchmark, allocation: Allocation,
): string[] {
  const { result, classes } = loaded;
  const notes: string[] = [];
  const name = (id: string) => classes.get(id) ?? id;
  for (const m of months) {
    const cms = scopedClassMonths(result, m, teamId);
    if (isPartial(m)) notes.push(`${m} is partial: usage through ${usageThrough ? isoDay(usageThrough) : "— (none imported yet)"}; its charges will grow as usage arrives.`);
    const pending = [...new Set(cms.flatMap((c) => c.pending.map((p) => p.reference)))];
    if (pending.length)
      notes.push(`${m} is provisional: ${pending.join(", ")} cover${pending.length === 1 ? "s" : ""} it but ${pending.length === 1 ? "has" : "have"} not settled yet (contracts settle after the month ends); until then that usage is charged at the spot benchmark.`);
    else if (!cms.some((c) => c.contracts.length)) notes.push(`${m}: no contract settled for ${teamId ? "the classes your team used" : "this month"}, so the hedged charge equals the spot benchmark.`);
    for (const c of cms)
      for (const k of c.contracts) {
        const where = `${m}, ${name(c.modelClassId)}`;
        if (k.basis === "UNALLOCATED") notes.push(`${where}: the result of ${k.reference} (${k.resultUsd.toFixed(2)} USD) is not allocated to any team: no team had usage that month.`);
        else if (k.basis === "ALL_USAGE") notes.push(`${where}: no team used the class and no forecast existed at booking, so ${k.reference}'s result is shared ${BASIS_TEXT.ALL_USAGE}.`);
        else if (k.basis !== allocation)
          notes.push(`${where}: ${allocation === "USAGE" ? "no team used the class that month" : `no team forecast existed when ${k.reference} was booked`}, so its result is shared ${BASIS_TEXT[k.basis]}.`);
      }
  }
  const scoped = result.models.filter((x) => months.includes(x.month) && (!teamId || x.teamId === teamId));
  const listDays = scoped.reduce((a, x) => a + x.listPricedDays, 0);
  if (benchmark === "SPOT" && listDays) notes.push(`${listDays} team × model usage day${listDays === 1 ? "" : "s"} fell before the class's first forward curve and ${listDays === 1 ? "is" : "are"} priced at list price.`);
  const unpriced = scoped.reduce((a, x) => a + x.unpricedTokens, 0n);
  if (unpriced) notes.push(`${unpriced.toString()} tokens had neither a curve spot nor a list price and carry no benchmark.`);
  return [...new Set(notes)];
}

export const CHARGEBACK_COLUMNS = ["period", "month", "team", "cost_center", "model_class", "tokens", "benchmark_usd", "hedge_usd", "charge_usd", "status", "benchmark", "allocation"] as const;

/**
 * The statement as CSV: one line per team × class × month, then TOTAL (and an UNALLOCATED line when part of a
 * hedge result had no team). Money in cents as on the page; text cells neutralised against formula injection.
 */
export function chargebackCsv(s: ChargebackStatement): string {
  const status = new Map(s.months.map((m) => [m.month, m.partial ? "partial" : m.pending.length ? "provisional" : "final"]));
  const out = [CHARGEBACK_COLUMNS.join(",")];
  const row = (cells: (string | null)[]) => out.push(cells.map(csvCell).join(","));
  for (const l of s.lines) row([s.period, l.month, l.teamName, l.costCenter, l.modelClass, l.tokens, l.benchmarkUsd, l.hedgeUsd, l.chargeUsd, status.get(l.month) ?? "", s.benchmark, s.allocation]);
  if (s.org && s.org.unallocatedUsd !== "0.00") row([s.period, "", "UNALLOCATED", null, "", "0", "0.00", s.org.unallocatedUsd, s.org.unallocatedUsd, "", s.benchmark, s.allocation]);
  const chargeTotal = s.org ? s.org.costUsd : s.totals.chargeUsd;
  const hedgeTotal = s.org ? new Decimal(s.totals.hedgeUsd).add(s.org.unallocatedUsd).toFixed(2) : s.totals.hedgeUsd;
  row([s.period, "", s.team ? s.team.name : "TOTAL", s.team?.costCenter ?? null, "TOTAL", s.totals.tokens, s.totals.benchmarkUsd, hedgeTotal, chargeTotal, [...new Set(status.values())].join("/"), s.benchmark, s.allocation]);
  return out.join("\n") + "\n";
}

export const chargebackFileName = (s: ChargebackStatement) => `chargeback-${s.period}-${(s.team?.name ?? "all-teams").replace(/[^\w.-]+/g, "_")}.csv`;

/** The period a page shows when none (or an invalid one) is asked for: last month, the latest complete one. */
export const defaultPeriod = (now = new Date()) => monthKey(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));

/** Periods offered by pickers: the last 13 months (newest first) and the quarters they touch. */
export function periodOptions(now = new Date()): { months: string[]; quarters: string[] } {
  const months = monthsEnding(monthKey(now), 13).reverse();
  const quarters = [...new Set(months.map((m) => `${m.slice(0, 4)}-Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`))];
  return { months, quarters };
}
