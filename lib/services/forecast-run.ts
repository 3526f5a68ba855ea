import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { defaultPeriods, regularize, step, trimLeadingZeros } from "@/lib/domain/forecast";
import { DAY_MS, utcDay } from "@/lib/domain/time";
import { backtest, forecastSeries, methodLabel, SELECTION_NOTE, type Backtest, type ForecastResult } from "@/lib/forecast/engine";
import { applyOverrides, forecastLock } from "./forecasts";

/** Rows per INSERT when the job writes its forecasts and their points. */
const WRITE_CHUNK = 5_000;
const POINT_CHUNK = 50_000;

/**
 * The compute side of forecasting: fits models (WebAssembly) and stores forecast versions. Only the job
 * worker, the demo seed and tests import this module — never the web app's pages or route handlers.
 */
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Horizon in days: through the end of next calendar quarter or of this year, whichever is later. */
export function horizonDays(lastDay: Date): number {
  const y = lastDay.getUTCFullYear();
  const q = Math.floor(lastDay.getUTCMonth() / 3);
  const endNextQuarter = Date.UTC(y, (q + 2) * 3, 1) - DAY_MS;
  const endYear = Date.UTC(y + 1, 0, 1) - DAY_MS;
  return Math.round((Math.max(endNextQuarter, endYear) - lastDay.getTime()) / DAY_MS);
}

type SeriesKey = { teamId: string | null; modelClassId: string | null };
type Metric = "INPUT" | "OUTPUT";
type MetricResult = { fc: ForecastResult; bt: Backtest | null; history: number; launchedAt: string | null; churned: boolean; periods: number[] };

/** A series silent for its last 28 days has churned: it is forecast at zero and labelled, not modelled. */
function forecastMetric(points: { t: Date; v: number }[], lastDay: Date, h: number): MetricResult {
  const grid = regularize(points, "daily", "zero", lastDay);
  const { y, launchedAt } = trimLeadingZeros(grid.t, grid.y);
  const zeros = Array(h).fill(0);
  if (!y.length || y.slice(-28).every((v) => v === 0)) {
    return { fc: { p10: zeros, p50: zeros, p90: zeros, method: "recent-mean", fallback: true, note: y.length ? "No usage in the last 28 days: treated as churned and forecast at zero." : "No usage.", holdoutMase: {} }, bt: null, history: y.length, launchedAt: launchedAt ? iso(launchedAt) : null, churned: true, periods: [] };
  }
  // under four weeks of usage the app keeps its documented simple fallback (README: demand forecasts)
  const opts = { nonNegative: true, minFitPoints: 28 };
  // weekly, and yearly too once there are two years of daily usage (the engine's rule for daily data)
  const periods = defaultPeriods("daily", y.length);
  return { fc: forecastSeries(y, h, periods, opts), bt: backtest(y, h, periods, 3, opts), history: y.length, launchedAt: launchedAt ? iso(launchedAt) : null, churned: false, periods };
}

/**
 * Forecasts every team × model class series (input and output tokens separately) plus class and org
 * roll-ups, each from its own aggregated history, with a rolling-origin backtest. Stored per as-of day
 * (re-running a day replaces it), then planner overrides are applied as separate adjusted forecasts.
 */
export async function runForecasts(orgId: string, now = new Date()) {
  const asOf = utcDay(now);
  const rows = await prisma.$queryRaw<{ team_id: string; class_id: string; day: Date; input: bigint; output: bigint }[]>`
    SELECT s."teamId" AS team_id, m."modelClassId" AS class_id, d.day::timestamp AS day,
           sum(d."inputTokens")::bigint AS input, sum(d."outputTokens")::bigint AS output
    FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" JOIN "Model" m ON m.id = s."modelId"
    WHERE s."organizationId" = ${orgId} AND d.day < ${asOf}::date
    GROUP BY 1, 2, 3`;
  if (!rows.length) return { asOf: iso(asOf), series: 0, note: "no usage" };
  // a loop, not Math.max(...rows): an org of thousands of teams has millions of rows (the spread overflows the stack)
  let last = 0;
  for (const r of rows) last = Math.max(last, r.day.getTime());
  const lastDay = utcDay(new Date(last));
  const h = horizonDays(lastDay);
  const groups = new Map<string, { key: SeriesKey; input: Map<number, number>; output: Map<number, number> }>();
  const add = (key: SeriesKey, r: (typeof rows)[number]) => {
    const k = `${key.teamId}|${key.modelClassId}`;
    const g = groups.get(k) ?? { key, input: new Map(), output: new Map() };
    const t = r.day.getTime();
    g.input.set(t, (g.input.get(t) ?? 0) + Number(r.input));
    g.output.set(t, (g.output.get(t) ?? 0) + Number(r.output));
    groups.set(k, g);
  };
  for (const r of rows) {
    add({ teamId: r.team_id, modelClassId: r.class_id }, r);
    add({ teamId: null, modelClassId: r.class_id }, r);
    add({ teamId: r.team_id, modelClassId: null }, r);
    add({ teamId: null, modelClassId: null }, r);
  }
  const dates = Array.from({ length: h }, (_, i) => step(lastDay, "daily", i + 1));
  // Fit everything first (seconds), then replace the day's forecasts in one short transaction, so readers
  // never see an org without a forecast while the job runs.
  // ids are drawn here so the points can be written in bulk beside their forecasts (thousands of series at scale)
  const fitted: Prisma.ForecastCreateManyInput[] = [];
  const points: { forecastId: string; date: Date; metric: Metric; p10: bigint; p50: bigint; p90: bigint }[] = [];
  for (const g of groups.values()) {
    const toPoints = (m: Map<number, number>) => [...m.entries()].map(([t, v]) => ({ t: new Date(t), v }));
    const res: Record<Metric, MetricResult> = { INPUT: forecastMetric(toPoints(g.input), lastDay, h), OUTPUT: forecastMetric(toPoints(g.output), lastDay, h) };
    const pointRows = (["INPUT", "OUTPUT"] as Metric[]).flatMap((metric) =>
      dates.map((date, i) => ({ date, metric, p10: BigInt(Math.round(res[metric].fc.p10[i])), p50: BigInt(Math.round(res[metric].fc.p50[i])), p90: BigInt(Math.round(res[metric].fc.p90[i])) })),
    );
    const id = randomUUID();
    for (const p of pointRows) points.push({ forecastId: id, ...p });
    fitted.push({
        id,
        organizationId: orgId,
        teamId: g.key.teamId,
        modelClassId: g.key.modelClassId,
        asOf,
        horizonDays: h,
        method: res.INPUT.fc.method === res.OUTPUT.fc.method ? res.INPUT.fc.method : `${res.INPUT.fc.method} / ${res.OUTPUT.fc.method}`,
        params: { periods: [...new Set([...res.INPUT.periods, ...res.OUTPUT.periods])].sort((a, b) => a - b), horizonDays: h, lastObservedDay: iso(lastDay), selection: SELECTION_NOTE, backtestOrigins: 3 },
        metrics: Object.fromEntries((["INPUT", "OUTPUT"] as Metric[]).map((m) => [m, { method: res[m].fc.method, methodLabel: methodLabel(res[m].fc.method), fallback: res[m].fc.fallback, note: res[m].fc.note, churned: res[m].churned, historyDays: res[m].history, launchedAt: res[m].launchedAt, holdoutMase: res[m].fc.holdoutMase, backtest: res[m].bt }])),
    });
  }
  const adjusted = await prisma.$transaction(async (tx) => {
    await forecastLock(tx, orgId);
    await tx.forecast.deleteMany({ where: { organizationId: orgId, asOf } });
    for (let i = 0; i < fitted.length; i += WRITE_CHUNK) await tx.forecast.createMany({ data: fitted.slice(i, i + WRITE_CHUNK) });
    // the points (2.3M at 10M usage rows) go in as columns through unnest, one statement per chunk: Prisma's
    // createMany binds every value separately and ran past the transaction's limit at that size
    for (let i = 0; i < points.length; i += POINT_CHUNK) {
      const c = points.slice(i, i + POINT_CHUNK);
      await tx.$executeRaw`INSERT INTO "ForecastPoint" ("forecastId", date, metric, p10, p50, p90)
        SELECT * FROM unnest(${c.map((p) => p.forecastId)}::text[], ${c.map((p) => iso(p.date))}::date[], ${c.map((p) => p.metric)}::text[],
                             ${c.map((p) => p.p10.toString())}::bigint[], ${c.map((p) => p.p50.toString())}::bigint[], ${c.map((p) => p.p90.toString())}::bigint[])`;
    }
    return applyOverrides(orgId, asOf, tx);
  }, { timeout: 300_000, maxWait: 60_000 });
  return { asOf: iso(asOf), lastObservedDay: iso(lastDay), horizonDays: h, series: fitted.length, adjusted };
}

