/**
 * Non-seasonal benchmark methods augurs does not provide.
 *
 * Theta (Assimakopoulos & Nikolopoulos 2000) in the form shown by Hyndman & Billah (2003) to be simple
 * exponential smoothing with drift, as in forecast::thetaf: with α and the final level ℓ from SES and b the
 * least-squares slope of y on time,
 *   ŷ(n+k) = ℓ + (b/2)·((k − 1) + (1 − (1 − α)^n)/α)
 * and the SES band σ·sqrt(1 + α²(k − 1)).
 *
 * Drift (random walk with drift): ŷ(n+k) = y_n + k·(y_n − y_1)/(n − 1), band σ·sqrt(k(1 + k/(n − 1))) with σ
 * the standard deviation of the first differences around their mean.
 */
import { fitEts } from "./ets";

export type PointBand = { point: number[]; lower: number[]; upper: number[] };

/** Least-squares slope of y against 0, 1, …, n−1. */
export function slope(y: number[]): number {
  const n = y.length;
  if (n < 2) return 0;
  const tBar = (n - 1) / 2;
  const yBar = y.reduce((s, v) => s + v, 0) / n;
  let num = 0, den = 0;
  for (let t = 0; t < n; t++) { num += (t - tBar) * (y[t] - yBar); den += (t - tBar) ** 2; }
  return num / den;
}

export function theta(y: number[], h: number, z: number): PointBand | null {
  const ses = fitEts(y, 1, { trend: "N", season: "N" });
  if (!ses) return null;
  const { alpha, level, sigma } = ses;
  const n = y.length;
  const b = slope(y);
  const carry = (1 - (1 - alpha) ** n) / alpha;
  const point: number[] = [], lower: number[] = [], upper: number[] = [];
  for (let k = 1; k <= h; k++) {
    const f = level + (b / 2) * (k - 1 + carry);
    const w = z * sigma * Math.sqrt(1 + alpha * alpha * (k - 1));
    point.push(f);
    lower.push(f - w);
    upper.push(f + w);
  }
  return { point, lower, upper };
}

export function drift(y: number[], h: number, z: number): PointBand | null {
  const n = y.length;
  if (n < 3) return null;
  const d = (y[n - 1] - y[0]) / (n - 1);
  let ss = 0;
  for (let t = 1; t < n; t++) ss += (y[t] - y[t - 1] - d) ** 2;
  const sigma = Math.sqrt(ss / (n - 2));
  const point: number[] = [], lower: number[] = [], upper: number[] = [];
  for (let k = 1; k <= h; k++) {
    const f = y[n - 1] + k * d;
    const w = z * sigma * Math.sqrt(k * (1 + k / (n - 1)));
    point.push(f);
    lower.push(f - w);
    upper.push(f + w);
  }
  return { point, lower, upper };
}
