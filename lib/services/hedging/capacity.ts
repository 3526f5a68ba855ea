/**
 * Capacity under contracts' service terms, for one explicit as-of day, org-scoped, read-only: what
 * lib/domain/capacity.ts needs, loaded from the stored usage.
 *
 * - History: per class the 90 days ending on its last day of usage before the as-of day (from its first day when
 *   it has fewer). Hourly granularity when every usage row of the class in that window is hourly (the raw
 *   UsageRecord rows of HOUR series, summed over teams and models per hour); when any team's usage of the class is
 *   daily the busiest hour cannot be known, so the class is measured on its daily totals (UsageDaily) and says so.
 * - Growth: the latest class roll-up forecast on or before the as-of day (planner-adjusted when there is one),
 *   input + output P50 per day, averaged per month.
 * - Reservations: open contracts (pending approval, booked, delivering) with reserved throughput.
 * - Delivered vs committed (a contract page): booked, delivering and settled contracts of the class with a
 *   reservation, the class's daily usage totals, and per month its requests and — hourly data only — busiest hour.
 *   No usage format carries latency, so delivered latency is reported as not available.
 */
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { addMonths } from "@/lib/domain/curve";
import { OPEN_STATUSES } from "@/lib/domain/contract-lifecycle";
import { capacityCoverage, deliveredVsReserved, type MonthForecast, type UsageGranularity, type UsagePoint } from "@/lib/domain/capacity";
import { addDays, monthKey, utcDay } from "@/lib/domain/time";
import { fmtTokens } from "@/lib/format";
import { cachedRead } from "@/lib/services/read-cache";
import { rollupIsCurrent } from "@/lib/services/usage-rollup";

export const CAPACITY_MONTHS = 12;
export const HISTORY_DAYS = 90;
const iso = (d: Date) => d.toISOString().slice(0, 10);

type DailyRow = { class_id: string; granularity: UsageGranularity; day: Date; tokens: bigint };

/** Daily usage per class and series granularity over [from, before). */
function dailyByGranularity(orgId: string, from: Date, before: Date) {
  return prisma.$queryRaw<DailyRow[]>`
    SELECT m."modelClassId" AS class_id, s.granularity::text AS granularity, d.day::timestamp AS day, sum(d."inputTokens" + d."outputTokens")::bigint AS tokens
      FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
     WHERE s."organizationId" = ${orgId} AND d.day >= ${from}::date AND d.day < ${before}::date
     GROUP BY 1, 2, 3 ORDER BY 1, 3`;
}

/**
 * Daily usage per class over [from, before) from the small class × day read model (the rollup keeps it current):
 * O(classes × days) whatever the number of teams. Rows carry no granularity; nonHourlyClasses tells that.
 */
function dailyByClass(orgId: string, from: Date, before: Date) {
  return prisma.$queryRaw<Omit<DailyRow, "granularity">[]>`
    SELECT "modelClassId" AS class_id, day::timestamp AS day, sum("inputTokens" + "outputTokens")::bigint AS tokens
      FROM "UsageClassDaily" WHERE "organizationId" = ${orgId} AND day >= ${from}::date AND day < ${before}::date
     GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Classes with a series other than hourly that has records in the class's window (from the series' own extent). */
async function nonHourlyClasses(orgId: string, windows: Map<string, { from: Date; to: Date }>): Promise<Set<string>> {
  if (!windows.size) return new Set();
  const ids = [...windows.keys()];
  const rows = await prisma.$queryRaw<{ class_id: string }[]>`
    SELECT DISTINCT w.c AS class_id
      FROM unnest(${ids}::text[], ${ids.map((id) => iso(windows.get(id)!.from))}::date[], ${ids.map((id) => iso(windows.get(id)!.to))}::date[]) AS w(c, lo, hi)
      JOIN "Model" m ON m."modelClassId" = w.c
      JOIN "UsageSeries" s ON s."modelId" = m.id AND s."organizationId" = ${orgId}
     WHERE s.granularity <> 'HOUR' AND s."lastPeriod" >= w.lo AND s."firstPeriod" < w.hi + 1`;
  return new Set(rows.map((r) => r.class_id));
}

/** Hourly usage per class (HOUR series only, all teams and models summed) over [from, before). */
function hourlyByClass(orgId: string, classIds: string[], from: Date, before: Date) {
  if (!classIds.length) return Promise.resolve([] as { class_id: string; start: Date; tokens: bigint }[]);
  return prisma.$queryRaw<{ class_id: string; start: Date; tokens: bigint }[]>`
    SELECT m."modelClassId" AS class_id, r."periodStart" AS start, sum(r."inputTokens" + r."outputTokens")::bigint AS tokens
      FROM "UsageRecord" r JOIN "UsageSeries" s ON s.id = r."seriesId" JOIN "Model" m ON m.id = s."modelId"
     WHERE s."organizationId" = ${orgId} AND s.granularity = 'HOUR' AND m."modelClassId" = ANY(${classIds})
       AND r."periodStart" >= ${from} AND r."periodStart" < ${before}
     GROUP BY 1, 2`;
}

/** P50 tokens (input + output) per month of each class's latest roll-up forecast on or before asOf. */
async function forecastByMonth(orgId: string, asOf: Date, from: Date) {
  const forecasts = await prisma.forecast.findMany({
    where: { organizationId: orgId, teamId: null, modelClassId: { not: null }, baseForecastId: null, asOf: { lte: asOf } },
    orderBy: [{ asOf: "desc" }, { createdAt: "desc" }],
    select: { id: true, modelClassId: true, asOf: true, adjusted: { select: { id: true }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  const latest = new Map<string, { id: string; asOf: Date }>();
  for (const f of forecasts) if (!latest.has(f.modelClassId!)) latest.set(f.modelClassId!, { id: f.adjusted[0]?.id ?? f.id, asOf: f.asOf });
  const out = new Map<string, { asOf: string; months: Map<string, MonthForecast> }>();
  if (!latest.size) return out;
  const ids = [...latest.values()].map((f) => f.id);
  const rows = await prisma.$queryRaw<{ forecast_id: string; month: string; tokens: bigint; days: number }[]>`
    SELECT "forecastId" AS forecast_id, to_char(date, 'YYYY-MM') AS month, sum(p50)::bigint AS tokens, count(DISTINCT date)::int AS days
      FROM "ForecastPoint" WHERE "forecastId" = ANY(${ids}) AND date >= ${from}::date GROUP BY 1, 2`;
  for (const [classId, f] of latest) {
    const months = new Map(rows.filter((r) => r.forecast_id === f.id).map((r) => [r.month, { tokens: r.tokens, days: r.days }]));
    out.set(classId, { asOf: iso(f.asOf), months });
  }
  return out;
}

export type CapacityView = Awaited<ReturnType<typeof capacityViewUncached>>;

/** Forecast peak demand vs reserved throughput per class for the 12 months from asOf (see header). */
export async function capacityView(ctx: Pick<Ctx, "orgId">, now = new Date()) {
  return cachedRead(ctx, "capacityView", iso(utcDay(now)), () => capacityViewUncached(ctx, now), now);
}
async function capacityViewUncached(ctx: Pick<Ctx, "orgId">, now: Date) {
  const asOf = utcDay(now);
  const firstMonth = monthKey(asOf);
  const months = Array.from({ length: CAPACITY_MONTHS }, (_, i) => addMonths(firstMonth, i));
  // a class whose usage stopped earlier still has its last 90 days measured, within a year
  const lookFrom = addDays(asOf, -365);
  const [classes, history, forecasts, reserving] = await Promise.all([
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    // the read model when current; the daily rows (all teams' series, with their granularity) while a repricing is pending
    rollupIsCurrent(ctx.orgId).then(async (current) => (current ? { rows: await dailyByClass(ctx.orgId, lookFrom, asOf), byGranularity: false } : { rows: await dailyByGranularity(ctx.orgId, lookFrom, asOf), byGranularity: true })),
    forecastByMonth(ctx.orgId, asOf, asOf),
    prisma.contract.findMany({
      where: { organizationId: ctx.orgId, status: { in: [...OPEN_STATUSES] }, product: { reservedTokensPerMinute: { not: null } } },
      select: { id: true, reference: true, status: true, product: { select: { modelClassId: true, windowStart: true, windowEnd: true, reservedTokensPerMinute: true } } },
      orderBy: { reference: "asc" },
    }),
  ]);
  const daily: (Omit<DailyRow, "granularity"> & { granularity?: UsageGranularity })[] = history.rows;
  // each class's history window and whether all of its usage there is hourly
  const windows = new Map<string, { from: Date; to: Date; hourly: boolean }>();
  for (const c of classes) {
    const rows = daily.filter((r) => r.class_id === c.id && r.tokens > 0n);
    if (!rows.length) continue;
    const to = utcDay(rows.reduce((m, r) => (r.day > m ? r.day : m), rows[0].day));
    const first = utcDay(rows.reduce((m, r) => (r.day < m ? r.day : m), rows[0].day));
    const from = addDays(to, -(HISTORY_DAYS - 1)) > first ? addDays(to, -(HISTORY_DAYS - 1)) : first;
    windows.set(c.id, { from, to, hourly: history.byGranularity && rows.every((r) => r.day < from || r.day > to || r.granularity === "HOUR") });
  }
  // rows of the read model carry no granularity: a window is hourly when no other series has records in it
  if (!history.byGranularity) {
    const mixed = await nonHourlyClasses(ctx.orgId, windows);
    for (const [id, w] of windows) w.hourly = !mixed.has(id);
  }
  const hourlyIds = [...windows].filter(([, w]) => w.hourly).map(([id]) => id);
  const earliest = hourlyIds.length ? new Date(Math.min(...hourlyIds.map((id) => windows.get(id)!.from.getTime()))) : asOf;
  const hourly = await hourlyByClass(ctx.orgId, hourlyIds, earliest, asOf);

  const out = classes.map((c) => {
    const w = windows.get(c.id);
    const granularity: UsageGranularity | null = w ? (w.hourly ? "HOUR" : "DAY") : null;
    const points: UsagePoint[] =
      granularity === "HOUR"
        ? hourly.filter((h) => h.class_id === c.id).map((h) => ({ start: h.start, tokens: h.tokens }))
        : daily.filter((r) => r.class_id === c.id).map((r) => ({ start: utcDay(r.day), tokens: r.tokens }));
    const reservations = reserving
      .filter((r) => r.product.modelClassId === c.id)
      .map((r) => ({ contractId: r.id, reference: r.reference, windowStart: r.product.windowStart, windowEnd: r.product.windowEnd, reservedTokensPerMinute: r.product.reservedTokensPerMinute! }));
    const f = forecasts.get(c.id);
    const r = capacityCoverage({ classId: c.id, name: c.name, granularity, points, historyFrom: w?.from ?? asOf, historyTo: w?.to ?? asOf, forecast: f?.months ?? new Map(), reservations }, months);
    return {
      classId: c.id,
      name: c.name,
      granularity,
      granularityNote:
        granularity === "HOUR"
          ? "P90 of each day's busiest hour ÷ 60 (hourly usage)"
          : granularity === "DAY"
            ? "P90 of daily totals ÷ 1440: some of this class's usage is daily, so the busiest hour is not known and a peak within the day is understated"
            : "no usage of this class yet: nothing to measure",
      history: w && r.basis ? { from: iso(w.from), to: iso(w.to), days: r.basis.days, p90PeriodTokens: r.basis.p90PeriodTokens.toString(), peakTokensPerMinute: r.basis.peakTokensPerMinute.toString() } : null,
      forecastAsOf: f?.asOf ?? null,
      months: r.months.map((m) => ({
        month: m.month,
        growth: m.growth ? m.growth.toFixed(4) : null,
        forecastPeakTokensPerMinute: m.forecastPeakTokensPerMinute?.toString() ?? null,
        reservedTokensPerMinute: m.reservedTokensPerMinute.toString(),
        shortfallTokensPerMinute: m.shortfallTokensPerMinute.toString(),
        status: m.status,
        contracts: m.contracts.map((x) => ({ id: x.contractId, reference: x.reference, reservedTokensPerMinute: x.reservedTokensPerMinute.toString(), wholeMonth: x.wholeMonth })),
      })),
    };
  });
  return { asOf: iso(asOf), months, historyDays: HISTORY_DAYS, classes: out };
}

/** Alerts: classes whose reserved throughput falls below the forecast peak in a month some contract reserves in. */
export function capacityShortfalls(v: CapacityView) {
  return v.classes
    .map((c) => ({ c, short: c.months.filter((m) => m.status === "SHORT") }))
    .filter((x) => x.short.length)
    .map(({ c, short }) => ({
      classId: c.classId,
      name: c.name,
      months: short.map((m) => m.month),
      detail: `${short.map((m, i) => `${m.month}: ${fmtTokens(m.reservedTokensPerMinute)} reserved vs ${fmtTokens(m.forecastPeakTokensPerMinute ?? "0")}${i === 0 ? " forecast peak tokens/min" : ""}`).join("; ")}. Peak: P90 of the ${c.granularity === "HOUR" ? "busiest hour" : "busiest day ÷ 1440"}, ${c.history?.from} to ${c.history?.to}, grown by the demand forecast.`,
    }));
}

const DELIVERED_STATUSES = ["BOOKED", "DELIVERING", "SETTLED"] as const;

/**
 * Delivered vs committed for one contract: per month of its window before asOf, its reserved volume, the class's
 * usage it carried (drawn down over the class's reservations in booking order), unused volume and utilisation,
 * with the class's requests and busiest hour in the month where usage carries them (see header).
 */
export async function contractDelivery(ctx: Pick<Ctx, "orgId">, contractId: string, now = new Date()) {
  await requireOwned(ctx, "contract", contractId);
  const asOf = utcDay(now);
  const c = await prisma.contract.findFirstOrThrow({ where: { id: contractId, organizationId: ctx.orgId }, select: { id: true, reference: true, status: true, product: { select: { modelClassId: true, windowStart: true, windowEnd: true, reservedTokensPerMinute: true } } } });
  const p = c.product;
  const base = { contractId: c.id, reference: c.reference, asOf: iso(asOf), reservedTokensPerMinute: p.reservedTokensPerMinute?.toString() ?? null, sharedWith: [] as string[] };
  const unavailable = ["p95 latency delivered: no usage format carries latency, so the latency commitment cannot be checked from usage"];
  if (p.reservedTokensPerMinute === null) return { ...base, months: [], granularity: null, unavailable, note: "This contract reserves no throughput: there is no committed volume to compare with." };
  if (!(DELIVERED_STATUSES as readonly string[]).includes(c.status)) return { ...base, months: [], granularity: null, unavailable, note: `Nothing is delivered under a ${c.status.toLowerCase().replace("_", " ")} contract.` };
  if (p.windowStart >= asOf) return { ...base, months: [], granularity: null, unavailable, note: `Delivery starts ${iso(p.windowStart)}.` };
  const peers = await prisma.contract.findMany({
    where: { organizationId: ctx.orgId, status: { in: [...DELIVERED_STATUSES] }, product: { modelClassId: p.modelClassId, reservedTokensPerMinute: { not: null }, windowStart: { lte: p.windowEnd }, windowEnd: { gte: p.windowStart } } },
    select: { id: true, reference: true, bookedAt: true, product: { select: { windowStart: true, windowEnd: true, reservedTokensPerMinute: true } } },
  });
  const last = p.windowEnd < asOf ? p.windowEnd : addDays(asOf, -1);
  const before = addDays(last, 1);
  const [days, monthly, hourly] = await Promise.all([
    prisma.$queryRaw<{ day: Date; tokens: bigint; hourly_rows: bigint; rows: bigint }[]>`
      SELECT d.day::timestamp AS day, sum(d."inputTokens" + d."outputTokens")::bigint AS tokens,
             sum(CASE WHEN s.granularity = 'HOUR' THEN d.rows ELSE 0 END)::bigint AS hourly_rows, count(*)::bigint AS rows
        FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
       WHERE s."organizationId" = ${ctx.orgId} AND m."modelClassId" = ${p.modelClassId} AND d.day >= ${p.windowStart}::date AND d.day < ${before}::date
       GROUP BY 1`,
    prisma.$queryRaw<{ month: string; requests: bigint; daily_series_days: bigint }[]>`
      SELECT to_char(d.day, 'YYYY-MM') AS month, sum(d.requests)::bigint AS requests, sum(CASE WHEN s.granularity = 'DAY' THEN 1 ELSE 0 END)::bigint AS daily_series_days
        FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
       WHERE s."organizationId" = ${ctx.orgId} AND m."modelClassId" = ${p.modelClassId} AND d.day >= ${p.windowStart}::date AND d.day < ${before}::date
       GROUP BY 1`,
    prisma.$queryRaw<{ month: string; peak: bigint }[]>`
      SELECT to_char(h.start, 'YYYY-MM') AS month, max(h.tokens)::bigint AS peak FROM (
        SELECT r."periodStart" AS start, sum(r."inputTokens" + r."outputTokens") AS tokens
          FROM "UsageRecord" r JOIN "UsageSeries" s ON s.id = r."seriesId" JOIN "Model" m ON m.id = s."modelId"
         WHERE s."organizationId" = ${ctx.orgId} AND s.granularity = 'HOUR' AND m."modelClassId" = ${p.modelClassId}
           AND r."periodStart" >= ${p.windowStart} AND r."periodStart" < ${before}
         GROUP BY 1) h GROUP BY 1`,
  ]);
  const usage = new Map(days.map((d) => [iso(d.day), d.tokens]));
  const result = deliveredVsReserved(
    peers.map((x) => ({ contractId: x.id, reference: x.reference, bookedAt: x.bookedAt, windowStart: x.product.windowStart, windowEnd: x.product.windowEnd, reservedTokensPerMinute: x.product.reservedTokensPerMinute! })),
    usage,
    before,
  );
  const byMonth = new Map(monthly.map((m) => [m.month, m]));
  const peakBy = new Map(hourly.map((h) => [h.month, h.peak]));
  const classTokens = new Map<string, bigint>();
  for (const d of days) classTokens.set(monthKey(d.day), (classTokens.get(monthKey(d.day)) ?? 0n) + d.tokens);
  const allHourly = monthly.every((m) => m.daily_series_days === 0n);
  const anyRequests = monthly.some((m) => m.requests > 0n);
  if (!anyRequests) unavailable.push("requests: the usage files of this class carry no request counts");
  if (!allHourly) unavailable.push("busiest hour: some usage of this class is daily, so the peak rate within a day is not known");
  return {
    ...base,
    granularity: monthly.length ? (allHourly ? ("HOUR" as const) : ("DAY" as const)) : null,
    sharedWith: peers.filter((x) => x.id !== c.id).map((x) => x.reference).sort(),
    months: (result.get(c.id) ?? []).map((m) => {
      const info = byMonth.get(m.month);
      const peak = allHourly ? peakBy.get(m.month) : undefined;
      return {
        month: m.month,
        days: m.days,
        reservedTokens: m.reservedTokens.toString(),
        deliveredTokens: m.deliveredTokens.toString(),
        unusedTokens: m.unusedTokens.toString(),
        utilisationPct: m.utilisationPct ? m.utilisationPct.toFixed(2) : null,
        classUsageTokens: (classTokens.get(m.month) ?? 0n).toString(),
        classRequests: anyRequests && info ? info.requests.toString() : null,
        peakHourTokensPerMinute: peak !== undefined ? new Decimal(peak.toString()).div(60).ceil().toFixed(0) : null,
      };
    }),
    unavailable,
    note: null as string | null,
  };
}
