/**
 * Monthly demand distributions from a daily forecast — pure.
 *
 * Summing daily P10s is not the P10 of a month: daily errors are neither independent (which would make the
 * monthly band far too narrow) nor perfectly correlated (summed quantiles, far too wide when errors cancel).
 * Here each day's error is normal with sd_i = (P90_i − P10_i) / (2·z₀.₉), errors are AR(1)-correlated day to
 * day with coefficient ρ, so a month's variance is Σ_i Σ_j ρ^|i−j| sd_i sd_j; its median is Σ P50_i. The
 * monthly P10/P90 are then those of a lognormal with that median and that variance (demand cannot be
 * negative and its uncertainty is right-skewed), falling back to the symmetric normal band when the
 * lognormal cannot match (sd ≈ 0).
 *
 * ρ is estimated from the series' own history (errorAutocorrelation): the lag-1 autocorrelation of its
 * seasonal-naive (7-day) forecast errors, i.e. how persistent a surprise is from one day to the next.
 */
const Z90 = 1.2815515655446004;

export type DailyQuantiles = { date: Date; p10: number; p50: number; p90: number };
export type MonthlyDemand = { month: string; days: number; p10: number; p50: number; p90: number; sd: number };

/**
 * How persistent a forecast miss is from one day to the next, as the AR(1) coefficient ρ that reproduces the
 * variance of month-long error sums. From origins every 28 days in the history, a simple seasonal forecast
 * (each weekday at its mean over the previous four weeks) is compared with the next 28 days; the variance
 * ratio VR = E[(Σ e)²] / (28 · E[e²]) is about 1.6 for pure day-to-day noise (the baseline's own noise is
 * shared by the window) and grows when misses persist — a level shift or a trend the forecast does not follow
 * keeps the errors on one side for weeks. For an AR(1), VR ≈ (1 + ρ) / (1 − ρ), so ρ = (VR − 1) / (VR + 1),
 * clipped to [0, 0.98]. 0.5 when the history is too short to tell (< 84 days).
 * bench:monthly-calibration checks the resulting monthly P10–P90 hit rate on held-out months.
 */
export function errorAutocorrelation(history: readonly number[], season = 7, window = 28): number {
  const base = 4 * season;
  if (history.length < base + 2 * window) return 0.5;
  let sumSq = 0;
  let dailySq = 0;
  for (let origin = history.length - window; origin >= base; origin -= window) {
    let total = 0;
    for (let k = 0; k < window; k++) {
      let forecast = 0;
      for (let w = 1; w <= 4; w++) forecast += history[origin - w * season + (k % season)];
      const e = history[origin + k] - forecast / 4;
      total += e;
      dailySq += e * e;
    }
    sumSq += total * total;
  }
  if (dailySq === 0) return 0;
  // E[(Σe)²] / (window · E[e²]) over the same windows reduces to Σ(Σe)² / Σe²
  const vr = sumSq / dailySq;
  return Math.min(0.98, Math.max(0, (vr - 1) / (vr + 1)));
}

/** Variance of a sum of AR(1)-correlated errors with the given standard deviations. O(n) recurrence. */
export function ar1SumVariance(sd: readonly number[], rho: number): number {
  // Σ_i Σ_j ρ^|i−j| s_i s_j = Σ s_i² + 2 Σ_i s_i · c_i, with c_i = Σ_{j<i} ρ^{i−j} s_j = ρ (c_{i−1} + s_{i−1})
  let v = 0;
  let c = 0;
  for (let i = 0; i < sd.length; i++) {
    if (i > 0) c = rho * (c + sd[i - 1]);
    v += sd[i] * sd[i] + 2 * sd[i] * c;
  }
  return v;
}

/** Quantiles of a lognormal with the given median and variance (solved for σ: Var = m²·e^{σ²}(e^{σ²} − 1)). */
function lognormalBand(median: number, variance: number): { p10: number; p90: number } {
  if (median <= 0 || variance <= 0) return { p10: median, p90: median };
  // x = e^{σ²}: x² − x − Var/m² = 0
  const x = (1 + Math.sqrt(1 + (4 * variance) / (median * median))) / 2;
  const sigma = Math.sqrt(Math.log(x));
  return { p10: median * Math.exp(-Z90 * sigma), p90: median * Math.exp(Z90 * sigma) };
}

/** Per calendar month (UTC) of the daily forecast: days covered, median, P10/P90 of the month's total. */
export function monthlyDemand(daily: readonly DailyQuantiles[], rho: number): MonthlyDemand[] {
  const byMonth = new Map<string, DailyQuantiles[]>();
  for (const d of daily) {
    const m = d.date.toISOString().slice(0, 7);
    byMonth.set(m, [...(byMonth.get(m) ?? []), d]);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, days]) => {
      days.sort((a, b) => a.date.getTime() - b.date.getTime());
      const p50 = days.reduce((s, d) => s + d.p50, 0);
      const sd = Math.sqrt(ar1SumVariance(days.map((d) => Math.max(0, d.p90 - d.p10) / (2 * Z90)), rho));
      const band = lognormalBand(p50, sd * sd);
      return { month, days: days.length, p50, p10: Math.max(0, band.p10), p90: band.p90, sd };
    });
}

/** Days in a UTC month (YYYY-MM). */
export const daysInMonth = (month: string) => {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/**
 * A class's daily demand quantiles (input + output tokens) from stored forecast points: the two metrics'
 * quantiles add, as their errors move together (the same requests produce both).
 */
export function dailyClassQuantiles(points: readonly { date: Date; p10: bigint; p50: bigint; p90: bigint }[]): DailyQuantiles[] {
  const byDay = new Map<number, DailyQuantiles>();
  for (const p of points) {
    const d = byDay.get(p.date.getTime()) ?? { date: p.date, p10: 0, p50: 0, p90: 0 };
    d.p10 += Number(p.p10);
    d.p50 += Number(p.p50);
    d.p90 += Number(p.p90);
    byDay.set(p.date.getTime(), d);
  }
  return [...byDay.values()];
}
