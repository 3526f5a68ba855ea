import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { buildCurve, type QuoteInput } from "@/lib/domain/curve";
import { readSettings } from "@/lib/validation/settings";
import { notFound } from "@/lib/errors";
import { DAY_MS, monthKey, utcDay } from "@/lib/domain/time";

const dec = (v: { toString(): string } | null) => (v === null ? null : v.toString());

/**
 * Builds and stores each model class's curve as of `asOf` (end of that UTC day), from quotes known by then.
 * Re-running for the same day replaces that day's curve, so the nightly job and post-import runs are idempotent.
 */
export async function rebuildCurves(orgId: string, asOfDay: Date) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  const params = readSettings(org.settings).curve;
  const day = utcDay(asOfDay);
  const asOf = new Date(day.getTime() + DAY_MS - 1);
  const since = new Date(asOf.getTime() - params.maxQuoteAgeDays * DAY_MS);
  const classes = await prisma.modelClass.findMany({ where: { organizationId: orgId }, include: { models: { include: { versions: true, provider: true } } } });
  const built: { modelClass: string; points: number; flagged: number }[] = [];
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
    });
    // Model drift: a version change behind this class within the quote window means the quotes may price a
    // different model than the one delivered; every point says so.
    const drifts = cls.models.flatMap((m) =>
      m.versions
        .filter((v) => v.effectiveFrom.getTime() > since.getTime() && v.effectiveFrom.getTime() <= asOf.getTime())
        .filter((v) => m.versions.some((o) => o.effectiveFrom < v.effectiveFrom))
        .map((v) => `drift: ${m.provider.name} ${m.name} version changed on ${v.effectiveFrom.toISOString().slice(0, 10)} (${v.version})`),
    );
    const driftNote = drifts.length ? drifts.join("; ") : null;
    await prisma.$transaction(async (tx) => {
      await tx.forwardCurve.deleteMany({ where: { organizationId: orgId, modelClassId: cls.id, asOf: day } });
      if (!curve.points.length) return;
      await tx.forwardCurve.create({
        data: {
          organizationId: orgId,
          modelClassId: cls.id,
          asOf: day,
          spotUsdPerMTokens: curve.spot?.toDecimalPlaces(6).toString() ?? null,
          params,
          points: {
            create: curve.points.map((p) => ({
              deliveryMonth: new Date(`${p.deliveryMonth}-01T00:00:00Z`),
              priceUsdPerMTokens: p.price.toDecimalPlaces(6).toString(),
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
    });
    built.push({ modelClass: cls.key, points: curve.points.length, flagged: curve.points.filter((p) => p.stale || p.wide || p.thin).length });
  }
  return { asOf: day.toISOString().slice(0, 10), curves: built };
}

/** Latest curve per class plus past curves for the overlay (nearest stored as-of on or before each lookback). */
export async function curveView(ctx: Ctx, classKey?: string) {
  const classes = await prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { key: "asc" } });
  if (!classes.length) return null;
  const cls = classKey ? classes.find((c) => c.key === classKey) : classes[0];
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
  const spotHistory = await prisma.$queryRaw<{ week: Date; kind: string; mid: Decimal }[]>`
    SELECT date_trunc('week', "asOf") AS week, kind::text AS kind, avg("midUsdPerMTokens") AS mid
    FROM "PriceQuote" WHERE "organizationId" = ${ctx.orgId} AND "modelClassId" = ${cls.id} AND kind <> 'FORWARD'
    GROUP BY 1, 2 ORDER BY 1`;
  return { classes, cls, latest, overlays, spotHistory: spotHistory.map((r) => ({ week: r.week.toISOString().slice(0, 10), kind: r.kind, mid: new Decimal(r.mid.toString()).toDecimalPlaces(4).toString() })) };
}

/** Price per 1M tokens beside price per quality point, per class, from the latest curves and scores. */
export async function qualityAdjusted(ctx: Ctx) {
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
    const per = (v: Decimal | null) => (v && score && !score.isZero() ? v.div(score).toDecimalPlaces(6).toString() : null);
    return {
      key: c.key,
      name: c.name,
      quality: q ? { score: q.score.toString(), benchmark: q.benchmark, effectiveFrom: q.effectiveFrom } : null,
      spot: spot?.toString() ?? null,
      m3: m3?.toString() ?? null,
      spotPerQuality: per(spot),
      m3PerQuality: per(m3),
      curveAsOf: curve?.asOf ?? null,
    };
  });
}
