/**
 * Seasonality helpers the augurs package does not have: the autocorrelation test used by the Theta method
 * (Assimakopoulos & Nikolopoulos 2000; forecast::thetaf) and classical decomposition (moving-average trend,
 * seasonal indices averaged per position), additive or multiplicative.
 */

/** Sample autocorrelations r_1 … r_maxLag (denominator: the total sum of squares, as R's acf). */
export function acf(y: number[], maxLag: number): number[] {
  const n = y.length;
  const mu = y.reduce((s, v) => s + v, 0) / n;
  let den = 0;
  for (const v of y) den += (v - mu) ** 2;
  const r: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let num = 0;
    for (let t = k; t < n; t++) num += (y[t] - mu) * (y[t - k] - mu);
    r.push(den > 0 ? num / den : 0);
  }
  return r;
}

/**
 * Is there seasonality at period m? |r_m| exceeds 1.645 standard errors (90%, one-sided as in thetaf), the
 * standard error being Bartlett's sqrt((1 + 2 Σ_{k<m} r_k²) / n). Needs at least 3 full periods.
 */
export function isSeasonal(y: number[], m: number): boolean {
  if (m < 2 || y.length < 3 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k] ** 2;
  return Math.abs(r[m - 1]) > 1.645 * Math.sqrt((1 + 2 * s) / y.length);
}

/**
 * Seasonal indices of period m from a centred moving average (2×m for even m): for each position in the
 * cycle, the mean of y/trend (multiplicative) or y−trend (additive), normalised to mean 1 or 0. Index i is
 * for observations t with t % m === i.
 */
export function seasonalIndices(y: number[], m: number, type: "additive" | "multiplicative"): number[] {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = Array(m).fill(0), counts = Array(m).fill(0);
  for (let t = half; t < n - half; t++) {
    let trend: number;
    if (m % 2 === 0) {
      let s = (y[t - half] + y[t + half]) / 2;
      for (let j = t - half + 1; j < t + half; j++) s += y[j];
      trend = s / m;
    } else {
      let s = 0;
      for (let j = t - half; j <= t + half; j++) s += y[j];
      trend = s / m;
    }
    sums[t % m] += type === "multiplicative" ? y[t] / trend : y[t] - trend;
    counts[t % m]++;
  }
  const idx = sums.map((s, i) => (counts[i] ? s / counts[i] : type === "multiplicative" ? 1 : 0));
  const avg = idx.reduce((s, v) => s + v, 0) / m;
  return idx.map((v) => (type === "multiplicative" ? v / avg : v - avg));
}
