import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { buildCurve, screenParams, type CurveParams, type ExcludedQuote, type QuoteInput, type ScreenParams } from "@/lib/domain/curve";
import { indexToJson, listBlendedIndex, type IndexJson, type ListBlendedIndex, type ListPrice } from "@/lib/domain/index-price";
import { readSettings, type OrgSettings } from "@/lib/validation/settings";
import { notFound } from "@/lib/errors";
import { DAY_MS, addDays, monthKey, utcDay } from "@/lib/domain/time";
import { moneyString } from "@/lib/domain/money";
import { cachedRead } from "@/lib/services/read-cache";
import { curvesLockKey } from "@/lib/services/usage-rollup";

const dec = (v: { toString(): string } | null) => (v === null ? null : v.toString());
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Trailing usage window behind a class's index: the 30 UTC days up to and including the index day. */
export const INDEX_WINDOW_DAYS = 30;
/** At most this many excluded quotes are kept with a stored curve (the count is always exact). */
const MAX_STORED_EXCLUSIONS = 200;

/**
 * Each class's list-blended index on `day` (lib/domain/index-price.ts): the org's usage of the class's models over
 * the trailing window, each model at its list price in force on `day`. Keyed by model class id; a class without
 * priced usage in the window has no entry.
 */
export async function classIndexes(orgId: string, day: Date): Promise<Map<string, { index: ListBlendedIndex; json: IndexJson }>> {
  const to = utcDay(day);
  const from = addDays(to, -(INDEX_WINDOW_DAYS - 1));
  const [usage, prices, models] = await Promise.all([
    prisma.$queryRaw<{ modelId: string; input: bigint; cached: bigint; output: bigint }[]>`
      SELECT s."modelId" AS "modelId", sum(d."inputTokens")::bigint AS input, sum(d."cachedInputTokens")::bigint AS cached,
             sum(d."outputTokens")::bigint AS output
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId"
      WHERE s."organizationId" = ${orgId} AND d.day >= ${isoDay(from)}::date AND d.day <= ${isoDay(to)}::date
      GROUP BY 1`,
    prisma.modelPrice.findMany({ where: { organizationId: orgId, effectiveFrom: { lte: to } }, orderBy: { effectiveFrom: "desc" } }),
    prisma.model.findMany({ where: { organizationId: orgId }, include: { provider: true } }),
  ]);
  const priceOf = new Map<string, ListPrice>();
  for (const p of prices) {
    if (priceOf.has(p.modelId)) continue; // newest effective price first
    priceOf.set(p.modelId, { input: p.inputUsdPerMTokens.toString(), cachedInput: dec(p.cachedInputUsdPerMTokens), output: p.outputUsdPerMTokens.toString() });
  }
  const modelById = new Map(models.map((m) => [m.id, m]));
  const byClass = new Map<string, Parameters<typeof listBlendedIndex>[0]>();
  for (const u of usage) {
    const m = modelById.get(u.modelId);
    if (!m) continue;
    const list = byClass.get(m.modelClassId) ?? [];
    list.push({ model: `${m.provider.name} ${m.name}`, tokens: { input: u.input, cachedInput: u.cached, output: u.output }, price: priceOf.get(m.id) ?? null });
    byClass.set(m.modelClassId, list);
  }
  const out = new Map<string, { index: ListBlendedIndex; json: IndexJson }>();
  for (const [classId, list] of byClass) {
    const index = listBlendedIndex(list);
    if (index) out.set(classId, { index, json: indexToJson(index, { days: INDEX_WINDOW_DAYS, from: isoDay(from), to: isoDay(to) }) });
  }
  return out;
}

/** An excluded quote as stored with its curve (ForwardCurve.params.excluded) and shown on the market page. */
export type StoredExclusion = { source: string; asOf: string; deliveryMonth: string | null; mid: string; median: string; deviationPct: string; reason: string };
/**
 * What a stored curve carries in ForwardCurve.params (JSON; the schema has no other place): the builder parameters
 * at the top level as before, then the outlier screen used, where the spot came from, the index behind it, and
 * the quotes the screen left out.
 */
export type CurveMeta = OrgSettings["curve"] & {
  screen?: ScreenParams;
  spot?: { basis: "LIST_INDEX" | "OBSERVED" | null; observedUsdPerMTokens: string | null; observedCount: number };
  index?: IndexJson | null;
  excludedCount?: number;
  excluded?: StoredExclusion[];
};
const storedExclusion = (e: ExcludedQuote): StoredExclusion => ({
  source: e.quote.source,
  asOf: e.quote.asOf.toISOString(),
  deliveryMonth: e.deliveryMonth,
  mid: moneyString(e.mid),
  median: moneyString(e.median),
  deviationPct: e.deviationPct.toDecimalPlaces(1).toString(),
  reason: e.reason,
});
/** Reads a stored curve's params; curves stored before the index and the screen existed carry only the parameters. */
export function readCurveMeta(params: unknown): Partial<CurveMeta> {
  return params && typeof params === "object" && !Array.isArray(params) ? (params as Partial<CurveMeta>) : {};
}

/**
 * Builds and stores each model class's curve as of `asOf` (end of that UTC day), from quotes known by then.
 * Re-running for the same day replaces that day's curve, so the nightly job and post-import runs are idempotent.
 * Every class is built first, then the day's curves of all classes are replaced in one transaction under a per-org
 * lock: readers see the old set or the new one, and two runs at once never interleave.
 */
export async function rebuildCurves(orgId: string, asOfDay: Date) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  const params = readSettings(org.settings).curve;
  const curveParams: CurveParams = params;
  const day = utcDay(asOfDay);
  const asOf = new Date(day.getTime() + DAY_MS - 1);
  const since = new Date(asOf.getTime() - params.maxQuoteAgeDays * DAY_MS);
  const classes = await prisma.modelClass.findMany({ where: { organizationId: orgId }, include: { models: { include: { versions: true, provider: true } } } });
  const indexes = await classIndexes(orgId, day);
  const built: { modelClass: string; points: number; flagged: number; excludedQuotes: number; spotBasis: "LIST_INDEX" | "OBSERVED" | null }[] = [];
  const curves: { modelClassId: string; data: Parameters<typeof prisma.forwardCurve.create>[0]["data"] | null }[] = [];
  for (const cls of classes) {
    const quotes = await prisma.priceQuote.findMany({ where: { organizationId: orgId, modelClassId: cls.id, asOf: { gte: since, lte: asOf } } });
    const toInput = (q: (typeof quotes)[number]): QuoteInput => ({
      source: q.source,
      deliveryMonth: q.deliveryMonth ? monthKey(q.deliveryMonth) : null,
      bid: dec(q.bidUsdPerMTokens),
      ask: dec(q.askUsdPerMTokens),
      mid: dec(q.midUsdPerMTokens),
      asOf: q.asOf,
    });
    const curve = buildCurve({
      asOf,
      forwards: quotes.filter((q) => q.kind === "FORWARD").map(toInput),
      spots: quotes.filter((q) => q.kind !== "FORWARD").map(toInput),
      params,
      index: indexes.get(cls.id)?.index.priceUsdPerMTokens ?? null,
    });
    const meta: CurveMeta = {
      ...params,
      screen: screenParams(curveParams),
      spot: { basis: curve.spotBasis, observedUsdPerMTokens: curve.observedSpot ? moneyString(curve.observedSpot) : null, observedCount: curve.observedSpotCount },
      index: indexes.get(cls.id)?.json ?? null,
      excludedCount: curve.excluded.length,
      excluded: curve.excluded.slice(0, MAX_STORED_EXCLUSIONS).map(storedExclusion),
    };
    // Model drift: a version change behind this class within the quote window means the quotes may price a
    // different model than the one delivered; every point says so.
    const drifts = cls.models.flatMap((m) =>
      m.versions
        .filter((v) => v.effectiveFrom.getTime() > since.getTime() && v.effectiveFrom.getTime() <= asOf.getTime())
        .filter((v) => m.versions.some((o) => o.effectiveFrom < v.effectiveFrom))
        .map((v) => `drift: ${m.provider.name} ${m.name} version changed on ${v.effectiveFrom.toISOString().slice(0, 10)} (${v.version})`),
    );
    const driftNote = drifts.length ? drifts.join("; ") : null;
    curves.push({
      modelClassId: cls.id,
      data: !curve.points.length ? null : {
        organizationId: orgId,
        modelClassId: cls.id,
        asOf: day,
        spotUsdPerMTokens: curve.spot ? moneyString(curve.spot) : null,
        params: meta,
        points: {
          create: curve.points.map((p) => ({
            deliveryMonth: new Date(`${p.deliveryMonth}-01T00:00:00Z`),
            priceUsdPerMTokens: moneyString(p.price),
            kind: p.kind,
            quoteCount: p.quoteCount,
            stale: p.stale,
            wide: p.wide,
            thin: p.thin,
            driftNote,
          })),
        },
      },
    });
    built.push({ modelClass: cls.key, points: curve.points.length, flagged: curve.points.filter((p) => p.stale || p.wide || p.thin).length, excludedQuotes: curve.excluded.length, spotBasis: curve.spotBasis });
  }
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${curvesLockKey(orgId)}))`;
    for (const c of curves) {
      await tx.forwardCurve.deleteMany({ where: { organizationId: orgId, modelClassId: c.modelClassId, asOf: day } });
      if (c.data) await tx.forwardCurve.create({ data: c.data });
    }
    // the spot of every day from this one may have changed: the monthly read model's spot benchmark is behind
    // from here until the rollup job (queued after a rebuild) re-prices it
    await tx.$executeRaw`UPDATE "Organization" SET "curvesChangedFrom" = least(coalesce("curvesChangedFrom", ${day}::date), ${day}::date) WHERE id = ${orgId}`;
  }, { timeout: 120_000, maxWait: 60_000 });
  return { asOf: day.toISOString().slice(0, 10), curves: built };
}

/**
 * Latest curve per class plus past curves for the overlay (nearest stored as-of on or before each lookback), what
 * the latest curve's spot is made of (the index and its mix, or observed spot) and the quotes its screen excluded.
 */
export async function curveView(ctx: Ctx, classKey?: string) {
  return cachedRead(ctx, "curveView", classKey ?? null, () => curveViewUncached(ctx, classKey));
}
async function curveViewUncached(ctx: Ctx, classKey?: string) {
  const classes = await prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { key: "asc" } });
  if (!classes.length) return null;
  const cls = classKey ? classes.find((c) => c.key === classKey) : await mostSpentClass(ctx.orgId, classes);
  if (!cls) throw notFound("Model class");
  const latest = await prisma.forwardCurve.findFirst({ where: { organizationId: ctx.orgId, modelClassId: cls.id }, orderBy: { asOf: "desc" }, include: { points: { orderBy: { deliveryMonth: "asc" } } } });
  type StoredCurve = NonNullable<typeof latest>;
  const overlays: { label: string; curve: StoredCurve }[] = [];
  if (latest) {
    for (const [label, days] of [["1 week ago", 7], ["1 month ago", 30], ["3 months ago", 91], ["6 months ago", 182]] as const) {
      const c = await prisma.forwardCurve.findFirst({
        where: { organizationId: ctx.orgId, modelClassId: cls.id, asOf: { lte: new Date(latest.asOf.getTime() - days * DAY_MS) } },
        orderBy: { asOf: "desc" },
        include: { points: { orderBy: { deliveryMonth: "asc" } } },
      });
      if (c && !overlays.some((o) => o.curve.id === c.id)) overlays.push({ label, curve: c });
    }
  }
  // weekly median of each kind of spot observation (a median, so a few stray observations do not bend the history)
  const spotHistory = await prisma.$queryRaw<{ week: Date; kind: string; mid: Decimal }[]>`
    SELECT date_trunc('week', "asOf") AS week, kind::text AS kind, percentile_disc(0.5) WITHIN GROUP (ORDER BY "midUsdPerMTokens") AS mid
    FROM "PriceQuote" WHERE "organizationId" = ${ctx.orgId} AND "modelClassId" = ${cls.id} AND kind <> 'FORWARD'
    GROUP BY 1, 2 ORDER BY 1`;
  const meta = readCurveMeta(latest?.params);
  // a curve stored before the index existed (or no curve yet): show the index as it stands today instead
  const liveIndex = meta.index === undefined ? ((await classIndexes(ctx.orgId, new Date())).get(cls.id)?.json ?? null) : null;
  return {
    classes,
    cls,
    latest,
    overlays,
    meta,
    index: meta.index ?? liveIndex,
    indexIsLive: meta.index === undefined && liveIndex !== null,
    excluded: meta.excluded ?? [],
    excludedCount: meta.excludedCount ?? 0,
    spotHistory: spotHistory.map((r) => ({ week: r.week.toISOString().slice(0, 10), kind: r.kind, mid: new Decimal(r.mid.toString()).toDecimalPlaces(4).toString() })),
  };
}

/**
 * The class the market page opens on: the one with the most spend over the index window (last 30 days, at the list
 * prices in force today), so the first curve a user sees is the one that matters most; alphabetical without usage.
 */
async function mostSpentClass<C extends { id: string }>(orgId: string, classes: C[]): Promise<C> {
  const indexes = await classIndexes(orgId, new Date());
  let best = classes[0];
  let bestSpend: Decimal | null = null;
  for (const c of classes) {
    const spend = indexes.get(c.id)?.index.listCostUsd;
    if (spend && (bestSpend === null || spend.gt(bestSpend))) [best, bestSpend] = [c, spend];
  }
  return best;
}

/** Price per 1M tokens beside price per quality point, per class, from the latest curves and scores. */
export async function qualityAdjusted(ctx: Ctx) {
  return cachedRead(ctx, "qualityAdjusted", null, () => qualityAdjustedUncached(ctx));
}
async function qualityAdjustedUncached(ctx: Ctx) {
  const classes = await prisma.modelClass.findMany({
    where: { organizationId: ctx.orgId },
    include: {
      qualityScores: { where: { effectiveFrom: { lte: new Date() } }, orderBy: { effectiveFrom: "desc" }, take: 1 },
      curves: { orderBy: { asOf: "desc" }, take: 1, include: { points: { orderBy: { deliveryMonth: "asc" }, take: 3 } } },
    },
    orderBy: { key: "asc" },
  });
  return classes.map((c) => {
    const q = c.qualityScores[0];
    const curve = c.curves[0];
    const spot = curve?.spotUsdPerMTokens ? new Decimal(curve.spotUsdPerMTokens.toString()) : null;
    const m3 = curve?.points[2] ? new Decimal(curve.points[2].priceUsdPerMTokens.toString()) : null;
    const score = q ? new Decimal(q.score.toString()) : null;
    // price per 1M tokens per 1,000 quality points: whole cents where a price per single point needs six decimals
    const per = (v: Decimal | null) => (v && score && !score.isZero() ? v.div(score).times(1000).toDecimalPlaces(4).toString() : null);
    return {
      key: c.key,
      name: c.name,
      quality: q ? { score: q.score.toString(), benchmark: q.benchmark, effectiveFrom: q.effectiveFrom } : null,
      spot: spot?.toString() ?? null,
      m3: m3?.toString() ?? null,
      spotPer1000Points: per(spot),
      m3Per1000Points: per(m3),
      curveAsOf: curve?.asOf ?? null,
      spotBasis: readCurveMeta(curve?.params).spot?.basis ?? null,
      index: readCurveMeta(curve?.params).index ?? null,
    };
  });
}
