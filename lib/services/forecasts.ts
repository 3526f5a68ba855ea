import Decimal from "decimal.js";
import { dailyTokens } from "@/lib/services/usage";
import type { z } from "zod";
import { prisma, type Tx } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";

import { audit } from "./audit";
import { curvesAsOf } from "./market-snapshot";
import { addMonthly, costAtCurve } from "@/lib/domain/pricing";
import { dailyClassQuantiles, errorAutocorrelation, monthlyDemand } from "@/lib/domain/demand";
import { requireOwned, teamScope, teamWhere } from "@/lib/db/scope";
import type { overrideSchema } from "@/lib/validation/forecasts";
import { DAY_MS, monthKey } from "@/lib/domain/time";
import { cachedRead } from "@/lib/services/read-cache";


/** Serializes writers of an org's forecasts (the forecast job and planner overrides) inside their transaction. */
export async function forecastLock(tx: Tx, orgId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`forecasts:${orgId}`}))`;
}

/**
 * Planner overrides scale a team × class forecast by (1 + changePct) on their dates; the team, class and org
 * roll-ups receive the same absolute change. Originals stay untouched: adjusted forecasts are separate rows.
 */
export async function applyOverrides(orgId: string, asOf: Date, db: Tx) {
  const prisma = db;
  await prisma.forecast.deleteMany({ where: { organizationId: orgId, asOf, baseForecastId: { not: null } } });
  const overrides = await prisma.forecastOverride.findMany({ where: { organizationId: orgId } });
  if (!overrides.length) return 0;
  const bases = await prisma.forecast.findMany({ where: { organizationId: orgId, asOf, baseForecastId: null }, include: { points: true } });
  const teamLevel = bases.filter((b) => b.teamId && b.modelClassId);
  type Pt = { date: Date; metric: string; p10: bigint; p50: bigint; p90: bigint };
  const key = (p: { date: Date; metric: string }) => `${p.metric}|${p.date.getTime()}`;
  // deltas are exact token counts (bigint): summing them as floats lost tokens above 2^53
  const deltas = new Map<string, Map<string, { d10: bigint; d50: bigint; d90: bigint }>>();
  const adjustedPoints = new Map<string, Pt[]>();
  for (const b of teamLevel) {
    const ovs = overrides.filter((o) => o.modelClassId === b.modelClassId && (o.teamId === null || o.teamId === b.teamId));
    if (!ovs.length) continue;
    const pts = b.points.map((p) => {
      const factor = ovs.filter((o) => p.date >= o.startsOn && (!o.endsOn || p.date <= o.endsOn)).reduce((f, o) => f.mul(new Decimal(1).plus(new Decimal(o.changePct.toString()).div(100))), new Decimal(1));
      const scale = (v: bigint) => BigInt(new Decimal(v.toString()).mul(factor).round().toFixed(0));
      return { date: p.date, metric: p.metric, p10: scale(p.p10), p50: scale(p.p50), p90: scale(p.p90) };
    });
    adjustedPoints.set(b.id, pts);
    for (const scope of [`null|${b.modelClassId}`, `${b.teamId}|null`, "null|null"]) {
      const m = deltas.get(scope) ?? new Map();
      b.points.forEach((p, i) => {
        const d = m.get(key(p)) ?? { d10: 0n, d50: 0n, d90: 0n };
        d.d10 += pts[i].p10 - p.p10;
        d.d50 += pts[i].p50 - p.p50;
        d.d90 += pts[i].p90 - p.p90;
        m.set(key(p), d);
      });
      deltas.set(scope, m);
    }
  }
  for (const b of bases.filter((x) => !x.teamId || !x.modelClassId)) {
    const m = deltas.get(`${b.teamId}|${b.modelClassId}`);
    if (!m) continue;
    adjustedPoints.set(b.id, b.points.map((p) => {
      const d = m.get(key(p)) ?? { d10: 0n, d50: 0n, d90: 0n };
      return { date: p.date, metric: p.metric, p10: p.p10 + d.d10, p50: p.p50 + d.d50, p90: p.p90 + d.d90 };
    }));
  }
  for (const b of bases) {
    const pts = adjustedPoints.get(b.id);
    if (!pts) continue;
    await prisma.forecast.create({
      data: {
        organizationId: orgId, teamId: b.teamId, modelClassId: b.modelClassId, asOf, horizonDays: b.horizonDays, method: "base + planner overrides",
        params: { overrides: overrides.map((o) => o.id) }, metrics: {}, baseForecastId: b.id,
        points: { createMany: { data: pts } },
      },
    });
  }
  return adjustedPoints.size;
}

/**
 * The latest stored forecast for a scope, with its adjusted twin, recent actuals and the curve to cost it.
 * Cached per data version and day (lib/services/read-cache.ts).
 */
export async function forecastView(ctx: Ctx, q: { teamId?: string; modelClassId?: string }, asOf = new Date()) {
  return cachedRead(ctx, "forecastView", q, () => forecastViewUncached(ctx, q, asOf), asOf);
}
async function forecastViewUncached(ctx: Ctx, q: { teamId?: string; modelClassId?: string }, asOf = new Date()) {
  const teamId = teamScope(ctx, q.teamId);
  const modelClassId = q.modelClassId ?? null;
  if (teamId) await requireOwned(ctx, "team", teamId);
  if (modelClassId) await requireOwned(ctx, "modelClass", modelClassId);
  const base = await prisma.forecast.findFirst({
    where: { organizationId: ctx.orgId, teamId, modelClassId, baseForecastId: null },
    orderBy: { asOf: "desc" },
    include: { points: { orderBy: { date: "asc" } }, adjusted: { include: { points: { orderBy: { date: "asc" } } } } },
  });
  const versions = await prisma.forecast.findMany({ where: { organizationId: ctx.orgId, teamId, modelClassId, baseForecastId: null }, select: { asOf: true, method: true }, orderBy: { asOf: "desc" }, take: 10 });
  if (!base) return { base: null, adjusted: null, history: [], curve: [] as { month: string; price: string; spot: boolean }[], versions, monthlyCostUsd: {} as Record<string, string>, classesWithoutCurve: 0, monthlyBands: {} as Record<string, { p10: string; p90: string; days: number }>, errorCorrelation: 0 };
  const lastObserved = new Date(`${(base.params as { lastObservedDay: string }).lastObservedDay}T00:00:00Z`);
  const history = await dailyTokens(ctx.orgId, { teamId, modelClassId, after: new Date(lastObserved.getTime() - 120 * DAY_MS), before: new Date(lastObserved.getTime() + DAY_MS) });
  // Cost at today's curves: each class's P50 tokens (input + output) priced on that class's curve, summed over
  // the classes in scope — so team and org views are costed too, never at one class's price.
  const classForecasts = modelClassId
    ? [{ modelClassId, points: base.points }]
    : await prisma.forecast.findMany({ where: { organizationId: ctx.orgId, teamId, modelClassId: { not: null }, asOf: base.asOf, baseForecastId: null }, include: { points: true } });
  // market data for one explicit as-of day, loaded once for every class in scope
  const curves = await curvesAsOf(ctx.orgId, asOf, classForecasts.map((f) => f.modelClassId!));
  const monthlyCostUsd = new Map<string, Decimal>();
  const missingCurves: string[] = [];
  for (const f of classForecasts) {
    const c = curves.get(f.modelClassId!);
    if (!c) {
      missingCurves.push(f.modelClassId!);
      continue;
    }
    const tokensByMonth = new Map<string, bigint>();
    for (const p of f.points) tokensByMonth.set(monthKey(p.date), (tokensByMonth.get(monthKey(p.date)) ?? 0n) + p.p50);
    addMonthly(monthlyCostUsd, costAtCurve(tokensByMonth, c.prices).byMonth);
  }
  // monthly bands of the month's total (not summed daily quantiles): lib/domain/demand.ts, with the day-to-day
  // error correlation estimated from this scope's own recent history
  const rho = errorAutocorrelation(history.map((h) => Number(h.input + h.output)));
  const monthlyBands = Object.fromEntries(
    monthlyDemand(dailyClassQuantiles(base.points), rho).map((m) => [m.month, { p10: BigInt(Math.round(m.p10)).toString(), p90: BigInt(Math.round(m.p90)).toString(), days: m.days }]),
  );
  const own = modelClassId ? curves.get(modelClassId) : undefined;
  const curve = own ? [...own.prices.entries()].map(([month, price]) => ({ month, price: price.toString(), spot: month === monthKey(own.asOf) && own.spot !== null })) : [];
  return {
    base,
    adjusted: base.adjusted[0] ?? null,
    history,
    curve,
    versions,
    monthlyCostUsd: Object.fromEntries([...monthlyCostUsd.entries()].map(([m, v]) => [m, v.toFixed(2)])),
    classesWithoutCurve: missingCurves.length,
    monthlyBands,
    errorCorrelation: rho,
  };
}

export async function listOverrides(ctx: Ctx) {
  return cachedRead(ctx, "listOverrides", null, () => listOverridesUncached(ctx));
}
async function listOverridesUncached(ctx: Ctx) {
  return prisma.forecastOverride.findMany({
    where: { organizationId: ctx.orgId, ...teamWhere(ctx) },
    include: { team: { select: { name: true } }, modelClass: { select: { name: true } } },
    orderBy: { startsOn: "asc" },
  });
}

export async function createOverride(ctx: Ctx, input: z.output<typeof overrideSchema>) {
  const teamId = teamScope(ctx, input.teamId);
  if (teamId) await requireOwned(ctx, "team", teamId, { field: "teamId" });
  await requireOwned(ctx, "modelClass", input.modelClassId, { field: "modelClassId" });
  // one transaction with the adjusted forecasts, serialized with the forecast job (forecastLock)
  const o = await prisma.$transaction(async (tx) => {
    await forecastLock(tx, ctx.orgId);
    const o = await tx.forecastOverride.create({
      data: { organizationId: ctx.orgId, teamId, modelClassId: input.modelClassId, startsOn: new Date(`${input.startsOn}T00:00:00Z`), endsOn: input.endsOn ? new Date(`${input.endsOn}T00:00:00Z`) : null, changePct: input.changePct, description: input.description, createdById: ctx.actorId ?? "api" },
    });
    await audit(tx, ctx, "forecastOverride.created", "ForecastOverride", o.id, input);
    const latest = await tx.forecast.findFirst({ where: { organizationId: ctx.orgId, baseForecastId: null }, orderBy: { asOf: "desc" } });
    const adjusted = latest ? await applyOverrides(ctx.orgId, latest.asOf, tx) : 0;
    return { override: o, adjusted };
  }, { timeout: 60_000 });
  return { override: o.override, adjustedForecasts: o.adjusted };
}
