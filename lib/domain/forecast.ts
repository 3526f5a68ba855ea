/**
 * Pure forecasting helpers: frequency inference, regular grids with gaps filled, launch trimming,
 * a seasonal-naive baseline, accuracy metrics (MASE, sMAPE, interval coverage) and band ordering.
 * Model fitting itself (augurs WebAssembly) lives in lib/forecast/engine.ts.
 */
/**
 * A regular spacing: a fixed number of milliseconds (seconds to weeks) or of calendar months (months,
 * quarters, years, decades). `name` is the common name ("hourly", "monthly", …) or "every 10 minutes".
 */
export type Freq = { name: string; unit: "ms" | "month"; every: number; /** calendar steps land on month ends */ monthEnd?: true };
export type FreqName = "secondly" | "minutely" | "half-hourly" | "hourly" | "daily" | "weekly" | "monthly" | "quarterly" | "yearly";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export const FREQ: Record<FreqName, Freq> = {
  secondly: { name: "secondly", unit: "ms", every: SECOND },
  minutely: { name: "minutely", unit: "ms", every: MINUTE },
  "half-hourly": { name: "half-hourly", unit: "ms", every: 30 * MINUTE },
  hourly: { name: "hourly", unit: "ms", every: HOUR },
  daily: { name: "daily", unit: "ms", every: DAY },
  weekly: { name: "weekly", unit: "ms", every: WEEK },
  monthly: { name: "monthly", unit: "month", every: 1 },
  quarterly: { name: "quarterly", unit: "month", every: 3 },
  yearly: { name: "yearly", unit: "month", every: 12 },
};

const asFreq = (f: Freq | FreqName): Freq => (typeof f === "string" ? FREQ[f] : f);

function msFreq(every: number): Freq {
  const named = Object.values(FREQ).find((f) => f.unit === "ms" && f.every === every);
  if (named) return named;
  for (const [unit, ms] of [["weeks", WEEK], ["days", DAY], ["hours", HOUR], ["minutes", MINUTE], ["seconds", SECOND]] as const)
    if (every % ms === 0) return { name: `every ${every / ms} ${unit}`, unit: "ms", every };
  return { name: `every ${every} ms`, unit: "ms", every };
}

function monthFreq(every: number): Freq {
  return Object.values(FREQ).find((f) => f.unit === "month" && f.every === every) ?? { name: every % 12 === 0 ? `every ${every / 12} years` : `every ${every} months`, unit: "month", every };
}

const monthIndex = (t: Date) => t.getUTCFullYear() * 12 + t.getUTCMonth();
const isMonthEnd = (t: Date) => new Date(t.getTime() + DAY).getUTCDate() === 1;
const timeOfDay = (t: Date) => t.getTime() - Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
/** Above this share of missing steps a series is treated as irregular rather than gappy. */
const MAX_MISSING_SHARE = 0.5;

/**
 * Infers the regular spacing of sorted timestamps (duplicates allowed: they are summed later). Calendar
 * spacing is recognised when every timestamp falls on the same day of the month (or every one on a month
 * end) at the same time of day: the step is the smallest month gap, and every gap must be a multiple of it.
 * Otherwise the step is the smallest gap in milliseconds, and every gap must be a multiple of it. Missing
 * steps are allowed (filled later) but not more than half of the grid. Throws a message saying what is wrong.
 */
export function inferFrequency(ts: Date[]): Freq {
  const distinct = ts.filter((t, i) => i === 0 || t.getTime() !== ts[i - 1].getTime());
  if (distinct.length < 2) throw new Error("need at least two distinct timestamps to infer a frequency");
  for (let i = 1; i < ts.length; i++) if (ts[i].getTime() < ts[i - 1].getTime()) throw new Error("timestamps must be sorted");
  const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]);
  const regularOn = (diffs: number[], what: string, describe: (d: number) => string): number => {
    const stepSize = Math.min(...diffs);
    const bad = diffs.findIndex((d) => d % stepSize !== 0);
    if (bad >= 0) throw new Error(`irregular timestamps: the gap after ${distinct[bad].toISOString()} is ${describe(diffs[bad])}, not a multiple of the smallest gap (${describe(stepSize)})`);
    const steps = diffs.reduce((s, d) => s + d / stepSize, 0) + 1;
    if (1 - distinct.length / steps > MAX_MISSING_SHARE)
      throw new Error(`irregular timestamps: only ${distinct.length} of the ${steps} ${what} steps between the first and last timestamp have an observation`);
    return stepSize;
  };
  const sameDay = distinct.every((t) => t.getUTCDate() === distinct[0].getUTCDate()) || distinct.every(isMonthEnd);
  const sameTime = distinct.every((t) => timeOfDay(t) === timeOfDay(distinct[0]));
  const monthGaps = gaps(distinct.map(monthIndex));
  if (sameDay && sameTime && monthGaps.every((g) => g > 0)) {
    const f = monthFreq(regularOn(monthGaps, "calendar", (g) => `${g} month${g === 1 ? "" : "s"}`));
    // month ends on different days (Feb 28, Mar 31): later steps must land on month ends too
    return distinct.every(isMonthEnd) && !distinct.every((t) => t.getUTCDate() === distinct[0].getUTCDate()) ? { ...f, monthEnd: true } : f;
  }
  const msGaps = gaps(distinct.map((t) => t.getTime()));
  return msFreq(regularOn(msGaps, msFreq(Math.min(...msGaps)).name, formatSpan));
}

function formatSpan(ms: number): string {
  for (const [unit, size] of [["day", DAY], ["hour", HOUR], ["minute", MINUTE], ["second", SECOND]] as const)
    if (ms >= size) return `${+(ms / size).toFixed(3)} ${unit}${ms === size ? "" : "s"}`;
  return `${ms} ms`;
}

/**
 * Seasonal periods by frequency and data length: sub-daily steps of 30 minutes or more that divide a day have
 * a daily and a weekly cycle (half-hourly 48 and 336, hourly 24 and 168); shorter steps (minutes, seconds)
 * none. Daily 7, plus 365 once there are two years; weekly 52 once there are two years; monthly 12;
 * quarterly 4; other month steps dividing a year 12/k; yearly and longer none. The engine further drops any
 * period without two full cycles in the data.
 */
export function defaultPeriods(freq: Freq | FreqName, length = Infinity): number[] {
  const f = asFreq(freq);
  if (f.unit === "month") return f.every < 12 && 12 % f.every === 0 ? [12 / f.every] : [];
  if (f.every < 30 * MINUTE) return [];
  if (f.every < DAY) return DAY % f.every === 0 ? [DAY / f.every, WEEK / f.every] : [];
  if (f.every === DAY) return length >= 2 * 365 ? [7, 365] : [7];
  if (f.every === WEEK) return length >= 2 * 52 ? [52] : [];
  return [];
}

/**
 * The n-th step after t. Calendar steps add months with the day capped at the target month's length (Jan 31 →
 * Feb 28, and from Jan 31 two steps → Mar 31), or land on month ends for a month-end frequency (Apr 30 → May 31).
 */
export function step(t: Date, freq: Freq | FreqName, n = 1): Date {
  const f = asFreq(freq);
  if (f.unit === "ms") return new Date(t.getTime() + n * f.every);
  const y = t.getUTCFullYear(), m = t.getUTCMonth() + n * f.every;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = f.monthEnd ? lastDay : Math.min(t.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day) + timeOfDay(t));
}

/**
 * Puts observations on a regular grid from the first to the last timestamp. Missing steps are filled with
 * zero ("zero": for usage, no record means no usage) or by linear interpolation ("interpolate": for generic
 * series, where a gap is missing data). Duplicate timestamps are summed.
 */
export function regularize(points: { t: Date; v: number }[], freq: Freq | FreqName, fill: "zero" | "interpolate", endAt?: Date): { t: Date[]; y: number[] } {
  if (!points.length) return { t: [], y: [] };
  const sorted = [...points].sort((a, b) => a.t.getTime() - b.t.getTime());
  const byTime = new Map<number, number>();
  for (const p of sorted) byTime.set(p.t.getTime(), (byTime.get(p.t.getTime()) ?? 0) + p.v);
  const t: Date[] = [];
  const y: (number | null)[] = [];
  // zero-fill may run past the last record (a series that stopped is zero, not missing)
  const end = fill === "zero" && endAt ? Math.max(endAt.getTime(), sorted[sorted.length - 1].t.getTime()) : sorted[sorted.length - 1].t.getTime();
  // steps counted from the first timestamp, so calendar steps do not drift (Jan 31 → Feb 28 → Mar 28)
  for (let k = 0, cur = sorted[0].t; cur.getTime() <= end; cur = step(sorted[0].t, freq, ++k)) {
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
