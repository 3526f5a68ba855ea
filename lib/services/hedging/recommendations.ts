/**
 * Hedge recommendations: load the market data and forecasts for one explicit as-of day, call the pure
 * simulation (lib/domain/hedge.ts), store the run and its per class × month recommendations atomically.
 */
import Decimal from "decimal.js";
import { createHash } from "node:crypto";
import { prisma, type Tx } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { AppError, notFound } from "@/lib/errors";
import { monthsBetween } from "@/lib/domain/curve";
import { dailyClassQuantiles, daysInMonth, errorAutocorrelation, monthlyDemand } from "@/lib/domain/demand";
import {
  DEFAULT_SIM_PARAMS,
  evaluate,
  histogram,
  realisedVolatility,
  recommend,
  recommendOnPaths,
  simulateClass,
  type ClassInput,
  type ClassRecommendation,
  type CostStats,
  type Histogram,
  type HedgePolicyInput,
  type MonthInput,
  type SimParams,
  type TotalStats,
} from "@/lib/domain/hedge";
import { forwardOf, periodsOf } from "@/lib/domain/valuation";
import { DAY_MS, monthKey, utcDay } from "@/lib/domain/time";
import { classDayTokens } from "@/lib/services/usage";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { listPolicies, policyFor, toHedgePolicyInput } from "./policy";
import { cachedRead } from "@/lib/services/read-cache";

/** Used when a class has fewer than this many daily spot observations: vol is then the default, and said so. */
const MIN_SPOT_DAYS_FOR_VOL = 20;
export const DEFAULT_ANNUAL_VOL = 0.35;

type StoredClassInput = { input: ClassInput; policy: Omit<HedgePolicyInput, "lotTokens" | "budgetUsd"> & { lotTokens: string; budgetUsd: string | null }; notes: string[] };

const seedOf = (orgId: string, asOf: Date) => createHash("sha256").update(`${orgId}|${asOf.toISOString()}`).digest().readUInt32BE(0);

/** Serialises Decimal/bigint values for JSON columns. */
const jsonSafe = <T>(v: T): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x instanceof Decimal ? x.toString() : x)));

/** Contracted quantity per class × month from contracts that are booked or delivering (spread evenly over the window's days). */
async function contractedByMonth(db: Tx | typeof prisma, orgId: string): Promise<Map<string, Map<string, bigint>>> {
  const contracts = (
    await db.contract.findMany({
      where: { organizationId: orgId, status: { in: ["BOOKED", "DELIVERING", "PENDING_APPROVAL"] } },
      select: { id: true, product: { select: { modelClassId: true, quantityTokens: true, windowStart: true, windowEnd: true, strikeUsdPerMTokens: true } } },
    })
  ).map((c) => ({ id: c.id, ...c.product }));
  const out = new Map<string, Map<string, bigint>>();
  for (const c of contracts) {
    const m = out.get(c.modelClassId) ?? new Map<string, bigint>();
    for (const p of periodsOf(forwardOf(c.id, c))) {
      m.set(p.month, (m.get(p.month) ?? 0n) + p.quantityTokens);
    }
    out.set(c.modelClassId, m);
  }
  return out;
}

/**
 * Builds every class's simulation input as of `asOf`: monthly demand distributions from the latest class
 * forecast (planner-adjusted when there is one), forwards and flags from the curve in force, the ask side
 * from recent quotes' ask/mid ratio, volatility from the class's spot history.
 */
async function buildInputs(orgId: string, asOf: Date) {
  const latest = await prisma.forecast.findFirst({ where: { organizationId: orgId, baseForecastId: null, asOf: { lte: asOf } }, orderBy: { asOf: "desc" }, select: { asOf: true } });
  if (!latest) return { forecastAsOf: null, classes: [] as { modelClassId: string; name: string; forecastId: string; curveId: string; stored: StoredClassInput }[], skipped: ["No forecast yet: run forecasts after importing usage."] };
  const forecasts = await prisma.forecast.findMany({
    where: { organizationId: orgId, asOf: latest.asOf, teamId: null, modelClassId: { not: null }, baseForecastId: null },
    include: { points: true, adjusted: { include: { points: true } }, modelClass: { select: { name: true } } },
  });
  const curves = await curvesAsOf(orgId, asOf);
  const policies = await listPolicies(orgId);
  const since = new Date(asOf.getTime() - 180 * DAY_MS);
  const spotRows = await prisma.$queryRaw<{ class_id: string; day: Date; mid: Decimal }[]>`
    SELECT "modelClassId" AS class_id, date_trunc('day', "asOf") AS day, percentile_cont(0.5) WITHIN GROUP (ORDER BY "midUsdPerMTokens") AS mid
      FROM "PriceQuote" WHERE "organizationId" = ${orgId} AND kind <> 'FORWARD' AND "asOf" >= ${since} AND "asOf" < ${asOf}
     GROUP BY 1, 2 ORDER BY 1, 2`;
  const askRows = await prisma.$queryRaw<{ class_id: string; month: Date; ratio: number }[]>`
    SELECT "modelClassId" AS class_id, "deliveryMonth" AS month, percentile_cont(0.5) WITHIN GROUP (ORDER BY "askUsdPerMTokens" / "midUsdPerMTokens") AS ratio
      FROM "PriceQuote" WHERE "organizationId" = ${orgId} AND kind = 'FORWARD' AND "askUsdPerMTokens" IS NOT NULL AND "midUsdPerMTokens" > 0
       AND "asOf" >= ${new Date(asOf.getTime() - 60 * DAY_MS)} AND "asOf" < ${new Date(asOf.getTime() + DAY_MS)}
     GROUP BY 1, 2`;
  const usage = await classDayTokens(orgId, { from: since, before: asOf });

  const skipped: string[] = [];
  const classes: { modelClassId: string; name: string; forecastId: string; curveId: string; stored: StoredClassInput }[] = [];
  const asOfMonth = monthKey(asOf);
  for (const f of forecasts) {
    const classId = f.modelClassId!;
    const name = f.modelClass!.name;
    const curve = curves.get(classId);
    if (!curve) {
      skipped.push(`${name}: no forward curve as of ${asOf.toISOString().slice(0, 10)}.`);
      continue;
    }
    const source = f.adjusted[0] ?? f;
    const history = usage.filter((u) => u.class_id === classId).map((u) => Number(u.tokens));
    const rho = errorAutocorrelation(history);
    const policy = policyFor(policies, classId);
    const monthly = monthlyDemand(dailyClassQuantiles(source.points), rho).filter((m) => m.month > asOfMonth && m.days === daysInMonth(m.month) && monthsBetween(asOfMonth, m.month) <= policy.maxTenorMonths);
    const months: MonthInput[] = [];
    const notes: string[] = [];
    for (const m of monthly) {
      const point = curve.points.find((p) => p.month === m.month);
      if (!point) {
        notes.push(`${m.month}: the curve has no point for this month; not recommended.`);
        continue;
      }
      const ratio = askRows.find((r) => r.class_id === classId && monthKey(r.month) === m.month)?.ratio;
      const flags = [point.stale && "stale", point.thin && "thin", point.wide && "wide", point.driftNote && `drift (${point.driftNote})`, point.kind !== "QUOTED" && point.kind.toLowerCase()].filter(Boolean) as string[];
      months.push({
        month: m.month,
        demandP10: Math.round(m.p10),
        demandP50: Math.round(m.p50),
        demandP90: Math.round(m.p90),
        forward: point.price.toString(),
        ask: ratio && ratio > 1 ? point.price.mul(ratio).toDecimalPlaces(6).toString() : null,
        flags,
      });
    }
    if (!months.length) {
      skipped.push(`${name}: the forecast covers no full delivery month after ${asOfMonth} within the policy's tenor.`);
      continue;
    }
    const spots = spotRows.filter((r) => r.class_id === classId).map((r) => Number(r.mid));
    let annualVol = DEFAULT_ANNUAL_VOL;
    if (spots.length >= MIN_SPOT_DAYS_FOR_VOL) annualVol = realisedVolatility(spots);
    else notes.push(`Only ${spots.length} days of spot history: volatility assumed at ${DEFAULT_ANNUAL_VOL * 100}% a year.`);
    notes.push(`Monthly demand bands from the daily forecast with day-to-day error correlation ${rho.toFixed(2)} (from the class's history)${f.adjusted[0] ? "; planner-adjusted forecast" : ""}.`);
    const monthsFromAsOf = months.map((m) => {
      // months from the as-of day to the middle of the delivery month
      const [y, mo] = m.month.split("-").map(Number);
      const mid = Date.UTC(y, mo - 1, 1) + (daysInMonth(m.month) / 2) * DAY_MS;
      return Math.max(0.01, (mid - asOf.getTime()) / DAY_MS / (365 / 12));
    });
    const input: ClassInput = { classKey: classId, months, annualVol, monthsFromAsOf };
    const p = toHedgePolicyInput(policy, months.length);
    classes.push({
      modelClassId: classId,
      name,
      forecastId: source.id,
      curveId: curve.curveId,
      stored: { input, policy: { ...p, lotTokens: String(p.lotTokens), budgetUsd: p.budgetUsd ? String(p.budgetUsd) : null }, notes },
    });
  }
  return { forecastAsOf: latest.asOf, classes, skipped };
}

const restorePolicy = (p: StoredClassInput["policy"]): HedgePolicyInput => ({ ...p, lotTokens: BigInt(p.lotTokens), budgetUsd: p.budgetUsd });

/**
 * The recommendations job for one org: safe to run twice and concurrently (per-org advisory lock; the run,
 * its rows and the superseding of older ones are one transaction, so readers see the old set or the new).
 */
export async function runRecommendations(orgId: string, now = new Date(), sim: Partial<SimParams> = {}) {
  const asOf = utcDay(now);
  const built = await buildInputs(orgId, asOf);
  const params = { ...DEFAULT_SIM_PARAMS, seed: seedOf(orgId, asOf), ...sim };
  const results = built.classes.map((c) => ({ c, rec: recommend(c.stored.input, restorePolicy(c.stored.policy), params) }));
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`recommendations:${orgId}`}))`;
      const contracted = await contractedByMonth(tx, orgId);
      await tx.recommendation.updateMany({ where: { organizationId: orgId, status: "OPEN" }, data: { status: "SUPERSEDED" } });
      const run = await tx.recommendationRun.create({
        data: {
          organizationId: orgId,
          asOf,
          forecastAsOf: built.forecastAsOf,
          curveIds: Object.fromEntries(built.classes.map((c) => [c.modelClassId, c.curveId])) as object,
          params: jsonSafe({ sim: params, classes: Object.fromEntries(built.classes.map((c) => [c.modelClassId, c.stored])) }) as object,
          results: jsonSafe({
            skipped: built.skipped,
            classes: Object.fromEntries(results.map(({ c, rec }) => [c.modelClassId, { name: c.name, total: rec.total, histogram: rec.histogram, warnings: rec.warnings, notes: c.stored.notes, settlement: rec.settlement }])),
          }) as object,
        },
      });
      const rows = results.flatMap(({ c, rec }) =>
        rec.months.map((m) => ({
          organizationId: orgId,
          runId: run.id,
          modelClassId: c.modelClassId,
          deliveryMonth: new Date(`${m.month}-01T00:00:00Z`),
          p50DemandTokens: BigInt(c.stored.input.months.find((x) => x.month === m.month)!.demandP50),
          contractedTokens: contracted.get(c.modelClassId)?.get(m.month) ?? 0n,
          quantityTokens: BigInt(m.quantityTokens),
          strikeUsdPerMTokens: m.strike.toFixed(6),
          coveragePct: (m.coveragePctOfP50 ?? 0).toFixed(2),
          rationale: jsonSafe({ strategies: m.strategies, why: m.why, warnings: m.warnings, binding: m.binding, band: m.band, forward: m.forward, demand: c.stored.input.months.find((x) => x.month === m.month) }) as object,
          forecastId: c.forecastId,
          curveId: c.curveId,
        })),
      );
      if (rows.length) await tx.recommendation.createMany({ data: rows });
      return { runId: run.id, asOf: asOf.toISOString().slice(0, 10), classes: results.length, recommendations: rows.length, skipped: built.skipped };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

export type StrategyView = { expectedUsd: string; p95Usd: string; costAtRiskUsd: string; premiumVsUnhedgedUsd: string; overHedgeProb: number; budgetExceedProb: number | null; quantityTokens: string };
const strategyView = (s: CostStats | TotalStats): StrategyView => ({
  expectedUsd: new Decimal(s.expectedUsd).toFixed(2),
  p95Usd: new Decimal(s.p95Usd).toFixed(2),
  costAtRiskUsd: new Decimal(s.costAtRiskUsd).toFixed(2),
  premiumVsUnhedgedUsd: new Decimal(s.premiumVsUnhedgedUsd).toFixed(2),
  overHedgeProb: s.overHedgeProb,
  budgetExceedProb: s.budgetExceedProb,
  quantityTokens: String(s.quantityTokens),
});

/** The latest run's recommendations, per class, for the page and GET /api/v1/recommendations. */
export async function latestRecommendations(ctx: Ctx, q: { modelClassId?: string } = {}) {
  return cachedRead(ctx, "latestRecommendations", q, () => latestRecommendationsUncached(ctx, q));
}
async function latestRecommendationsUncached(ctx: Ctx, q: { modelClassId?: string } = {}) {
  if (q.modelClassId) await requireOwned(ctx, "modelClass", q.modelClassId);
  const run = await prisma.recommendationRun.findFirst({ where: { organizationId: ctx.orgId }, orderBy: { createdAt: "desc" } });
  if (!run) return { run: null, classes: [] };
  const recs = await prisma.recommendation.findMany({
    where: { runId: run.id, ...(q.modelClassId ? { modelClassId: q.modelClassId } : {}) },
    include: { modelClass: { select: { name: true, key: true } } },
    orderBy: [{ modelClassId: "asc" }, { deliveryMonth: "asc" }],
  });
  const results = run.results as unknown as { skipped: string[]; classes: Record<string, { name: string; total: Record<string, TotalStats>; histogram: Histogram; warnings: string[]; notes: string[]; settlement: string }> };
  const byClass = new Map<string, typeof recs>();
  for (const r of recs) byClass.set(r.modelClassId, [...(byClass.get(r.modelClassId) ?? []), r]);
  return {
    run: { id: run.id, asOf: run.asOf.toISOString().slice(0, 10), forecastAsOf: run.forecastAsOf?.toISOString().slice(0, 10) ?? null, createdAt: run.createdAt.toISOString(), skipped: results.skipped },
    classes: [...byClass.entries()].map(([modelClassId, rows]) => {
      const cr = results.classes[modelClassId];
      return {
        modelClassId,
        name: rows[0].modelClass.name,
        settlement: cr?.settlement ?? "FINANCIAL",
        warnings: cr?.warnings ?? [],
        notes: cr?.notes ?? [],
        total: cr ? Object.fromEntries(Object.entries(cr.total).map(([k, v]) => [k, strategyView(v)])) : {},
        histogram: cr?.histogram ?? { bins: [] },
        months: rows.map((r) => {
          const rat = r.rationale as unknown as { strategies: Record<string, CostStats>; why: string; warnings: string[]; binding: string; forward: string; demand: MonthInput };
          return {
            id: r.id,
            month: monthKey(r.deliveryMonth),
            status: r.status,
            p10DemandTokens: String(rat.demand.demandP10),
            p50DemandTokens: r.p50DemandTokens.toString(),
            p90DemandTokens: String(rat.demand.demandP90),
            contractedTokens: r.contractedTokens.toString(),
            quantityTokens: r.quantityTokens.toString(),
            toBookTokens: (r.quantityTokens > r.contractedTokens ? r.quantityTokens - r.contractedTokens : 0n).toString(),
            coveragePct: r.coveragePct.toString(),
            strikeUsdPerMTokens: r.strikeUsdPerMTokens.toString(),
            forwardUsdPerMTokens: String(rat.forward),
            strategies: Object.fromEntries(Object.entries(rat.strategies).map(([k, v]) => [k, strategyView(v)])),
            why: rat.why,
            warnings: rat.warnings,
          };
        }),
      };
    }),
  };
}

/**
 * Evaluates user-entered quantities for one class on the same inputs and seed as the latest run (so the
 * numbers sit beside the stored strategies), returning the custom strategy and its cost distribution.
 */
export async function evaluateCustom(ctx: Ctx, body: { modelClassId: string; quantities: { month: string; quantityTokens: string }[] }) {
  await requireOwned(ctx, "modelClass", body.modelClassId, { field: "modelClassId" });
  const run = await prisma.recommendationRun.findFirst({ where: { organizationId: ctx.orgId }, orderBy: { createdAt: "desc" } });
  if (!run) throw notFound("Recommendation run");
  const params = run.params as { sim: SimParams; classes: Record<string, StoredClassInput> };
  const stored = params.classes[body.modelClassId];
  if (!stored) throw new AppError(422, "invalid", "modelClassId: the latest run has no recommendation for this class", [{ path: "body.modelClassId", message: "no recommendation for this class in the latest run" }]);
  const months = stored.input.months.map((m) => m.month);
  const given = new Map<string, string>();
  body.quantities.forEach((q, i) => {
    if (!months.includes(q.month)) throw new AppError(422, "invalid", `quantities.${i}.month: ${q.month} is not a recommended month (${months.join(", ")})`, [{ path: `body.quantities.${i}.month`, message: `not one of ${months.join(", ")}` }]);
    given.set(q.month, q.quantityTokens);
  });
  const custom = months.map((m) => Number(given.get(m) ?? "0"));
  if (custom.some((q) => !Number.isSafeInteger(q))) throw new AppError(422, "invalid", "quantities: too large", [{ path: "body.quantities", message: "too large" }]);
  // one simulation serves the strategies and the chart's per-path totals (custom vs unhedged, same paths)
  const policy = restorePolicy(stored.policy);
  const paths = simulateClass(stored.input, params.sim);
  const rec: ClassRecommendation = recommendOnPaths(stored.input, paths, policy, custom);
  const customEval = evaluate(paths, custom, null, policy.settlement);
  const unhedgedEval = evaluate(paths, months.map(() => 0), null, policy.settlement);
  return {
    modelClassId: body.modelClassId,
    runId: run.id,
    months: rec.months.map((m, i) => ({ month: m.month, quantityTokens: String(custom[i]), coveragePct: m.coveragePctOfP50 === null ? null : ((custom[i] / stored.input.months[i].demandP50) * 100).toFixed(2), custom: strategyView(m.strategies.custom!), recommended: strategyView(m.strategies.recommended), unhedged: strategyView(m.strategies.unhedged) })),
    total: { custom: strategyView(rec.total.custom!), recommended: strategyView(rec.total.recommended), unhedged: strategyView(rec.total.unhedged), policyMinimum: strategyView(rec.total.policyMinimum) },
    histogram: histogram(customEval.totalCosts, unhedgedEval.totalCosts),
  };
}
