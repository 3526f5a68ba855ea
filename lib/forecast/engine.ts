/**
 * Forecast engine: candidate methods scored by rolling-origin cross-validation and combined with weights
 * from their cross-validated error; prediction bands recalibrated on the same cross-validation. MSTL with
 * AutoETS on the remainder comes from @bsull/augurs (WebAssembly, loaded once per process or worker thread);
 * seasonal ETS, Theta and drift are written here (./ets.ts, ./theta.ts: augurs lacks them).
 * Server-only: never imported by client components or request handlers (jobs, CLI and benchmarks call it).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { initSync as initMstl, MSTL } from "@bsull/augurs/mstl";
import { coverage, mase, orderBand, recentMean, seasonalNaive, smape, Z80, type Band } from "@/lib/domain/forecast";
import { autoEts, fitEts, forecastEts, type EtsFit, type EtsSpec } from "./ets";
import { isSeasonal, seasonalIndices } from "./seasonality";
import { drift, theta, type PointBand } from "./theta";

let ready = false;
function init() {
  if (ready) return;
  const dir = path.dirname(createRequire(import.meta.url).resolve("@bsull/augurs/mstl"));
  initMstl({ module: readFileSync(path.join(dir, "mstl_bg.wasm")) });
  ready = true;
}

export type Method = "ets" | "theta" | "drift" | "naive" | "seasonal-naive" | "mstl-ets" | "recent-mean";
export const METHOD_LABEL: Record<string, string> = {
  ets: "ETS (exponential smoothing, form chosen by AICc)",
  theta: "Theta (SES with drift, seasonally adjusted)",
  drift: "Drift (random walk with drift, seasonally adjusted)",
  naive: "Naive (last value)",
  "seasonal-naive": "Seasonal naive",
  "mstl-ets": "MSTL decomposition + AutoETS trend",
  "recent-mean": "Recent mean (short-series fallback)",
  // stored by earlier engine versions
  "auto-ets": "AutoETS (no seasonality)",
};

/** Below this many observations no model is fitted: the recent mean (or seasonal naive) instead, and the result says so. */
export const MIN_FIT_POINTS = 8;
/** Rolling-origin cross-validation: up to this many forecast origins. */
export const CV_ORIGINS = 4;
/** Candidates whose cross-validated MASE is within this factor of the best are combined. */
const COMBINE_WITHIN = 1.5;
const MAX_MEMBERS = 3;
/** Fits use at most this many cycles of the longest seasonal period (older history is mostly drift, and slower). */
const DEFAULT_WINDOW_SEASONS = 26;

export const SELECTION_NOTE = `weighted combination (1/MASE²) of the candidates within ${COMBINE_WITHIN}× of the best rolling-origin cross-validated MASE (${CV_ORIGINS} origins) among ets, theta, drift, seasonal naive (and mstl-ets for long or multiple periods); P10–P90 band rescaled towards 80% cross-validated coverage (narrowed at most 10%)`;

/**
 * method: one candidate, or several joined by "+" (weighted combination, heaviest first). holdoutMase: each
 * candidate's mean MASE over the cross-validation origins (the name is kept for stored forecast metrics).
 */
export type ForecastResult = Band & { method: string; fallback: boolean; note: string | null; holdoutMase: Partial<Record<Method, number>>; weights?: Partial<Record<Method, number>> };

export function methodLabel(method: string): string {
  const parts = method.split("+");
  return parts.length > 1 ? `Weighted combination of ${parts.map((p) => METHOD_LABEL[p] ?? p).join(", ")}` : (METHOD_LABEL[parts[0]] ?? method);
}

/** What the candidates share for one series: its periods and seasonal treatment, fixed on the full window. */
type Setup = {
  /** the seasonal periods usable on this series (two full cycles), ascending */
  periods: number[];
  /** period for single-season methods (ETS, Theta, drift), 1 when none is detected */
  m: number;
  /** period for seasonal naive and the MASE scale */
  mNaive: number;
  adjust: "multiplicative" | "additive" | null;
  etsForms: EtsSpec[];
};

function setupFor(y: number[], periods: number[]): Setup {
  const usable = [...new Set(periods)].filter((p) => Number.isInteger(p) && p >= 2 && y.length >= 2 * p).sort((a, b) => a - b);
  const testable = usable.filter((p) => y.length >= 3 * p);
  const seasonalAt = testable.filter((p) => isSeasonal(y, p));
  // the longest detected cycle contains the shorter ones (a week of hours contains the days)
  const m = seasonalAt.length ? seasonalAt[seasonalAt.length - 1] : 1;
  const mNaive = usable.length ? usable[usable.length - 1] : 1;
  const positive = y.every((v) => v > 0);
  const adjust = m > 1 ? (positive ? "multiplicative" : "additive") : null;
  const seasons: EtsSpec["season"][] = m > 1 ? (positive ? ["A", "M"] : ["A"]) : ["N"];
  const etsForms = (["N", "A", "Ad"] as const).flatMap((trend) => seasons.map((season) => ({ trend, season })));
  return { periods: usable, m, mNaive, adjust, etsForms };
}

/** A fitted candidate: its band for h steps, plus (for ETS) the form, reused at the cross-validation origins. */
type Fitted = { band: Band; ets?: EtsFit };

const toBand = (f: PointBand): Band => ({ p10: f.lower, p50: f.point, p90: f.upper });

/** Seasonally adjusts y at period m, forecasts the adjusted series with `inner`, and puts the seasonality back. */
function adjusted(y: number[], h: number, s: Setup, inner: (x: number[]) => PointBand | null): Band | null {
  if (!s.adjust) {
    const f = inner(y);
    return f && toBand(f);
  }
  const mult = s.adjust === "multiplicative";
  const idx = seasonalIndices(y, s.m, s.adjust);
  const f = inner(y.map((v, t) => (mult ? v / idx[t % s.m] : v - idx[t % s.m])));
  if (!f) return null;
  const back = (xs: number[]) => xs.map((v, k) => (mult ? v * idx[(y.length + k) % s.m] : v + idx[(y.length + k) % s.m]));
  return { p10: back(f.lower), p50: back(f.point), p90: back(f.upper) };
}

function fitCandidate(method: Method, y: number[], h: number, s: Setup, etsForm?: EtsFit): Fitted | null {
  switch (method) {
    case "ets": {
      // at cross-validation origins: the form chosen on the full window, warm-started from its parameters
      const fit = etsForm ? fitEts(y, s.m, etsForm.spec, { start: etsForm, maxEvals: 25 * (2 + etsForm.spec.trend.length + (etsForm.spec.season === "N" ? 0 : 1)) }) : autoEts(y, s.m, { forms: s.etsForms });
      if (!fit) return null;
      return { band: toBand(forecastEts(fit, h, Z80)), ets: fit };
    }
    case "theta": {
      const band = adjusted(y, h, s, (x) => theta(x, h, Z80));
      return band && { band };
    }
    case "drift": {
      const band = adjusted(y, h, s, (x) => drift(x, h, Z80));
      return band && { band };
    }
    case "naive":
      return { band: seasonalNaive(y, 1, h) };
    case "seasonal-naive":
      return y.length >= s.mNaive ? { band: seasonalNaive(y, s.mNaive, h) } : null;
    case "mstl-ets": {
      const periods = s.periods.filter((p) => y.length >= 2 * p);
      if (!periods.length) return null;
      init();
      const model = MSTL.ets(periods);
      try {
        model.fit(y);
        const f = model.predict(h, 0.8);
        if (!f.intervals) return null;
        return { band: { p50: f.point, p10: f.intervals.lower, p90: f.intervals.upper } };
      } finally {
        model.free();
      }
    }
    case "recent-mean":
      return { band: recentMean(y, h) };
  }
}

function safeFit(method: Method, y: number[], h: number, s: Setup, etsForm?: EtsFit): Fitted | null {
  try {
    const f = fitCandidate(method, y, h, s, etsForm);
    return f && f.band.p50.length === h && f.band.p50.every(Number.isFinite) && f.band.p10.every(Number.isFinite) && f.band.p90.every(Number.isFinite) ? f : null;
  } catch {
    return null;
  }
}

function defaultCandidates(s: Setup): Method[] {
  const c: Method[] = ["ets", "theta", "drift", s.mNaive > 1 ? "seasonal-naive" : "naive"];
  // MSTL handles several periods and long ones (ETS would carry hundreds of seasonal states)
  if (s.periods.length > 1 || (s.periods.length === 1 && s.periods[0] > 24)) c.push("mstl-ets");
  return c;
}

function combine(bands: Band[], weights: number[]): Band {
  const mix = (k: keyof Band) => bands[0][k].map((_, i) => bands.reduce((acc, b, j) => acc + weights[j] * b[k][i], 0));
  return { p10: mix("p10"), p50: mix("p50"), p90: mix("p90") };
}

/**
 * Limits of the band rescaling. Narrowing is capped at 10%: daily misses are correlated, and the monthly
 * demand bands built from daily ones (lib/domain/demand.ts) held 56% of month totals instead of 78–80% when
 * cross-validation was allowed to halve the daily band (npm run bench:monthly-calibration).
 */
const MIN_BAND_SCALE = 0.9, MAX_BAND_SCALE = 4;

/**
 * How much wider (or narrower) the band must be for P10–P90 to hold 80% of cross-validated actuals: the 80th
 * percentile of |error| / half-band on the error's side, shrunk towards 1 when there are few errors.
 */
function bandScale(ratios: number[]): number {
  if (!ratios.length) return 1;
  const sorted = ratios.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return 1;
  const q = sorted[Math.min(sorted.length - 1, Math.floor(0.8 * sorted.length))];
  const w = sorted.length / (sorted.length + 30);
  return Math.min(MAX_BAND_SCALE, Math.max(MIN_BAND_SCALE, Math.exp(w * Math.log(Math.max(q, 1e-6)))));
}

/**
 * Forecasts h steps with P10/P50/P90.
 * 1. Periods without two full cycles are dropped; the longest period passing the autocorrelation test is the
 *    seasonal period for ETS, Theta and drift (Theta and drift on classically seasonally adjusted data).
 * 2. Candidates — ETS (form by AICc), Theta, drift, seasonal naive (naive without seasonality) and, for
 *    several or long periods, MSTL-ETS — are each forecast from up to CV_ORIGINS rolling origins (the last
 *    min(h, n/5) points before the end, then earlier origins half that apart) and scored by mean MASE.
 * 3. The candidates within COMBINE_WITHIN of the best (at most MAX_MEMBERS) are combined with weights
 *    ∝ 1/MASE², so one lucky origin cannot hand the forecast to a poor method.
 * 4. The combined band is rescaled so that it would have held 80% of the cross-validated actuals (widened up to
 *    4×, narrowed at most 10%).
 * Fewer than MIN_FIT_POINTS observations (or the caller's larger `minFitPoints`): seasonal naive (two full
 * seasons) or the recent mean, with a note.
 */
export function forecastSeries(history: number[], h: number, periods: number[], opts: { nonNegative?: boolean; candidates?: Method[]; windowSeasons?: number; minFitPoints?: number } = {}): ForecastResult {
  let y = history;
  const nonNegative = opts.nonNegative ?? y.every((v) => v >= 0);
  const m0 = Math.max(1, ...periods.filter((p) => y.length >= 2 * p));
  const minFit = Math.max(MIN_FIT_POINTS, opts.minFitPoints ?? MIN_FIT_POINTS);
  if (y.length < minFit) {
    const method: Method = m0 > 1 ? "seasonal-naive" : "recent-mean";
    const band = method === "seasonal-naive" ? seasonalNaive(y, m0, h) : recentMean(y, h);
    return { ...orderBand(band, nonNegative), method, fallback: true, note: `Only ${y.length} observations (under ${minFit}): ${METHOD_LABEL[method].toLowerCase()} used instead of a fitted model.`, holdoutMase: {} };
  }
  const seasons = opts.windowSeasons ?? DEFAULT_WINDOW_SEASONS;
  if (seasons > 0 && m0 > 1 && y.length > seasons * m0) y = y.slice(y.length - seasons * m0);
  const s = setupFor(y, periods);
  const candidates = opts.candidates ?? defaultCandidates(s);
  if (candidates.length === 1) {
    // one named candidate (a benchmark baseline): a single fit, no cross-validation
    const f = safeFit(candidates[0], y, h, s);
    if (f) return { ...orderBand(f.band, nonNegative), method: candidates[0], fallback: false, note: null, holdoutMase: {} };
  }

  const final = new Map<Method, Fitted>();
  for (const c of candidates) {
    const f = safeFit(c, y, h, s);
    if (f) final.set(c, f);
  }

  // rolling origins: the last one hc before the end, earlier ones hc/2 apart, each keeping enough history
  const n = y.length;
  const hc = Math.max(1, Math.min(h, Math.floor(n / 5)));
  const gap = Math.max(1, Math.ceil(hc / 2));
  const minTrain = Math.max(MIN_FIT_POINTS, 2 * s.m);
  const origins: number[] = [];
  for (let k = 0; k < CV_ORIGINS; k++) if (n - hc - k * gap >= minTrain) origins.push(n - hc - k * gap);

  const cv = new Map<Method, { band: Band; origin: number }[]>();
  for (const [c, f] of final) {
    const runs: { band: Band; origin: number }[] = [];
    for (const o of origins) {
      const r = safeFit(c, y.slice(0, o), hc, s, f.ets);
      if (!r) break;
      runs.push({ band: r.band, origin: o });
    }
    if (runs.length === origins.length && runs.length > 0) cv.set(c, runs);
  }
  const scores: Partial<Record<Method, number>> = {};
  for (const [c, runs] of cv) {
    const per = runs.map(({ band, origin }) => mase(y.slice(origin, origin + hc), band.p50, y.slice(0, origin), s.mNaive));
    scores[c] = per.reduce((a, v) => a + v, 0) / per.length;
  }
  const ranked = (Object.entries(scores) as [Method, number][]).filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[1] - b[1]);

  if (!ranked.length) {
    // no usable cross-validation (too short, or a history so flat that MASE is undefined): the AICc-chosen
    // ETS if it fitted, else seasonal naive
    const only = final.get("ets") ?? final.get("theta");
    if (only) return { ...orderBand(only.band, nonNegative), method: final.has("ets") ? "ets" : "theta", fallback: false, note: "Not cross-validated (history too short or flat): single model.", holdoutMase: {} };
    return { ...orderBand(seasonalNaive(y, s.mNaive, h), nonNegative), method: "seasonal-naive", fallback: true, note: "No model could be fitted; seasonal naive used.", holdoutMase: {} };
  }
  const best = ranked[0][1];
  const members = ranked.filter(([, v]) => v <= best * COMBINE_WITHIN || best === 0).slice(0, MAX_MEMBERS);
  const raw = members.map(([, v]) => 1 / Math.max(v, 1e-9) ** 2);
  const total = raw.reduce((a, v) => a + v, 0);
  const weights = raw.map((w) => w / total);

  // band calibration on the cross-validated combination
  const ratios: number[] = [];
  for (let i = 0; i < origins.length; i++) {
    const band = combine(members.map(([c]) => cv.get(c)![i].band), weights);
    const actual = y.slice(origins[i], origins[i] + hc);
    actual.forEach((a, k) => {
      const half = a >= band.p50[k] ? band.p90[k] - band.p50[k] : band.p50[k] - band.p10[k];
      if (half > 0) ratios.push(Math.abs(a - band.p50[k]) / half);
    });
  }
  const scale = bandScale(ratios);
  const combined = combine(members.map(([c]) => final.get(c)!.band), weights);
  const band: Band = {
    p50: combined.p50,
    p10: combined.p50.map((v, i) => v - scale * (v - combined.p10[i])),
    p90: combined.p50.map((v, i) => v + scale * (combined.p90[i] - v)),
  };
  return {
    ...orderBand(band, nonNegative),
    method: members.map(([c]) => c).join("+"),
    fallback: false,
    note: null,
    holdoutMase: scores,
    weights: Object.fromEntries(members.map(([c], i) => [c, weights[i]])),
  };
}

export type Backtest = { origins: number; horizon: number; mase: number; smape: number; baselineMase: number; baselineSmape: number; coverage: number };

/**
 * Rolling-origin backtest: at each of `origins` cut-offs (the last one `horizon` before the end, earlier ones
 * a horizon apart) forecast `horizon` ahead with the same procedure, and score against the actuals and against
 * seasonal naive. Coverage is how often actuals fell inside P10–P90 (ideal: 80%). `opts` as for forecastSeries,
 * so the backtest scores the same procedure as the forecast.
 */
export function backtest(y: number[], horizon: number, periods: number[], origins = 3, opts: Parameters<typeof forecastSeries>[3] = {}): Backtest | null {
  const m = periods[0] ?? 1;
  const rows: { mase: number; smape: number; bmase: number; bsmape: number; cov: number }[] = [];
  for (let k = origins; k >= 1; k--) {
    const cut = y.length - k * horizon;
    if (cut < Math.max(MIN_FIT_POINTS, 2 * m)) continue;
    const train = y.slice(0, cut);
    const actual = y.slice(cut, cut + horizon);
    const f = forecastSeries(train, actual.length, periods, opts);
    const b = seasonalNaive(train, m, actual.length);
    rows.push({ mase: mase(actual, f.p50, train, m), smape: smape(actual, f.p50), bmase: mase(actual, b.p50, train, m), bsmape: smape(actual, b.p50), cov: coverage(actual, f.p10, f.p90) });
  }
  if (!rows.length) return null;
  const avg = (k: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  return { origins: rows.length, horizon, mase: avg("mase"), smape: avg("smape"), baselineMase: avg("bmase"), baselineSmape: avg("bsmape"), coverage: avg("cov") };
}
