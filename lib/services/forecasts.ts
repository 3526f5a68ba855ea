import Decimal from "decimal.js";
import { DAILY_USAGE } from "@/lib/services/usage";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { badRequest, forbidden, notFound } from "@/lib/errors";
import { audit } from "./audit";
import type { overrideSchema } from "@/lib/validation/forecasts";
import { DAY_MS, monthKey } from "@/lib/domain/time";


/**
 * Planner overrides scale a team × class forecast by (1 + changePct) on their dates; the team, class and org
 * roll-ups receive the same absolute change. Originals stay untouched: adjusted forecasts are separate rows.
 */
export async function applyOverrides(orgId: string, asOf: Date) {
  await prisma.forecast.deleteMany({ where: { organizationId: orgId, asOf, baseForecastId: { not: null } } });
  const overrides = await prisma.forecastOverride.findMany({ where: { organizationId: orgId } });
  if (!overrides.length) return 0;
  const bases = await prisma.forecast.findMany({ where: { organizationId: orgId, asOf, baseForecastId: null }, include: { points: true } });
  const teamLevel = bases.filter((b) => b.teamId && b.modelClassId);
  type Pt = { date: Date; metric: string; p10: bigint; p50: bigint; p90: bigint };
  const key = (p: { date: Date; metric: string }) => `${p.metric}|${p.date.getTime()}`;
  const deltas = new Map<string, Map<string, { d10: number; d50: number; d90: number }>>();
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
        const d = m.get(key(p)) ?? { d10: 0, d50: 0, d90: 0 };
        d.d10 += Number(pts[i].p10 - p.p10);
        d.d50 += Number(pts[i].p50 - p.p50);
        d.d90 += Number(pts[i].p90 - p.p90);
        m.set(key(p), d);
      });
      deltas.set(scope, m);
    }
  }
  for (const b of bases.filter((x) => !x.teamId || !x.modelClassId)) {
    const m = deltas.get(`${b.teamId}|${b.modelClassId}`);
    if (!m) continue;
    adjustedPoints.set(b.id, b.points.map((p) => {
      const d = m.get(key(p)) ?? { d10: 0, d50: 0, d90: 0 };
      return { date: p.date, metric: p.metric, p10: p.p10 + BigInt(Math.round(d.d10)), p50: p.p50 + BigInt(Math.round(d.d50)), p90: p.p90 + BigInt(Math.round(d.d90)) };
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

/** Month → price per 1M tokens from the class's latest curve: forward points, and spot for the as-of month. */
async function curvePrices(orgId: string, modelClassId: string): Promise<Map<string, { price: Decimal; spot: boolean }>> {
  const fc = await prisma.forwardCurve.findFirst({ where: { organizationId: orgId, modelClassId }, orderBy: { asOf: "desc" }, include: { points: true } });
  const out = new Map<string, { price: Decimal; spot: boolean }>();
  if (!fc) return out;
  if (fc.spotUsdPerMTokens) out.set(monthKey(fc.asOf), { price: new Decimal(fc.spotUsdPerMTokens.toString()), spot: true });
  for (const p of fc.points) out.set(monthKey(p.deliveryMonth), { price: new Decimal(p.priceUsdPerMTokens.toString()), spot: false });
  return out;
}

function scopeTeam(ctx: Ctx, teamId?: string) {
  if (ctx.role === "TEAM_LEAD") {
    if (teamId && teamId !== ctx.teamId) throw forbidden("Team leads see only their own team");
    return ctx.teamId;
  }
  return teamId ?? null;
}

/** The latest stored forecast for a scope, with its adjusted twin, recent actuals and the curve to cost it. */
export async function forecastView(ctx: Ctx, q: { teamId?: string; modelClassId?: string }) {
  const teamId = scopeTeam(ctx, q.teamId);
  const modelClassId = q.modelClassId ?? null;
  if (teamId && !(await prisma.team.findFirst({ where: { id: teamId, organizationId: ctx.orgId } }))) throw notFound("Team");
  if (modelClassId && !(await prisma.modelClass.findFirst({ where: { id: modelClassId, organizationId: ctx.orgId } }))) throw notFound("Model class");
  const base = await prisma.forecast.findFirst({
    where: { organizationId: ctx.orgId, teamId, modelClassId, baseForecastId: null },
    orderBy: { asOf: "desc" },
    include: { points: { orderBy: { date: "asc" } }, adjusted: { include: { points: { orderBy: { date: "asc" } } } } },
  });
  const versions = await prisma.forecast.findMany({ where: { organizationId: ctx.orgId, teamId, modelClassId, baseForecastId: null }, select: { asOf: true, method: true }, orderBy: { asOf: "desc" }, take: 10 });
  if (!base) return { base: null, adjusted: null, history: [], curve: [] as { month: string; price: string; spot: boolean }[], versions, monthlyCostUsd: {} as Record<string, string>, classesWithoutCurve: 0 };
  const lastObserved = new Date(`${(base.params as { lastObservedDay: string }).lastObservedDay}T00:00:00Z`);
  const history = await prisma.$queryRaw<{ day: Date; input: bigint; output: bigint }[]>`
    SELECT u."periodStart" AS day, sum(u."inputTokens")::bigint AS input, sum(u."outputTokens")::bigint AS output
    FROM ${DAILY_USAGE} u JOIN "Model" m ON m.id = u."modelId"
    WHERE u."organizationId" = ${ctx.orgId} AND u."periodStart" > ${new Date(lastObserved.getTime() - 120 * DAY_MS)} AND u."periodStart" < ${new Date(lastObserved.getTime() + DAY_MS)}
      AND (${teamId}::text IS NULL OR u."teamId" = ${teamId}) AND (${modelClassId}::text IS NULL OR m."modelClassId" = ${modelClassId})
    GROUP BY 1 ORDER BY 1`;
  // Cost at today's curves: each class's P50 tokens (input + output) priced on that class's curve, summed over
  // the classes in scope — so team and org views are costed too, never at one class's price.
  const classForecasts = modelClassId
    ? [{ modelClassId, points: base.points }]
    : await prisma.forecast.findMany({ where: { organizationId: ctx.orgId, teamId, modelClassId: { not: null }, asOf: base.asOf, baseForecastId: null }, include: { points: true } });
  const monthlyCostUsd = new Map<string, Decimal>();
  const missingCurves: string[] = [];
  for (const f of classForecasts) {
    const prices = await curvePrices(ctx.orgId, f.modelClassId!);
    if (!prices.size) missingCurves.push(f.modelClassId!);
    for (const p of f.points) {
      const month = monthKey(p.date);
      const price = prices.get(month);
      if (!price) continue;
      monthlyCostUsd.set(month, (monthlyCostUsd.get(month) ?? new Decimal(0)).plus(new Decimal(p.p50.toString()).div(1e6).mul(price.price)));
    }
  }
  const curve = modelClassId ? [...(await curvePrices(ctx.orgId, modelClassId)).entries()].map(([month, v]) => ({ month, price: v.price.toString(), spot: v.spot })) : [];
  return {
    base,
    adjusted: base.adjusted[0] ?? null,
    history,
    curve,
    versions,
    monthlyCostUsd: Object.fromEntries([...monthlyCostUsd.entries()].map(([m, v]) => [m, v.toFixed(2)])),
    classesWithoutCurve: missingCurves.length,
  };
}

export async function listOverrides(ctx: Ctx) {
  return prisma.forecastOverride.findMany({
    where: { organizationId: ctx.orgId, ...(ctx.role === "TEAM_LEAD" ? { teamId: ctx.teamId } : {}) },
    include: { team: { select: { name: true } }, modelClass: { select: { name: true } } },
    orderBy: { startsOn: "asc" },
  });
}

export async function createOverride(ctx: Ctx, input: z.output<typeof overrideSchema>) {
  const teamId = ctx.role === "TEAM_LEAD" ? ctx.teamId : (input.teamId ?? null);
  if (ctx.role === "TEAM_LEAD" && input.teamId && input.teamId !== ctx.teamId) throw forbidden("Team leads add events for their own team only");
  if (teamId && !(await prisma.team.findFirst({ where: { id: teamId, organizationId: ctx.orgId } }))) throw badRequest("teamId: no such team", [{ path: "body.teamId", message: "no such team" }]);
  if (!(await prisma.modelClass.findFirst({ where: { id: input.modelClassId, organizationId: ctx.orgId } }))) throw badRequest("modelClassId: no such model class", [{ path: "body.modelClassId", message: "no such model class" }]);
  const o = await prisma.$transaction(async (tx) => {
    const o = await tx.forecastOverride.create({
      data: { organizationId: ctx.orgId, teamId, modelClassId: input.modelClassId, startsOn: new Date(`${input.startsOn}T00:00:00Z`), endsOn: input.endsOn ? new Date(`${input.endsOn}T00:00:00Z`) : null, changePct: input.changePct, description: input.description, createdById: ctx.actorId ?? "api" },
    });
    await audit(tx, ctx, "forecastOverride.created", "ForecastOverride", o.id, input);
    return o;
  });
  const latest = await prisma.forecast.findFirst({ where: { organizationId: ctx.orgId, baseForecastId: null }, orderBy: { asOf: "desc" } });
  const adjusted = latest ? await applyOverrides(ctx.orgId, latest.asOf) : 0;
  return { override: o, adjustedForecasts: adjusted };
}
