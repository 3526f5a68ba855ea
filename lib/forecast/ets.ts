/**
 * Exponential smoothing state-space models (ETS; Hyndman, Koehler, Ord & Snyder 2008), written here because
 * @bsull/augurs 0.10 fits only non-seasonal, undamped ETS ("AAdN" and any seasonal spec are rejected) and its
 * AutoETS search takes 10–25 ms per fit — too slow to cross-validate 1,000 series in seconds.
 *
 * Trend none / additive / damped additive × seasonality none / additive / multiplicative; additive errors
 * for N and A seasonality, multiplicative errors for M (adding multiplicative-error variants of the other
 * forms made npm run bench:forecast-accuracy worse). With ε = y − ŷ and q = level + φ·trend:
 *   ŷ = q (+ s | × s)
 *   level  ← q + α ε            (M season: q + α ε / s)
 *   trend  ← φ b + β ε          (M season: φ b + β ε / s)
 *   season ← s + γ ε            (M season: s + γ ε / q)
 * Smoothing parameters and φ are estimated by maximum likelihood (Nelder–Mead), and so are the initial level
 * and slope of series under ESTIMATE_START_BELOW points (longer ones start from a line through the first
 * adjusted values); initial seasonal states come from a classical decomposition of the first cycles. The form
 * is chosen by AICc.
 */
import { nelderMead } from "./optim";
import { seasonalIndices } from "./seasonality";

export type Trend = "N" | "A" | "Ad";
export type Season = "N" | "A" | "M";
export type EtsSpec = { trend: Trend; season: Season };
export type EtsFit = {
  spec: EtsSpec; m: number; alpha: number; beta: number; gamma: number; phi: number;
  /** final states after the last observation; season[k] is the index for the k-th step ahead's position (k mod m) */
  level: number; slope: number; season: number[];
  /** residual standard deviation: absolute (additive errors) or relative (multiplicative) */
  sigma: number; aicc: number; n: number;
};

const PHI_MIN = 0.8, PHI_MAX = 0.98, P_MIN = 1e-4;
/** Series shorter than this also get their initial level and slope estimated (longer ones: heuristic start). */
export const ESTIMATE_START_BELOW = 100;

/** Initial level, slope and seasonal indices (R's forecast:::initstate, simplified). */
function initialStates(y: number[], m: number, spec: EtsSpec) {
  let s0: number[] = [];
  let adj = y;
  if (spec.season !== "N") {
    const cycles = Math.min(y.length, Math.max(2, Math.min(4, Math.floor(y.length / m))) * m);
    s0 = seasonalIndices(y.slice(0, cycles), m, spec.season === "M" ? "multiplicative" : "additive");
    adj = y.map((v, t) => (spec.season === "M" ? v / s0[t % m] : v - s0[t % m]));
  }
  const k = Math.min(adj.length, Math.max(10, 2 * m));
  // least-squares line through the first k adjusted values: level at t = 0 and slope
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = 0; t < k; t++) { sx += t; sy += adj[t]; sxx += t * t; sxy += t * adj[t]; }
  const slope = spec.trend === "N" || k < 3 ? 0 : (k * sxy - sx * sy) / (k * sxx - sx * sx);
  const level = spec.trend === "N" ? sy / k : (sy - slope * sx) / k;
  return { level, slope, s0 };
}

/**
 * Runs the recursions from the given parameters and initial states; returns the likelihood term minimised in
 * fitting (n·log SSE, plus 2·Σ log ŷ for multiplicative errors), the SSE of the (relative) one-step errors and
 * the final states — or null when a multiplicative model leaves positive values.
 */
export function filter(y: ArrayLike<number>, m: number, spec: EtsSpec, alpha: number, beta: number, gamma: number, phi: number, l0: number, b0: number, s0: ArrayLike<number>, scratch?: Float64Array) {
  const n = y.length;
  const seasonal = spec.season !== "N";
  const trend = spec.trend !== "N";
  // the optimiser passes a reusable buffer for the seasonal states (no allocation per evaluation)
  const s = scratch ?? new Float64Array(seasonal ? m : 1);
  if (seasonal) s.set(s0 as ArrayLike<number>);
  else s[0] = 0;
  const mm = seasonal ? m : 1;
  let l = l0, b = trend ? b0 : 0;
  let sse = 0, sumLog = 0;
  if (spec.season === "M") {
    // Σ log ŷ through a running product, renormalised every 8 steps (one log per 8 observations)
    let prod = 1;
    for (let t = 0, j = 0; t < n; t++) {
      const q = l + phi * b;
      const st = s[j];
      const yhat = q * st;
      if (!(yhat > 0) || !(st > 0)) return null;
      const e = y[t] - yhat;
      const rel = e / yhat;
      sse += rel * rel;
      prod *= yhat;
      if ((t & 7) === 7) { sumLog += Math.log(prod); prod = 1; }
      l = q + (alpha * e) / st;
      b = trend ? phi * b + (beta * e) / st : 0;
      s[j] = st + (gamma * e) / q;
      if (++j === mm) j = 0;
    }
    sumLog += Math.log(prod);
  } else {
    for (let t = 0, j = 0; t < n; t++) {
      const q = l + phi * b;
      const st = s[j];
      const e = y[t] - (q + st);
      sse += e * e;
      l = q + alpha * e;
      b = trend ? phi * b + beta * e : 0;
      if (seasonal) s[j] = st + gamma * e;
      if (++j === mm) j = 0;
    }
  }
  if (!Number.isFinite(sse) || !Number.isFinite(sumLog)) return null;
  const lik = n * Math.log(Math.max(sse, 1e-300)) + 2 * sumLog;
  return {
    lik, sse, l, b,
    /** final seasonal states rotated so index k is the position of the k-th step ahead */
    get season() { return seasonal ? Array.from({ length: m }, (_, k) => s[(n + k) % m]) : []; },
  };
}

/** Number of estimated quantities, as used in the information criterion. */
function paramCount(spec: EtsSpec, m: number) {
  return 1 + 1 + (spec.trend !== "N" ? 2 : 0) + (spec.trend === "Ad" ? 1 : 0) + (spec.season !== "N" ? 1 + (m - 1) : 0) + 1;
}

/** Fits one ETS form. Returns null when the form does not apply (too few points, non-positive data for M). */
export function fitEts(y: number[], m: number, spec: EtsSpec, opts: { maxEvals?: number; start?: EtsFit } = {}): EtsFit | null {
  const n = y.length;
  const seasonal = spec.season !== "N";
  if (seasonal && (m < 2 || n < 2 * m)) return null;
  if (spec.season === "M" && y.some((v) => !(v > 0))) return null;
  const k = paramCount(spec, seasonal ? m : 1);
  if (n - k - 1 <= 0) return null;
  const init = initialStates(y, seasonal ? m : 1, spec);
  const scale = Math.max(1e-9, Math.abs(init.level), ...y.slice(0, 10).map(Math.abs));
  const hasTrend = spec.trend !== "N", damped = spec.trend === "Ad";
  // on long series the start hardly matters and estimating it doubles the work: keep the heuristic start
  const fitInit = n < ESTIMATE_START_BELOW;
  // x = [alpha, beta?, gamma?, phi?, level0, slope0?], level and slope scaled to order 1 for the simplex
  const unpack = (x: number[]) => {
    let i = 0;
    const alpha = x[i++];
    const beta = hasTrend ? x[i++] : 0;
    const gamma = seasonal ? x[i++] : 0;
    const phi = damped ? x[i++] : 1;
    const l0 = fitInit ? x[i++] * scale : init.level;
    const b0 = !hasTrend ? 0 : fitInit ? x[i++] * scale : init.slope;
    return { alpha, beta, gamma, phi, l0, b0 };
  };
  // a warm start (the same form fitted on more data) begins at its smoothing parameters with a smaller simplex
  const w = opts.start;
  const x0 = [w ? w.alpha : 0.2];
  const step = [w ? 0.03 : 0.1];
  if (hasTrend) { x0.push(w ? w.beta : Math.min(0.02, x0[0] / 2)); step.push(w ? 0.01 : 0.02); }
  if (seasonal) { x0.push(w ? w.gamma : 0.05); step.push(w ? 0.02 : 0.05); }
  if (damped) { x0.push(w ? w.phi : 0.95); step.push(0.02); }
  if (fitInit) {
    x0.push(init.level / scale); step.push(0.05);
    if (hasTrend) { x0.push(init.slope / scale); step.push(0.01 + Math.abs(init.slope / scale) * 0.2); }
  }
  const yy = Float64Array.from(y);
  const scratch = new Float64Array(seasonal ? m : 1);
  const objective = (x: number[]) => {
    const p = unpack(x);
    // the usual admissible ("usual") region: 0 < α < 1, 0 < β < α, 0 < γ < 1 − α, φ in [0.8, 0.98]
    if (p.alpha < P_MIN || p.alpha > 1 - P_MIN) return Infinity;
    if (hasTrend && (p.beta < P_MIN || p.beta > p.alpha)) return Infinity;
    if (seasonal && (p.gamma < P_MIN || p.gamma > 1 - p.alpha)) return Infinity;
    if (damped && (p.phi < PHI_MIN || p.phi > PHI_MAX)) return Infinity;
    const r = filter(yy, m, spec, p.alpha, p.beta, p.gamma, p.phi, p.l0, p.b0, init.s0, scratch);
    return r ? r.lik : Infinity;
  };
  // stop when the simplex agrees to 1e-4 of the likelihood term (about a tenth of an AICc unit on a year of
  // daily data; the benchmark's accuracy was the same as at 1e-6, at two thirds of the time)
  const best = nelderMead(objective, x0, { step, maxEvals: opts.maxEvals ?? 60 * x0.length, tol: 1e-4 });
  if (!Number.isFinite(best.fx)) return null;
  const p = unpack(best.x);
  const r = filter(y, m, spec, p.alpha, p.beta, p.gamma, p.phi, p.l0, p.b0, init.s0)!;
  const aic = r.lik + 2 * k;
  return {
    spec, m: seasonal ? m : 1, alpha: p.alpha, beta: p.beta, gamma: p.gamma, phi: p.phi,
    level: r.l, slope: r.b, season: r.season, sigma: Math.sqrt(r.sse / Math.max(1, n - k)), aicc: aic + (2 * k * (k + 1)) / (n - k - 1), n,
  };
}

/**
 * Point forecasts and a normal-approximation band of ±z·sd: the h-step variance is σ²(1 + Σ_{j<h} c_j²) with
 * c_j = α + β·(φ + … + φ^j) (+ γ when j is a whole number of cycles) — exact for the additive models, the
 * usual approximation (relative σ times the point forecast) for multiplicative seasonality.
 */
export function forecastEts(fit: EtsFit, h: number, z: number): { point: number[]; lower: number[]; upper: number[] } {
  const { alpha, beta, gamma, phi, m, spec } = fit;
  const point: number[] = [], lower: number[] = [], upper: number[] = [];
  let phiSum = 0, varSum = 1, phiPow = 1;
  for (let k = 1; k <= h; k++) {
    phiPow *= phi;
    phiSum += phiPow;
    const q = fit.level + phiSum * fit.slope;
    const s = spec.season === "N" ? 0 : fit.season[(k - 1) % m];
    const yhat = spec.season === "M" ? q * s : q + s;
    const sd = (spec.season === "M" ? Math.abs(yhat) : 1) * fit.sigma * Math.sqrt(varSum);
    point.push(yhat);
    lower.push(yhat - z * sd);
    upper.push(yhat + z * sd);
    // c_k for the next step's variance
    const c = alpha + (spec.trend === "N" ? 0 : beta * phiSum) + (spec.season !== "N" && k % m === 0 ? gamma : 0);
    varSum += c * c;
  }
  return { point, lower, upper };
}

const FORMS: EtsSpec[] = (["N", "A", "Ad"] as Trend[]).flatMap((trend) => (["N", "A", "M"] as Season[]).map((season) => ({ trend, season })));

/**
 * Fits the applicable forms (seasonal ones only when m > 1) and keeps the lowest AICc. When both additive and
 * multiplicative seasonality are allowed, the seasonal type is chosen on the damped-trend fits first.
 */
export function autoEts(y: number[], m: number, opts: { forms?: EtsSpec[] } = {}): EtsFit | null {
  let best: EtsFit | null = null;
  const forms = opts.forms ?? FORMS;
  if (m > 1 && forms.some((f) => f.season === "M") && forms.some((f) => f.season === "A")) {
    // both seasonal types allowed: pick the type on the damped-trend fits, then try the other trends with it
    // (4 fits instead of 6, same benchmark accuracy)
    for (const season of ["A", "M"] as Season[]) best = better(best, fitEts(y, m, { trend: "Ad", season }));
    const season = best?.spec.season ?? "A";
    for (const spec of forms) if ((spec.season === season && spec.trend !== "Ad") || spec.season === "N") best = better(best, fitEts(y, m, spec));
    return best;
  }
  for (const spec of forms) if (spec.season === "N" || m >= 2) best = better(best, fitEts(y, m, spec));
  return best;
}

const better = (a: EtsFit | null, b: EtsFit | null) => (b && (!a || b.aicc < a.aicc) ? b : a);
