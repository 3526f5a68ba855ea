/**
 * Forecast engine: candidate models fitted with @bsull/augurs (WebAssembly, loaded once per process or
 * worker thread), chosen per series by a holdout backtest, with a documented fallback for short series.
 * Server-only: never imported by client components or request handlers (jobs, CLI and benchmarks call it).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { initSync as initMstl, MSTL } from "@bsull/augurs/mstl";
import { initSync as initEts, AutoETS } from "@bsull/augurs/ets";
import { coverage, mase, orderBand, recentMean, seasonalNaive, smape, Z80, type Band } from "@/lib/domain/forecast";

let ready = false;
function init() {
  if (ready) return;
  const dir = path.dirname(createRequire(import.meta.url).resolve("@bsull/augurs/mstl"));
  initMstl({ module: readFileSync(path.join(dir, "mstl_bg.wasm")) });
  initEts({ module: readFileSync(path.join(dir, "ets_bg.wasm")) });
  ready = true;
}

export type Method = "mstl-ets" | "auto-ets" | "seasonal-naive" | "recent-mean";
export const METHOD_LABEL: Record<Method, string> = {
  "mstl-ets": "MSTL decomposition + AutoETS trend",
  "auto-ets": "AutoETS (no seasonality)",
  "seasonal-naive": "Seasonal naive",
  "recent-mean": "Recent mean (short-series fallback)",
};

/** Below this many observations (or two seasons) the models are not fitted: recent mean or seasonal naive instead. */
export const MIN_FIT_POINTS = 28;
/** Candidates are ranked on at most this many seasons before the holdout (bench: same accuracy as 13, 4.5 s vs 5.3 s). */
const SCORING_SEASONS = 8;

function fit(method: Method, y: number[], h: number, periods: number[]): Band {
  const m = periods[0] ?? 1;
  if (method === "seasonal-naive") return seasonalNaive(y, m, h);
  if (method === "recent-mean") return recentMean(y, h);
  init();
  const model = method === "mstl-ets" ? MSTL.ets(periods.filter((p) => p * 2 <= y.length)) : new AutoETS(1, "AZN");
  try {
    model.fit(y);
    const f = model.predict(h, 0.8);
    const p50 = f.point;
    if (f.intervals) return { p50, p10: f.intervals.lower, p90: f.intervals.upper };
    return { p50, p10: p50.map((v) => v * (1 - 0.2 / Z80)), p90: p50.map((v) => v * (1 + 0.2 / Z80)) };
  } finally {
    model.free();
  }
}

function safeFit(method: Method, y: number[], h: number, periods: number[]): Band | null {
  try {
    const b = fit(method, y, h, periods);
    return b.p50.every(Number.isFinite) ? b : null;
  } catch {
    return null;
  }
}

/** method: one candidate, or two joined by "+" when their forecasts are averaged */
export type ForecastResult = Band & { method: string; fallback: boolean; note: string | null; holdoutMase: Partial<Record<Method, number>> };

export function methodLabel(method: string): string {
  const parts = method.split("+") as Method[];
  return parts.length > 1 ? `Average of ${parts.map((p) => METHOD_LABEL[p]).join(" and ")}` : (METHOD_LABEL[parts[0]] ?? method);
}

/**
 * Forecasts h steps. Series of at least MIN_FIT_POINTS use the latest `windowSeasons` seasons (default 26):
 * MSTL-ETS, non-seasonal AutoETS and seasonal naive are each fitted on up to SCORING_SEASONS seasons before a
 * holdout of min(h, n/4) points and scored by MASE on it; the two best are refitted on the window and averaged
 * with equal weights (combining beat picking the single best on npm run bench:forecast-accuracy). Shorter
 * series use seasonal naive (two full seasons) or the recent mean, and say so.
 */
export function forecastSeries(history: number[], h: number, periods: number[], opts: { nonNegative?: boolean; candidates?: Method[]; windowSeasons?: number } = {}): ForecastResult {
  let y = history;
  const nonNegative = opts.nonNegative ?? y.every((v) => v >= 0);
  const m = periods[0] ?? 1;
  if (y.length < MIN_FIT_POINTS) {
    const method: Method = y.length >= 2 * m && m > 1 ? "seasonal-naive" : "recent-mean";
    return { ...orderBand(fit(method, y, h, periods), nonNegative), method, fallback: true, note: `Only ${y.length} observations (under ${MIN_FIT_POINTS}): ${METHOD_LABEL[method].toLowerCase()} used instead of a fitted model.`, holdoutMase: {} };
  }
  // Older history roughly doubles fitting cost for a year of daily data and, for fast-moving AI usage, carries
  // more drift than signal (no accuracy loss on the benchmark). windowSeasons: 0 uses all history.
  const seasons = opts.windowSeasons ?? 26;
  if (seasons > 0 && m > 1 && y.length > seasons * m) y = y.slice(y.length - seasons * m);
  const candidates = opts.candidates ?? ["mstl-ets", "auto-ets", "seasonal-naive"];
  const hold = Math.max(1, Math.min(h, Math.floor(y.length / 4)));
  // ranking needs recent shape, not the whole window, and a shorter scoring fit is cheaper
  const trainStart = m > 1 ? Math.max(0, y.length - hold - SCORING_SEASONS * m) : 0;
  const train = y.slice(trainStart, y.length - hold);
  const test = y.slice(y.length - hold);
  const scores: Partial<Record<Method, number>> = {};
  for (const c of candidates) {
    const b = safeFit(c, train, hold, periods);
    if (b) scores[c] = mase(test, b.p50, train, m);
  }
  const ranked = (Object.entries(scores) as [Method, number][]).sort((a, b) => a[1] - b[1]);
  // refit the best two that fit on the whole window (a candidate can fail on the longer series)
  const picked: { method: Method; band: Band }[] = [];
  for (const [method] of ranked) {
    const band = safeFit(method, y, h, periods);
    if (band) picked.push({ method, band });
    if (picked.length === 2) break;
  }
  if (picked.length === 2) {
    const [a, b] = picked.map((p) => p.band);
    const avg = (x: number[], z: number[]) => x.map((v, i) => (v + z[i]) / 2);
    return { ...orderBand({ p10: avg(a.p10, b.p10), p50: avg(a.p50, b.p50), p90: avg(a.p90, b.p90) }, nonNegative), method: `${picked[0].method}+${picked[1].method}`, fallback: false, note: null, holdoutMase: scores };
  }
  if (picked.length === 1) return { ...orderBand(picked[0].band, nonNegative), method: picked[0].method, fallback: false, note: null, holdoutMase: scores };
  return { ...orderBand(seasonalNaive(y, m, h), nonNegative), method: "seasonal-naive", fallback: true, note: "No model could be fitted; seasonal naive used.", holdoutMase: scores };
}

export type Backtest = { origins: number; horizon: number; mase: number; smape: number; baselineMase: number; baselineSmape: number; coverage: number };

/**
 * Rolling-origin backtest: at each of `origins` cut-offs (the last one `horizon` before the end, earlier ones
 * a horizon apart) forecast `horizon` ahead with the same procedure, and score against the actuals and against
 * seasonal naive. Coverage is how often actuals fell inside P10–P90 (ideal: 80%).
 */
export function backtest(y: number[], horizon: number, periods: number[], origins = 3): Backtest | null {
  const m = periods[0] ?? 1;
  const rows: { mase: number; smape: number; bmase: number; bsmape: number; cov: number }[] = [];
  for (let k = origins; k >= 1; k--) {
    const cut = y.length - k * horizon;
    if (cut < Math.max(MIN_FIT_POINTS, 2 * m)) continue;
    const train = y.slice(0, cut);
    const actual = y.slice(cut, cut + horizon);
    const f = forecastSeries(train, actual.length, periods);
    const b = seasonalNaive(train, m, actual.length);
    rows.push({ mase: mase(actual, f.p50, train, m), smape: smape(actual, f.p50), bmase: mase(actual, b.p50, train, m), bsmape: smape(actual, b.p50), cov: coverage(actual, f.p10, f.p90) });
  }
  if (!rows.length) return null;
  const avg = (k: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  return { origins: rows.length, horizon, mase: avg("mase"), smape: avg("smape"), baselineMase: avg("bmase"), baselineSmape: avg("bsmape"), coverage: avg("cov") };
}
