/**
 * Pure forecasting helpers: frequency inference, regular grids with gaps filled, launch trimming,
 * a seasonal-naive baseline, accuracy metrics (MASE, sMAPE, interval coverage) and band ordering.
 * Model fitting itself (augurs WebAssembly) lives in lib/forecast/engine.ts.
 */
export type Freq = "hourly" | "daily" | "weekly" | "monthly" | "quarterly";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Median spacing of sorted timestamps → frequency. Throws when the spacing fits none. */
export function inferFrequency(ts: Date[]): Freq {
  if (ts.length < 2) throw new Error("need at least two timestamps to infer a frequency");
  const diffs = ts.slice(1).map((t, i) => t.getTime() - ts[i].getTime()).sort((a, b) => a - b);
  const med = diffs[Math.floor(diffs.length / 2)];
  if (med <= 0) throw new Error("timestamps must be strictly increasing");
  if (Math.abs(med - HOUR) <= 5 * 60_000) return "hourly";
  if (Math.abs(med - DAY) <= 2 * HOUR) return "daily";
  if (Math.abs(med - 7 * DAY) <= DAY) return "weekly";
  if (med >= 28 * DAY && med <= 31 * DAY) return "monthly";
  if (med >= 89 * DAY && med <= 92 * DAY) return "quarterly";
  throw new Error(`cannot infer frequency from a median spacing of ${(med / HOUR).toFixed(1)} hours`);
}

export function defaultPeriods(freq: Freq): number[] {
  return { hourly: [24, 168], daily: [7], weekly: [52], monthly: [12], quarterly: [4] }[freq];
}

export function step(t: Date, freq: Freq, n = 1): Date {
  const d = new Date(t.getTime());
  switch (freq) {
    case "hourly":
      return new Date(d.getTime() + n * HOUR);
    case "daily":
      return new Date(d.getTime() + n * DAY);
    case "weekly":
      return new Date(d.getTime() + n * 7 * DAY);
    case "monthly":
      d.setUTCMonth(d.getUTCMonth() + n);
      return d;
    case "quarterly":
      d.setUTCMonth(d.getUTCMonth() + 3 * n);
      return d;
  }
}

/**
 * Puts observations on a regular grid from the first to the last timestamp. Missing steps are filled with
 * zero ("zero": for usage, no record means no usage) or by linear interpolation ("interpolate": for generic
 * series, where a gap is missing data). Duplicate timestamps are summed.
 */
export function regularize(points: { t: Date; v: number }[], freq: Freq, fill: "zero" | "interpolate", endAt?: Date): { t: Date[]; y: number[] } {
  if (!points.length) return { t: [], y: [] };
  const sorted = [...points].sort((a, b) => a.t.getTime() - b.t.getTime());
  const byTime = new Map<number, number>();
  for (const p of sorted) byTime.set(p.t.getTime(), (byTime.get(p.t.getTime()) ?? 0) + p.v);
  const t: Date[] = [];
  const y: (number | null)[] = [];
  // zero-fill may run past the last record (a series that stopped is zero, not missing)
  const end = fill === "zero" && endAt ? Math.max(endAt.getTime(), sorted[sorted.length - 1].t.getTime()) : sorted[sorted.length - 1].t.getTime();
  for (let cur = sorted[0].t; cur.getTime() <= end; cur = step(cur, freq)) {
    t.push(cur);
    y.push(byTime.get(cur.getTime()) ?? (fill === "zero" ? 0 : null));
  }
  if (fill === "interpolate") {
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== null) continue;
      let j = i;
      while (y[j] === null) j++;
      const a = y[i - 1]!, b = y[j]!;
      for (let k = i; k < j; k++) y[k] = a + ((b - a) * (k - i + 1)) / (j - i + 1);
      i = j;
    }
  }
  return { t, y: y as number[] };
}

/** Drops the zeros before a series' first non-zero value: a team does not "use zero" before it launched. */
export function trimLeadingZeros(t: Date[], y: number[]): { t: Date[]; y: number[]; launchedAt: Date | null } {
  const i = y.findIndex((v) => v !== 0);
  if (i < 0) return { t: [], y: [], launchedAt: null };
  return { t: t.slice(i), y: y.slice(i), launchedAt: t[i] };
}

export type Band = { p10: number[]; p50: number[]; p90: number[] };

/** z for the 80% central interval (P10–P90). */
export const Z80 = 1.2815515655446004;

/** Seasonal naive: repeat the last season; band widens with the number of seasons ahead. */
export function seasonalNaive(y: number[], period: number, h: number): Band {
  const m = Math.max(1, Math.min(period, y.length));
  const res: number[] = [];
  for (let i = m; i < y.length; i++) res.push(y[i] - y[i - m]);
  const sd = res.length > 1 ? Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length) : Math.abs(mean(y)) * 0.2;
  const p50: number[] = [], p10: number[] = [], p90: number[] = [];
  for (let i = 0; i < h; i++) {
    const v = y[y.length - m + (i % m)];
    const w = Z80 * sd * Math.sqrt(Math.floor(i / m) + 1);
    p50.push(v);
    p10.push(v - w);
    p90.push(v + w);
  }
  return { p10, p50, p90 };
}

/** Mean of the last k values with a band from their spread: the documented fallback for very short series. */
export function recentMean(y: number[], h: number, k = 7): Band {
  const tail = y.slice(-Math.min(k, y.length));
  const mu = mean(tail);
  const sd = tail.length > 1 ? Math.sqrt(tail.reduce((s, v) => s + (v - mu) ** 2, 0) / (tail.length - 1)) : Math.abs(mu) * 0.25;
  const w = Z80 * sd * Math.sqrt(1 + 1 / tail.length);
  return { p50: Array(h).fill(mu), p10: Array(h).fill(mu - w), p90: Array(h).fill(mu + w) };
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);

/** Mean absolute scaled error: forecast MAE over the in-sample MAE of the seasonal-naive (lag m) forecast. */
export function mase(actual: number[], forecast: number[], insample: number[], m: number): number {
  const lag = insample.length > m ? m : 1;
  let scale = 0;
  for (let i = lag; i < insample.length; i++) scale += Math.abs(insample[i] - insample[i - lag]);
  scale /= Math.max(1, insample.length - lag);
  const mae = mean(actual.map((a, i) => Math.abs(a - forecast[i])));
  if (scale === 0) return mae === 0 ? 0 : Infinity;
  return mae / scale;
}

/** Symmetric MAPE in percent (0–200); a step where both are zero counts as no error. */
export function smape(actual: number[], forecast: number[]): number {
  return mean(actual.map((a, i) => {
    const d = Math.abs(a) + Math.abs(forecast[i]);
    return d === 0 ? 0 : (200 * Math.abs(a - forecast[i])) / d;
  }));
}

/** Share of actuals inside [lower, upper]. */
export function coverage(actual: number[], lower: number[], upper: number[]): number {
  return mean(actual.map((a, i) => (a >= lower[i] && a <= upper[i] ? 1 : 0)));
}

/** Sorts each step so p10 ≤ p50 ≤ p90 and, for non-negative quantities, clamps at zero. */
export function orderBand(b: Band, nonNegative: boolean): Band {
  const out: Band = { p10: [], p50: [], p90: [] };
  for (let i = 0; i < b.p50.length; i++) {
    const v = [b.p10[i], b.p50[i], b.p90[i]].map((x) => (Number.isFinite(x) ? x : b.p50[i])).map((x) => (nonNegative ? Math.max(0, x) : x)).sort((a, c) => a - c);
    out.p10.push(v[0]);
    out.p50.push(v[1]);
    out.p90.push(v[2]);
  }
  return out;
}

export const geometricMean = (xs: number[]) => {
  const f = xs.filter((x) => Number.isFinite(x) && x > 0);
  return f.length ? Math.exp(mean(f.map(Math.log))) : NaN;
};
