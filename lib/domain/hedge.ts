/**
 * Hedge simulation and recommendation: pure, seeded, deterministic (no I/O).
 *
 * Per model class we simulate `paths` joint scenarios of monthly demand (tokens) and monthly average spot price
 * (USD per 1M tokens), then cost each candidate hedge quantity on the SAME paths (common random numbers), so
 * differences between quantities and strategies are not Monte-Carlo noise.
 *
 * Model (defaults in DEFAULT_SIM_PARAMS):
 * - Demand, month m: a two-piece lognormal with median P50 and separate sigmas below and above it,
 *     D = P50·exp(σ_lo·z) for z < 0,  D = P50·exp(σ_hi·z) for z ≥ 0,
 *     σ_lo = ln(P50/P10)/1.2816,  σ_hi = ln(P90/P50)/1.2816,
 *   so P10, P50 and P90 are all honoured exactly. Where a side has a zero quantile (P10 = 0, or P50 = 0) the
 *   lognormal is undefined; that side becomes linear in z (D = P50 + (P50−P10)/1.2816·z, floored at 0), which still
 *   honours the quantiles. P10 = P50 = P90 gives fixed demand. Demand is never negative.
 *   The standard-normal shocks z are AR(1) across delivery months: z_m = ρ·z_{m−1} + √(1−ρ²)·e_m,
 *   ρ = demandMonthCorrelation (default 0.6; ρ^gap when months are further apart).
 * - Spot, month m (the average spot over the month): S_m = F_m · exp(σ_m√t_m·x_m − σ_m²t_m/2) · J_m / E[J_m]
 *   · t_m = years from the as-of date to the middle of the delivery month (default (index + 0.5)/12: the first
 *     delivery month is the month after as-of, i.e. tenor 1, whose middle is half a month away);
 *   · σ_m = the month's annualised lognormal vol (MonthInput.vol, else ClassInput.annualVol);
 *   · x_m standard normal, x_m = ρ_dp·z_m + √(1−ρ_dp²)·u_m where u is a standardised Brownian motion
 *     (corr(u_i, u_j) = √(t_i/t_j)), so the price shocks of successive months are those of one price path and the
 *     same-month demand–price correlation is exactly ρ_dp = demandPriceCorrelation (default 0: no assumed link
 *     between our demand and market price; a negative value models "cheaper tokens, more usage");
 *   · J_m = step cuts: in each calendar month from as-of up to the delivery month (tenor N_m opportunities) a
 *     provider repricing cuts the price by stepCutPct (default 30%) with probability stepCutProbPerMonth
 *     (default 0.05); a cut persists for all later months. E[J_m] = (1 − p·c)^N_m, and dividing by it is the
 *     drift compensation that keeps the forward unbiased: E[S_m] = F_m (between cuts prices drift up slightly).
 * - Cost of hedging quantity Q at strike K (USD per 1M tokens; K = ask where the curve has one, else forward):
 *     FINANCIAL        D·S + Q·(K − S)           (computed as Q·K + (D − Q)·S: the same number, exact when Q = D)
 *     SERVICE_CREDITS  Q·K + max(D − Q, 0)·S     (unused credits are forfeited)
 *   Over-hedged means Q > D (strictly). P95 is the 95th percentile with linear interpolation between order
 *   statistics (type 7, as numpy/R default); cost at risk = P95 − expected.
 *
 * Numbers: the simulation runs in float64 typed arrays for speed; every statistic is converted to Decimal (6 dp,
 * half-even) at the boundary. Statistics are Monte-Carlo estimates; contract money (Q·K) is exact Decimal.
 * Token quantities returned are integers (multiples of the lot for recommendations).
 *
 * Recommendation, per class × month: among lot multiples inside the policy's coverage band (min..max % of that
 * month's P50; per-tenor bands override the single band) whose over-hedge probability is ≤ maxOverHedgeProb,
 * the one with the lowest P95 cost (ties → the smaller quantity). Over-hedge probability is non-decreasing in Q,
 * so the feasible set is a prefix of the band: Q ≤ the (limit·paths)-th smallest simulated demand. Up to
 * `exhaustiveUpTo` candidates (default 24; the CLI 20,000) are scanned exhaustively — the exact minimiser on the
 * paths; larger sets use a coarse-to-fine grid (17 points, then ±1 grid step around the best, repeated until an
 * exhaustive scan), which resolves to a single lot and agrees with the exhaustive scan whenever P95(Q) is unimodal
 * on the grid's scale (on common random numbers it is piecewise linear in Q, in practice unimodal; where it is
 * not, the grid's pick is a near-tie). If no lot multiple in the band meets the over-hedge limit, the band minimum
 * rounded UP to a lot is chosen with a warning; if rounding up would leave the band (the band holds no lot
 * multiple at all), the band minimum is rounded DOWN to a lot instead (possibly 0), also with a warning.
 * The "policy minimum" strategy is that same rounded band minimum; "unhedged" is Q = 0; "custom" is given.
 */
import Decimal from "decimal.js";
import { dec, type DecimalLike, MONEY_DP } from "./money";
import { rng } from "./rng";

// ---------------------------------------------------------------------------------------------------------------
// Types

export type Settlement = "FINANCIAL" | "SERVICE_CREDITS";

export type MonthInput = {
  /** delivery month, YYYY-MM */
  month: string;
  /** demand quantiles for the month, tokens */
  demandP10: number;
  demandP50: number;
  demandP90: number;
  /** forward price, USD per 1M tokens (> 0) */
  forward: DecimalLike;
  bid?: DecimalLike | null;
  /** ask: when given it is the strike (the price we would pay) */
  ask?: DecimalLike | null;
  /** annualised lognormal vol for this month; defaults to the class's annualVol */
  vol?: number | null;
  /** curve point flags (stale, thin, wide, drift, …), passed through as warnings */
  flags?: string[];
};

export type ClassInput = {
  classKey: string;
  /** delivery months in increasing order */
  months: MonthInput[];
  /** annualised lognormal vol of the spot (e.g. realisedVolatility of the spot history) */
  annualVol: number;
  /**
   * Months from the as-of date to the MIDDLE of each delivery month (strictly increasing, > 0).
   * Default index + 0.5: the first delivery month is the month after as-of (tenor 1).
   */
  monthsFromAsOf?: number[];
};

export type CoverageBand = { minCoveragePct: number; maxCoveragePct: number };
/** A band for tenors fromMonth..toMonth (1 = first month after as-of), overriding the policy's single band. */
export type TenorBand = CoverageBand & { fromMonth: number; toMonth: number };

export type HedgePolicyInput = CoverageBand & {
  settlement: Settlement;
  /** probability, 0..1 */
  maxOverHedgeProb: number;
  /** contract lot size in tokens (positive integer) */
  lotTokens: number | bigint;
  /**
   * Whole-horizon budget (USD); enables budgetExceedProb on totals. In recommend() it is the class's budget; in
   * recommendPortfolio() the portfolio's (all classes together), and class-level budget figures are then null.
   */
  budgetUsd?: DecimalLike | null;
  /** per delivery month budgets (USD), aligned with the months (recommend() only) */
  monthlyBudgetUsd?: (DecimalLike | null)[] | null;
  bands?: TenorBand[] | null;
};

export type SimParams = {
  paths: number;
  seed: number;
  /** AR(1) correlation of demand shocks between consecutive months, 0..1 */
  demandMonthCorrelation: number;
  /** correlation of the demand and price shocks within a month, −1..1 */
  demandPriceCorrelation: number;
  /** probability per calendar month of a provider step cut, 0..1 */
  stepCutProbPerMonth: number;
  /** size of a step cut in percent (30 = price × 0.7), 0..100 (exclusive) */
  stepCutPct: number;
};

export const DEFAULT_SIM_PARAMS: SimParams = {
  paths: 10_000,
  seed: 1,
  demandMonthCorrelation: 0.6,
  demandPriceCorrelation: 0,
  stepCutProbPerMonth: 0.05,
  stepCutPct: 30,
};

/** Simulated paths of one class. Matrices are month-major: value of month m on path i at [m·paths + i]. */
export type ClassPaths = {
  classKey: string;
  months: string[];
  paths: number;
  /** tokens */
  demand: Float64Array;
  /** USD per 1M tokens */
  spot: Float64Array;
  /** per path, tokens summed over months */
  demandTotal: Float64Array;
  forward: Float64Array;
  /** default strike per month (ask, else forward) */
  strike: Float64Array;
  strikeDecimal: Decimal[];
  forwardDecimal: Decimal[];
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  /** years from as-of to the middle of each delivery month */
  tYears: Float64Array;
  /** 1 = first month after as-of */
  tenor: Int32Array;
  vol: Float64Array;
  params: SimParams;
};

export type Budget = { totalUsd?: DecimalLike | null; monthlyUsd?: (DecimalLike | null)[] | null };

/** Cost statistics of one strategy (per month or whole horizon). USD, 6 dp. */
export type CostStats = {
  quantityTokens: number;
  expectedUsd: Decimal;
  p95Usd: Decimal;
  /** P95 − expected */
  costAtRiskUsd: Decimal;
  /** expected hedged − expected unhedged (the expected price of the protection; negative = expected saving) */
  premiumVsUnhedgedUsd: Decimal;
  /** P(Q > D); on totals P(ΣQ > ΣD) */
  overHedgeProb: number;
  /** P(cost > budget), null without a budget */
  budgetExceedProb: number | null;
};

export type TotalStats = CostStats & {
  /** P(at least one month is over-hedged) */
  anyMonthOverHedgeProb: number;
};

export type Evaluation = {
  months: CostStats[];
  total: TotalStats;
  /** whole-horizon cost per path, USD (float; for histograms and portfolio sums) */
  totalCosts: Float64Array;
  /** per path: 1 when some month is over-hedged */
  overHedgedAnyMonth: Uint8Array;
};

export type StrategyKey = "unhedged" | "policyMinimum" | "recommended" | "custom";

export type Binding =
  | "interior" // P95 is lowest strictly inside the feasible range
  | "overHedgeLimit" // P95 still falling where the over-hedge limit stops us
  | "bandMax" // P95 falling all the way to the band maximum
  | "bandMin" // P95 rising from the band minimum
  | "infeasible" // even the band minimum breaks the over-hedge limit
  | "noLotInBand" // the band holds no lot multiple
  | "zeroDemand"; // P50 = 0: nothing to hedge

export type MonthRecommendation = {
  month: string;
  tenor: number;
  /** recommended quantity, integer tokens (multiple of the lot) */
  quantityTokens: number;
  lots: number;
  strike: Decimal;
  forward: Decimal;
  /** Q · K, exact */
  contractCostUsd: Decimal;
  /** Q / P50 × 100, null when P50 = 0 */
  coveragePctOfP50: number | null;
  band: CoverageBand & { minTokens: number; maxTokens: number };
  binding: Binding;
  strategies: { unhedged: CostStats; policyMinimum: CostStats; recommended: CostStats; custom?: CostStats };
  why: string;
  warnings: string[];
};

/** How hard the recommendation searches. */
export type RecommendOptions = {
  /**
   * Feasible ranges of up to this many lot multiples are scanned exhaustively (the exact P95 minimiser on the
   * simulated paths); larger ones use the coarse-to-fine grid. Default 24 (fast, for the app); the CLI uses 20,000.
   */
  exhaustiveUpTo?: number;
};
export const DEFAULT_EXHAUSTIVE_UP_TO = 24;

export type HistogramBin = { fromUsd: number; toUsd: number; hedged: number; unhedged: number };
export type Histogram = { bins: HistogramBin[] };

export type ClassRecommendation = {
  classKey: string;
  settlement: Settlement;
  months: MonthRecommendation[];
  total: { unhedged: TotalStats; policyMinimum: TotalStats; recommended: TotalStats; custom?: TotalStats };
  /** whole-horizon cost, recommended vs unhedged */
  histogram: Histogram;
  warnings: string[];
  params: SimParams;
};

export type PortfolioRecommendation = {
  classes: ClassRecommendation[];
  /** sum over classes per path (classes simulated independently) */
  total: { unhedged: TotalStats; policyMinimum: TotalStats; recommended: TotalStats; custom?: TotalStats };
  histogram: Histogram;
};

// ---------------------------------------------------------------------------------------------------------------
// Small numeric helpers

/** Φ⁻¹(0.9): a standard normal's P90 in standard deviations. */
export const Z90 = 1.2815515655446004;
const TOKENS_PER_UNIT = 1_000_000;

const toNum = (v: DecimalLike): number => (typeof v === "number" ? v : dec(v).toNumber());
const money = (x: number): Decimal => new Decimal(x).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN);

/** Mean, shifted by the first value so constant arrays come out exact. */
function mean(a: Float64Array, from: number, n: number): number {
  if (n === 0) return 0;
  const x0 = a[from];
  let s = 0;
  for (let i = from; i < from + n; i++) s += a[i] - x0;
  return x0 + s / n;
}

/** Hoare quickselect: afterwards a[k] is the k-th smallest of a[0..n), a[0..k) ≤ a[k] ≤ a(k..n). */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to the middle
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
function swap(a: Float64Array, i: number, j: number) {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

// Scratch buffers reused across calls (the module is synchronous, so sharing is safe).
let bufMid: Float64Array = new Float64Array(0);
let bufSample: Float64Array = new Float64Array(0);
const grow = (b: Float64Array, n: number): Float64Array => (b.length >= n ? b : new Float64Array(Math.max(n, 2 * b.length)));

/**
 * The k-th and (k+1)-th smallest of a[0..n) (0-based; the second is NaN when k + 1 = n), without reordering a.
 * Exact. For large n it first brackets the rank with two thresholds taken from a 1-in-16 subsample, keeps only the
 * values between them (≈8% of n) and selects there; if the bracket misses the rank it falls back to a full select.
 */
function orderStats(a: Float64Array, n: number, k: number): [number, number] {
  const needHi = k + 1 < n;
  const STRIDE = 16;
  const m = Math.floor(n / STRIDE);
  if (m >= 128) {
    bufSample = grow(bufSample, m);
    for (let j = 0; j < m; j++) bufSample[j] = a[j * STRIDE];
    const q = k / (n - 1);
    const rlo = Math.floor((q - 0.04) * (m - 1));
    const rhi = Math.ceil((q + 0.04) * (m - 1));
    let tLo = -Infinity;
    let tHi = Infinity;
    if (rlo >= 0) {
      select(bufSample, m, rlo);
      tLo = bufSample[rlo];
    }
    if (rhi <= m - 1) {
      select(bufSample, m, rhi);
      tHi = bufSample[rhi];
    }
    bufMid = grow(bufMid, n);
    let below = 0;
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      if (x < tLo) below++;
      else if (x <= tHi) bufMid[cnt++] = x;
    }
    const r = k - below;
    if (r >= 0 && r + (needHi ? 1 : 0) < cnt) return pick(bufMid, cnt, r, needHi);
  }
  bufMid = grow(bufMid, n);
  bufMid.set(a.subarray(0, n));
  return pick(bufMid, n, k, needHi);
}
function pick(b: Float64Array, cnt: number, r: number, needHi: boolean): [number, number] {
  select(b, cnt, r);
  if (!needHi) return [b[r], NaN];
  let hi = Infinity;
  for (let i = r + 1; i < cnt; i++) if (b[i] < hi) hi = b[i];
  return [b[r], hi];
}

/** Quantile p of a[0..n) with linear interpolation between order statistics (type 7). Does not reorder a. */
export function quantileOf(a: Float64Array, p: number, n = a.length): number {
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const [lo, hi] = orderStats(a, n, k);
  return h === k || !(hi === hi) ? lo : lo + (h - k) * (hi - lo);
}

/** Quantile p (type 7) of any numbers. */
export function quantile(xs: ArrayLike<number>, p: number): number {
  return quantileOf(Float64Array.from(xs), p);
}

/** FNV-1a of a string mixed with the seed, so a class gets the same paths alone or in a portfolio. */
function classSeed(seed: number, classKey: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < classKey.length; i++) {
    h ^= classKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= Math.imul(seed >>> 0, 0x9e3779b1) >>> 0;
  return h >>> 0;
}

/**
 * Fill `out` with standard normals: mulberry32 (the generator of lib/domain/rng.ts, inlined) through Marsaglia's
 * polar method, which keeps both values of each accepted pair and needs no sin/cos — rng().normal() is Box–Muller
 * keeping one value; this is ~3× faster in the simulation's hot loop.
 */
function fillNormals(seed: number, out: Float64Array): Float64Array {
  let a = seed >>> 0;
  const n = out.length;
  let i = 0;
  while (i < n) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
    a = (a + 0x6d2b79f5) >>> 0;
    t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const y = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
    const s = x * x + y * y;
    if (s >= 1 || s === 0) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = x * f;
    if (i < n) out[i++] = y * f;
  }
  return out;
}
/** Fill `out` with uniforms on [0, 1) from mulberry32 (inlined). */
function fillUniforms(seed: number, out: Float64Array): Float64Array {
  let a = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Demand fit and volatility

export type DemandFit = {
  p10: number;
  p50: number;
  p90: number;
  /** lognormal sigma below the median (null: linear piece because P10 = 0 or P50 = 0) */
  sigmaLow: number | null;
  /** lognormal sigma above the median (null: linear piece because P50 = 0) */
  sigmaHigh: number | null;
};

/** Two-piece lognormal through P10/P50/P90 (see the module comment). */
export function fitDemand(p10: number, p50: number, p90: number): DemandFit {
  if (![p10, p50, p90].every(Number.isFinite) || p10 < 0 || p10 > p50 || p50 > p90) {
    throw new RangeError(`demand quantiles must satisfy 0 ≤ P10 ≤ P50 ≤ P90 (got ${p10}, ${p50}, ${p90})`);
  }
  return {
    p10,
    p50,
    p90,
    sigmaLow: p10 > 0 ? Math.log(p50 / p10) / Z90 : null,
    sigmaHigh: p50 > 0 ? Math.log(p90 / p50) / Z90 : null,
  };
}

/** Demand at standard-normal shock z under a fit (non-negative). */
export function demandAt(f: DemandFit, z: number): number {
  if (z < 0) {
    if (f.sigmaLow !== null) return f.p50 * Math.exp(f.sigmaLow * z);
    const d = f.p50 + ((f.p50 - f.p10) / Z90) * z;
    return d > 0 ? d : 0;
  }
  if (f.sigmaHigh !== null) return f.p50 * Math.exp(f.sigmaHigh * z);
  return ((f.p90 - f.p50) / Z90) * z + f.p50;
}

/**
 * Annualised volatility of daily spots: sample standard deviation (n − 1) of the log changes × √365.
 * Non-positive or non-finite spots are dropped first (no log); fewer than two log changes give 0.
 */
export function realisedVolatility(dailySpots: number[]): number {
  const s = dailySpots.filter((x) => Number.isFinite(x) && x > 0);
  const n = s.length - 1;
  if (n < 2) return 0;
  let m = 0;
  for (let i = 1; i <= n; i++) m += Math.log(s[i] / s[i - 1]);
  m /= n;
  let v = 0;
  for (let i = 1; i <= n; i++) {
    const d = Math.log(s[i] / s[i - 1]) - m;
    v += d * d;
  }
  return Math.sqrt(v / (n - 1)) * Math.sqrt(365);
}

// ---------------------------------------------------------------------------------------------------------------
// Simulation

function resolveParams(p: Partial<SimParams> | undefined): SimParams {
  const r = { ...DEFAULT_SIM_PARAMS, ...Object.fromEntries(Object.entries(p ?? {}).filter(([, v]) => v !== undefined)) } as SimParams;
  const bad = (what: string) => {
    throw new RangeError(`simulation parameter ${what}`);
  };
  if (!Number.isInteger(r.paths) || r.paths < 1) bad(`paths must be a positive whole number (got ${r.paths})`);
  if (!Number.isFinite(r.seed)) bad(`seed must be a number (got ${r.seed})`);
  if (!(r.demandMonthCorrelation >= 0 && r.demandMonthCorrelation <= 1)) bad(`demandMonthCorrelation must be in 0..1 (got ${r.demandMonthCorrelation})`);
  if (!(r.demandPriceCorrelation >= -1 && r.demandPriceCorrelation <= 1)) bad(`demandPriceCorrelation must be in −1..1 (got ${r.demandPriceCorrelation})`);
  if (!(r.stepCutProbPerMonth >= 0 && r.stepCutProbPerMonth <= 1)) bad(`stepCutProbPerMonth must be in 0..1 (got ${r.stepCutProbPerMonth})`);
  if (!(r.stepCutPct >= 0 && r.stepCutPct < 100)) bad(`stepCutPct must be in 0..100 (got ${r.stepCutPct})`);
  return r;
}

/** Strike for a month: the ask where given, else the forward. */
export function strikeOf(m: Pick<MonthInput, "forward" | "ask">): Decimal {
  return m.ask !== null && m.ask !== undefined ? dec(m.ask) : dec(m.forward);
}

/** Simulate demand and spot paths for one class (seeded: same input and params → identical arrays). */
export function simulateClass(input: ClassInput, params?: Partial<SimParams>): ClassPaths {
  const p = resolveParams(params);
  const M = input.months.length;
  if (M === 0) throw new RangeError(`class ${input.classKey}: no delivery months`);
  const n = p.paths;
  const mid = input.monthsFromAsOf ?? input.months.map((_, i) => i + 0.5);
  if (mid.length !== M) throw new RangeError(`class ${input.classKey}: monthsFromAsOf has ${mid.length} entries for ${M} months`);
  for (let m = 0; m < M; m++) {
    if (!(mid[m] > 0) || (m > 0 && !(mid[m] > mid[m - 1]))) throw new RangeError(`class ${input.classKey}: monthsFromAsOf must be positive and strictly increasing`);
  }
  if (!(input.annualVol >= 0) || !Number.isFinite(input.annualVol)) throw new RangeError(`class ${input.classKey}: annualVol must be ≥ 0`);

  const fits: DemandFit[] = [];
  const forward = new Float64Array(M);
  const strike = new Float64Array(M);
  const strikeDecimal: Decimal[] = [];
  const forwardDecimal: Decimal[] = [];
  const p10 = new Float64Array(M);
  const p50 = new Float64Array(M);
  const p90 = new Float64Array(M);
  const tYears = new Float64Array(M);
  const tenor = new Int32Array(M);
  const vol = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    const mi = input.months[m];
    try {
      fits.push(fitDemand(mi.demandP10, mi.demandP50, mi.demandP90));
    } catch (e) {
      throw new RangeError(`${input.classKey} ${mi.month}: ${(e as Error).message}`);
    }
    const f = dec(mi.forward);
    if (!f.isFinite() || f.lte(0)) throw new RangeError(`${input.classKey} ${mi.month}: forward must be > 0`);
    const k = strikeOf(mi);
    if (!k.isFinite() || k.lt(0)) throw new RangeError(`${input.classKey} ${mi.month}: strike (ask) must be ≥ 0`);
    const v = mi.vol ?? input.annualVol;
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${input.classKey} ${mi.month}: vol must be ≥ 0`);
    forwardDecimal.push(f);
    strikeDecimal.push(k);
    forward[m] = f.toNumber();
    strike[m] = k.toNumber();
    p10[m] = mi.demandP10;
    p50[m] = mi.demandP50;
    p90[m] = mi.demandP90;
    tYears[m] = mid[m] / 12;
    tenor[m] = Math.ceil(mid[m]);
    vol[m] = v;
  }

  // Per-month coefficients, hoisted out of the path loop.
  const rho = p.demandMonthCorrelation;
  const arA = new Float64Array(M); // z_m = arA·z_{m−1} + arB·e_m
  const arB = new Float64Array(M);
  const bmA = new Float64Array(M); // u_m = bmA·u_{m−1} + bmB·η_m
  const bmB = new Float64Array(M);
  const sdT = new Float64Array(M); // σ√t
  const halfVar = new Float64Array(M); // σ²t/2
  const comp = new Float64Array(M); // 1 / E[J]: drift compensation for step cuts
  const cutTrials = new Int32Array(M); // new cut opportunities before month m
  const cutKeep = 1 - p.stepCutPct / 100;
  const cutProb = p.stepCutProbPerMonth;
  for (let m = 0; m < M; m++) {
    const a = m === 0 ? 0 : rho === 0 ? 0 : Math.pow(rho, mid[m] - mid[m - 1]);
    arA[m] = a;
    arB[m] = Math.sqrt(Math.max(0, 1 - a * a));
    const r = m === 0 ? 0 : tYears[m - 1] / tYears[m];
    bmA[m] = Math.sqrt(r);
    bmB[m] = Math.sqrt(1 - r);
    sdT[m] = vol[m] * Math.sqrt(tYears[m]);
    halfVar[m] = (sdT[m] * sdT[m]) / 2;
    comp[m] = 1 / Math.pow(1 - cutProb * (1 - cutKeep), tenor[m]);
    cutTrials[m] = tenor[m] - (m === 0 ? 0 : tenor[m - 1]);
  }
  const rdp = p.demandPriceCorrelation;
  const rdpC = Math.sqrt(1 - rdp * rdp);
  const lowLog = new Uint8Array(M);
  const highLog = new Uint8Array(M);
  const sLo = new Float64Array(M);
  const sHi = new Float64Array(M);
  const linLo = new Float64Array(M);
  const linHi = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    const f = fits[m];
    lowLog[m] = f.sigmaLow !== null ? 1 : 0;
    highLog[m] = f.sigmaHigh !== null ? 1 : 0;
    sLo[m] = f.sigmaLow ?? 0;
    sHi[m] = f.sigmaHigh ?? 0;
    linLo[m] = (f.p50 - f.p10) / Z90;
    linHi[m] = (f.p90 - f.p50) / Z90;
  }

  const demand = new Float64Array(M * n);
  const spot = new Float64Array(M * n);
  const demandTotal = new Float64Array(n);
  // Random numbers: two streams seeded from lib/domain/rng.ts, drawn in bulk (see fillNormals/fillUniforms).
  const seeds = rng(classSeed(p.seed, input.classKey));
  const normals = fillNormals(Math.floor(seeds.next() * 4294967296), new Float64Array(2 * M * n));
  const anyCuts = cutProb > 0 && cutKeep < 1;
  const trialsPerPath = tenor[M - 1];
  const uniforms = anyCuts ? fillUniforms(Math.floor(seeds.next() * 4294967296), new Float64Array(trialsPerPath * n)) : new Float64Array(0);
  let nz = 0;
  let nu = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    let u = 0;
    let jump = 1;
    let dt = 0;
    for (let m = 0; m < M; m++) {
      z = arA[m] * z + arB[m] * normals[nz++];
      u = bmA[m] * u + bmB[m] * normals[nz++];
      if (anyCuts) for (let c = 0; c < cutTrials[m]; c++) if (uniforms[nu++] < cutProb) jump *= cutKeep;
      const x = rdp * z + rdpC * u;
      const pm = p50[m];
      let d: number;
      if (z < 0) {
        if (lowLog[m]) d = pm * Math.exp(sLo[m] * z);
        else {
          d = pm + linLo[m] * z;
          if (d < 0) d = 0;
        }
      } else d = highLog[m] ? pm * Math.exp(sHi[m] * z) : pm + linHi[m] * z;
      const idx = m * n + i;
      demand[idx] = d;
      dt += d;
      // exactly F when there is no vol and no cuts
      spot[idx] = forward[m] * Math.exp(sdT[m] * x - halfVar[m]) * (jump * comp[m]);
    }
    demandTotal[i] = dt;
  }

  return {
    classKey: input.classKey,
    months: input.months.map((m) => m.month),
    paths: n,
    demand,
    spot,
    demandTotal,
    forward,
    strike,
    strikeDecimal,
    forwardDecimal,
    p10,
    p50,
    p90,
    tYears,
    tenor,
    vol,
    params: p,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Costing

// Inside the simulation costs are kept in "scaled" units, tokens × USD per 1M tokens = USD × 10⁶, so the hot loops
// need no division; statistics are divided by 10⁶ once, when they are converted to Decimal.

/** Scaled cost (USD × 10⁶) of month m on every path into out[0..n). */
function monthCosts(paths: ClassPaths, m: number, q: number, k: number, settlement: Settlement, out: Float64Array): void {
  const n = paths.paths;
  const D = paths.demand.subarray(m * n, (m + 1) * n);
  const S = paths.spot.subarray(m * n, (m + 1) * n);
  const qk = q * k;
  if (settlement === "FINANCIAL") {
    for (let i = 0; i < n; i++) out[i] = qk + (D[i] - q) * S[i];
  } else {
    for (let i = 0; i < n; i++) {
      const open = D[i] - q;
      out[i] = open > 0 ? qk + open * S[i] : qk;
    }
  }
}

/**
 * P95 (type 7) of month m's scaled cost at quantity q, in one pass without storing the costs: thresholds bracketing
 * the 95th percentile come from a 1-in-16 subsample of paths, only costs between them are kept and selected
 * (exact; falls back to computing every cost if the bracket misses). The search calls this once per candidate.
 */
function monthP95Scaled(paths: ClassPaths, m: number, q: number, k: number, settlement: Settlement, scratch: Float64Array): number {
  const n = paths.paths;
  const D = paths.demand.subarray(m * n, (m + 1) * n);
  const S = paths.spot.subarray(m * n, (m + 1) * n);
  const qk = q * k;
  const fin = settlement === "FINANCIAL";
  const STRIDE = 16;
  const ms = Math.floor(n / STRIDE);
  const h = (n - 1) * 0.95;
  const kk = Math.floor(h);
  const needHi = kk + 1 < n && h !== kk;
  if (ms >= 128) {
    bufSample = grow(bufSample, ms);
    for (let j = 0; j < ms; j++) {
      const i = j * STRIDE;
      const open = D[i] - q;
      bufSample[j] = fin ? qk + open * S[i] : open > 0 ? qk + open * S[i] : qk;
    }
    const rlo = Math.floor((0.95 - 0.04) * (ms - 1));
    const rhi = Math.ceil((0.95 + 0.04) * (ms - 1));
    select(bufSample, ms, rlo);
    const tLo = bufSample[rlo];
    select(bufSample, ms, rhi);
    const tHi = bufSample[rhi];
    bufMid = grow(bufMid, n);
    const mid = bufMid;
    let below = 0;
    let cnt = 0;
    // branch-free classification (store always, advance the cursor only for values inside the bracket)
    if (fin) {
      for (let i = 0; i < n; i++) {
        const c = qk + (D[i] - q) * S[i];
        mid[cnt] = c;
        const lo = +(c < tLo);
        below += lo;
        cnt += (1 - lo) & +(c <= tHi);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const open = D[i] - q;
        const c = open > 0 ? qk + open * S[i] : qk;
        mid[cnt] = c;
        const lo = +(c < tLo);
        below += lo;
        cnt += (1 - lo) & +(c <= tHi);
      }
    }
    const r = kk - below;
    if (r >= 0 && r + (needHi ? 1 : 0) < cnt) {
      const [lo, hi] = pick(mid, cnt, r, needHi);
      return needHi ? lo + (h - kk) * (hi - lo) : lo;
    }
  }
  monthCosts(paths, m, q, k, settlement, scratch);
  return quantileOf(scratch, 0.95, n);
}

function checkQuantities(paths: ClassPaths, quantities: ArrayLike<number>, what = "quantity") {
  if (quantities.length !== paths.months.length) throw new RangeError(`${quantities.length} quantities for ${paths.months.length} months`);
  for (let m = 0; m < quantities.length; m++) {
    const q = quantities[m];
    if (!Number.isSafeInteger(q) || q < 0) throw new RangeError(`${paths.months[m]}: ${what} must be a non-negative whole number of tokens (got ${q})`);
  }
}

type RawStats = { expected: number; p95: number; overHedge: number; budgetExceed: number | null };

/** Expected unhedged cost per month and total, cached on the paths object (computed once per paths). */
const unhedgedCache = new WeakMap<ClassPaths, { months: number[]; total: number }>();
function unhedgedMeans(paths: ClassPaths): { months: number[]; total: number } {
  let c = unhedgedCache.get(paths);
  if (!c) {
    const n = paths.paths;
    const M = paths.months.length;
    const tmp = new Float64Array(n);
    const months: number[] = [];
    let total = 0;
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < n; i++) tmp[i] = paths.demand[m * n + i] * paths.spot[m * n + i];
      const e = mean(tmp, 0, n) / TOKENS_PER_UNIT;
      months.push(e);
      total += e;
    }
    c = { months, total };
    unhedgedCache.set(paths, c);
  }
  return c;
}

function toStats(q: number, raw: RawStats, unhedgedExpected: number): CostStats {
  const expectedUsd = money(raw.expected);
  const p95Usd = money(raw.p95);
  return {
    quantityTokens: q,
    expectedUsd,
    p95Usd,
    costAtRiskUsd: p95Usd.sub(expectedUsd),
    premiumVsUnhedgedUsd: expectedUsd.sub(money(unhedgedExpected)),
    overHedgeProb: raw.overHedge,
    budgetExceedProb: raw.budgetExceed,
  };
}

/**
 * Cost statistics of hedging `quantities` (integer tokens per month) on the given paths, per month and for the
 * whole horizon (sum over months per path). strike: USD per 1M tokens per month, null for the paths' default
 * (ask, else forward). Budgets are optional (USD).
 */
export function evaluate(
  paths: ClassPaths,
  quantities: ArrayLike<number>,
  strike: ArrayLike<number> | null,
  settlement: Settlement,
  budget?: Budget | null,
): Evaluation {
  checkQuantities(paths, quantities);
  const n = paths.paths;
  const M = paths.months.length;
  const K = strike ?? paths.strike;
  if (K.length !== M) throw new RangeError(`${K.length} strikes for ${M} months`);
  const unhedged = unhedgedMeans(paths);
  const costs = new Float64Array(n);
  const totalCosts = new Float64Array(n);
  const anyOver = new Uint8Array(n);
  const months: CostStats[] = [];
  let qTotal = 0;
  for (let m = 0; m < M; m++) {
    const q = quantities[m];
    qTotal += q;
    monthCosts(paths, m, q, K[m], settlement, costs);
    let over = 0;
    const D = paths.demand.subarray(m * n, (m + 1) * n);
    for (let i = 0; i < n; i++) {
      totalCosts[i] += costs[i];
      const o = +(q > D[i]);
      over += o;
      anyOver[i] |= o;
    }
    const mb = budget?.monthlyUsd?.[m];
    let budgetExceed: number | null = null;
    if (mb !== null && mb !== undefined) {
      const b = toNum(mb) * TOKENS_PER_UNIT;
      let c = 0;
      for (let i = 0; i < n; i++) if (costs[i] > b) c++;
      budgetExceed = c / n;
    }
    const expected = mean(costs, 0, n) / TOKENS_PER_UNIT;
    const p95 = quantileOf(costs, 0.95, n) / TOKENS_PER_UNIT;
    months.push(toStats(q, { expected, p95, overHedge: over / n, budgetExceed }, unhedged.months[m]));
  }
  let over = 0;
  let any = 0;
  for (let i = 0; i < n; i++) {
    if (qTotal > paths.demandTotal[i]) over++;
    any += anyOver[i];
  }
  let budgetExceed: number | null = null;
  if (budget?.totalUsd !== null && budget?.totalUsd !== undefined) {
    const b = toNum(budget.totalUsd) * TOKENS_PER_UNIT;
    let c = 0;
    for (let i = 0; i < n; i++) if (totalCosts[i] > b) c++;
    budgetExceed = c / n;
  }
  const expected = mean(totalCosts, 0, n) / TOKENS_PER_UNIT;
  const p95 = quantileOf(totalCosts, 0.95, n) / TOKENS_PER_UNIT;
  for (let i = 0; i < n; i++) totalCosts[i] /= TOKENS_PER_UNIT; // returned in USD
  const total: TotalStats = { ...toStats(qTotal, { expected, p95, overHedge: over / n, budgetExceed }, unhedged.total), anyMonthOverHedgeProb: any / n };
  return { months, total, totalCosts, overHedgedAnyMonth: anyOver };
}

// ---------------------------------------------------------------------------------------------------------------
// Recommendation

function validatePolicy(policy: HedgePolicyInput): number {
  const lot = typeof policy.lotTokens === "bigint" ? Number(policy.lotTokens) : policy.lotTokens;
  if (!Number.isSafeInteger(lot) || lot < 1) throw new RangeError(`lotTokens must be a positive whole number (got ${policy.lotTokens})`);
  if (policy.settlement !== "FINANCIAL" && policy.settlement !== "SERVICE_CREDITS") throw new RangeError(`settlement must be FINANCIAL or SERVICE_CREDITS`);
  if (!(policy.maxOverHedgeProb >= 0 && policy.maxOverHedgeProb <= 1)) throw new RangeError(`maxOverHedgeProb must be a probability in 0..1 (got ${policy.maxOverHedgeProb})`);
  const checkBand = (b: CoverageBand, what: string) => {
    if (!(Number.isFinite(b.minCoveragePct) && Number.isFinite(b.maxCoveragePct) && b.minCoveragePct >= 0 && b.minCoveragePct <= b.maxCoveragePct)) {
      throw new RangeError(`${what}: need 0 ≤ minCoveragePct ≤ maxCoveragePct (got ${b.minCoveragePct}..${b.maxCoveragePct})`);
    }
  };
  checkBand(policy, "policy");
  for (const b of policy.bands ?? []) checkBand(b, `band for months ${b.fromMonth}–${b.toMonth}`);
  return lot;
}

/** The coverage band that applies at a tenor (1 = first month after as-of). */
export function bandFor(policy: HedgePolicyInput, tenor: number): CoverageBand {
  const b = (policy.bands ?? []).find((x) => tenor >= x.fromMonth && tenor <= x.toMonth);
  return b ? { minCoveragePct: b.minCoveragePct, maxCoveragePct: b.maxCoveragePct } : { minCoveragePct: policy.minCoveragePct, maxCoveragePct: policy.maxCoveragePct };
}

/** Band in whole lots: kMin = ⌈min%·P50 / lot⌉, kMax = ⌊max%·P50 / lot⌋ (exact decimal arithmetic). */
export function bandLots(p50: number, band: CoverageBand, lot: number): { kMin: number; kMax: number; minTokens: number; maxTokens: number } {
  const lo = dec(band.minCoveragePct).mul(dec(p50)).div(100);
  const hi = dec(band.maxCoveragePct).mul(dec(p50)).div(100);
  return {
    kMin: lo.div(lot).ceil().toNumber(),
    kMax: hi.div(lot).floor().toNumber(),
    minTokens: lo.toNumber(),
    maxTokens: hi.toNumber(),
  };
}

/** Policy minimum: the band minimum rounded up to a lot, or down when rounding up leaves the band. */
export function policyMinimumLots(b: { kMin: number; kMax: number; minTokens: number }, lot: number): number {
  return b.kMin <= b.kMax ? b.kMin : dec(b.minTokens).div(lot).floor().toNumber();
}

export function formatTokens(q: number): string {
  const u: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [v, s] of u) if (Math.abs(q) >= v) return `${Number((q / v).toPrecision(3))}${s}`;
  return String(q);
}
const fmtPct = (p: number) => `${Number(p.toFixed(p < 10 ? 1 : 0))}%`;
const fmtProb = (p: number) => `${Number((p * 100).toFixed(2))}%`;

const FLAG_TEXT: Record<string, string> = {
  stale: "the forward is stale (its newest quote is older than the stale threshold)",
  thin: "the forward rests on few quotes",
  wide: "the forward's bid/ask spread is wide",
  drift: "the model behind this class has drifted (quality or version change): the price history may not apply",
};

type MonthSearch = { k: number; binding: Binding; p95: (k: number) => number; kFeas: number; kMin: number; kMax: number; overProb: (k: number) => number };

/**
 * Pick the number of lots for month m: lowest P95 cost among the lot multiples of the band that meet the over-hedge
 * limit (ties → fewer lots). Exhaustive up to 64 candidates, else coarse-to-fine grid.
 */
function searchMonth(paths: ClassPaths, m: number, lot: number, band: { kMin: number; kMax: number }, policy: HedgePolicyInput, scratch: Float64Array, scanUpTo: number): MonthSearch {
  const n = paths.paths;
  const K = paths.strike[m];
  const cache = new Map<number, number>();
  const p95 = (k: number) => {
    let v = cache.get(k);
    if (v === undefined) {
      v = monthP95Scaled(paths, m, k * lot, K, policy.settlement, scratch) / TOKENS_PER_UNIT;
      cache.set(k, v);
    }
    return v;
  };
  const demand = paths.demand.subarray(m * n, (m + 1) * n);
  const overProb = (k: number) => {
    const q = k * lot;
    let c = 0;
    for (let i = 0; i < n; i++) if (q > demand[i]) c++;
    return c / n;
  };
  // At most `allowed` paths may be over-hedged (Q > D). With D_(a) the a-th smallest demand (0-based), at most a
  // demands lie below Q exactly when Q ≤ D_(a): so the feasible quantities are Q ≤ D_(allowed).
  const allowed = Math.floor(policy.maxOverHedgeProb * n + 1e-9);
  const qCap = allowed >= n ? Infinity : orderStats(demand, n, allowed)[0];
  const { kMin, kMax } = band;

  if (paths.p50[m] === 0) return { k: 0, binding: "zeroDemand", p95, kFeas: 0, kMin, kMax, overProb };
  if (kMin > kMax) return { k: -1, binding: "noLotInBand", p95, kFeas: -1, kMin, kMax, overProb };
  let kCap = qCap === Infinity ? kMax : Math.floor(qCap / lot);
  while (kCap * lot > qCap) kCap--; // guard the float division both ways
  while ((kCap + 1) * lot <= qCap && kCap < kMax) kCap++;
  if (kCap < kMin) return { k: kMin, binding: "infeasible", p95, kFeas: kMin - 1, kMin, kMax, overProb };
  const kFeas = Math.min(kMax, kCap);

  // ties (within float rounding) go to the smaller quantity: scanning upwards, replace only on a clear improvement
  const better = (v: number, best: number) => v < best - 1e-12 * Math.max(1, Math.abs(best));
  const SCAN = Math.max(3, scanUpTo);
  const GRID = 17;
  let a = kMin;
  let b = kFeas;
  while (b - a + 1 > SCAN) {
    const step = Math.ceil((b - a) / (GRID - 1));
    let best = a;
    let bestV = p95(a);
    for (let k = a + step; ; k += step) {
      const kk = Math.min(k, b);
      const v = p95(kk);
      if (better(v, bestV)) {
        best = kk;
        bestV = v;
      }
      if (kk === b) break;
    }
    a = Math.max(a, best - step);
    b = Math.min(b, best + step);
  }
  let best = a;
  let bestV = p95(a);
  for (let k = a + 1; k <= b; k++) {
    const v = p95(k);
    if (better(v, bestV)) {
      best = k;
      bestV = v;
    }
  }
  let binding: Binding;
  if (best === kFeas && kFeas < kMax) binding = "overHedgeLimit";
  else if (best === kMax && kMax > kMin) binding = "bandMax";
  else if (best === kMin && kMin < kFeas) binding = "bandMin";
  else if (best === kMin && kMin === kMax) binding = "bandMax"; // a single lot multiple in the band
  else binding = "interior";
  return { k: best, binding, p95, kFeas, kMin, kMax, overProb };
}

function whyText(s: MonthSearch, lot: number, coverage: number | null, policy: HedgePolicyInput, band: CoverageBand, q: number): string {
  const cov = coverage === null ? "no P50 demand" : `${fmtPct(coverage)} of P50`;
  const at = `${formatTokens(q)} tokens`;
  const bandTxt = `${fmtPct(band.minCoveragePct)}–${fmtPct(band.maxCoveragePct)} band`;
  const limit = fmtProb(policy.maxOverHedgeProb);
  switch (s.binding) {
    case "zeroDemand":
      return `no P50 demand this month: nothing to hedge`;
    case "noLotInBand":
      return `${cov}: the ${bandTxt} holds no whole lot of ${formatTokens(lot)} tokens, so the band minimum is rounded down to ${at}`;
    case "infeasible":
      return `${cov}: even the band minimum (${at}) is over-hedged with probability ${fmtProb(s.overProb(s.k))}, above the limit of ${limit}; holding the band minimum`;
    case "overHedgeLimit": {
      if (s.k === s.kMin) return `${cov}: the over-hedge limit of ${limit} binds at ${at}, the lowest lot multiple of the ${bandTxt}`;
      return s.p95(s.k) < s.p95(s.k - 1)
        ? `${cov}: P95 cost falls until the over-hedge limit of ${limit} binds at ${at}`
        : `${cov}: P95 cost is lowest where the over-hedge limit of ${limit} binds, at ${at}`;
    }
    case "bandMax":
      return s.kMin === s.kMax
        ? `${cov}: ${at} is the only lot multiple inside the ${bandTxt}`
        : `${cov}: P95 cost falls across the whole ${bandTxt}, so the band maximum ${at}`;
    case "bandMin":
      return `${cov}: more cover raises P95 cost (the premium over expected spot outweighs the risk it removes), so the band minimum ${at}`;
    case "interior":
      return `${cov}: P95 cost is lowest at ${at}; more cover adds premium and over-hedge cost, less leaves more price risk`;
  }
}

type PerPath = { _totals: Record<string, Float64Array>; _anyOver: Record<string, Uint8Array> };
function recommendFromPaths(input: ClassInput, paths: ClassPaths, policy: HedgePolicyInput, custom?: ArrayLike<number> | null, options?: RecommendOptions): ClassRecommendation & PerPath {
  const lot = validatePolicy(policy);
  const n = paths.paths;
  const M = paths.months.length;
  if (input.months.length !== M || input.months.some((mi, m) => mi.month !== paths.months[m])) throw new RangeError(`paths were simulated for other months than ${input.classKey}'s input`);
  if (custom) checkQuantities(paths, custom, "custom quantity");
  const scratch = new Float64Array(n);

  const recQ: number[] = [];
  const minQ: number[] = [];
  const pending: Omit<MonthRecommendation, "strategies">[] = [];
  for (let m = 0; m < M; m++) {
    const mi = input.months[m];
    const band = bandFor(policy, paths.tenor[m]);
    const bl = bandLots(paths.p50[m], band, lot);
    const s = searchMonth(paths, m, lot, bl, policy, scratch, options?.exhaustiveUpTo ?? DEFAULT_EXHAUSTIVE_UP_TO);
    const kPolicyMin = policyMinimumLots(bl, lot);
    const k = s.binding === "noLotInBand" ? kPolicyMin : s.k;
    const q = k * lot;
    if (!Number.isSafeInteger(q)) throw new RangeError(`${mi.month}: quantity ${q} exceeds the safe integer range`);
    recQ.push(q);
    minQ.push(kPolicyMin * lot);
    const coverage = paths.p50[m] > 0 ? (q / paths.p50[m]) * 100 : null;
    const warnings: string[] = [];
    for (const f of mi.flags ?? []) warnings.push(`${f}: ${FLAG_TEXT[f] ?? "curve point flagged"}`);
    if (s.binding === "infeasible") warnings.push(`over-hedge: no lot multiple in the band meets the ${fmtProb(policy.maxOverHedgeProb)} limit; band minimum ${formatTokens(q)} tokens is over-hedged with probability ${fmtProb(s.overProb(k))}`);
    if (s.binding === "noLotInBand") warnings.push(`lot size: the band holds no whole lot of ${formatTokens(lot)} tokens; rounded the band minimum down to ${formatTokens(q)} tokens (${coverage === null ? "—" : fmtPct(coverage)} of P50)`);
    pending.push({
      month: mi.month,
      tenor: paths.tenor[m],
      quantityTokens: q,
      lots: k,
      strike: paths.strikeDecimal[m],
      forward: paths.forwardDecimal[m],
      contractCostUsd: dec(q).mul(paths.strikeDecimal[m]).div(TOKENS_PER_UNIT),
      coveragePctOfP50: coverage,
      band: { ...band, minTokens: bl.minTokens, maxTokens: bl.maxTokens },
      binding: s.binding,
      why: whyText(s, lot, coverage, policy, band, q),
      warnings,
    });
  }

  const budget: Budget = { totalUsd: policy.budgetUsd, monthlyUsd: policy.monthlyBudgetUsd };
  const zero = new Array<number>(M).fill(0);
  const evU = evaluate(paths, zero, null, policy.settlement, budget);
  const evP = evaluate(paths, minQ, null, policy.settlement, budget);
  const evR = evaluate(paths, recQ, null, policy.settlement, budget);
  const evC = custom ? evaluate(paths, custom, null, policy.settlement, budget) : null;
  const months: MonthRecommendation[] = pending.map((p, m) => ({
    ...p,
    strategies: {
      unhedged: evU.months[m],
      policyMinimum: evP.months[m],
      recommended: evR.months[m],
      ...(evC ? { custom: evC.months[m] } : {}),
    },
  }));
  const warnings = months.flatMap((mo) => mo.warnings.map((w) => `${mo.month} ${w}`));
  return {
    classKey: input.classKey,
    settlement: policy.settlement,
    months,
    total: { unhedged: evU.total, policyMinimum: evP.total, recommended: evR.total, ...(evC ? { custom: evC.total } : {}) },
    histogram: histogram(evR.totalCosts, evU.totalCosts),
    warnings,
    params: paths.params,
    _totals: { unhedged: evU.totalCosts, policyMinimum: evP.totalCosts, recommended: evR.totalCosts, ...(evC ? { custom: evC.totalCosts } : {}) },
    _anyOver: { unhedged: evU.overHedgedAnyMonth, policyMinimum: evP.overHedgedAnyMonth, recommended: evR.overHedgedAnyMonth, ...(evC ? { custom: evC.overHedgedAnyMonth } : {}) },
  };
}

/**
 * Recommend hedge quantities for one class and evaluate unhedged / policy minimum / recommended / custom on the
 * same paths. `custom`: integer tokens per month (optional).
 */
export function recommend(input: ClassInput, policy: HedgePolicyInput, params?: Partial<SimParams>, custom?: ArrayLike<number> | null, options?: RecommendOptions): ClassRecommendation {
  validatePolicy(policy);
  return recommendOnPaths(input, simulateClass(input, params), policy, custom, options);
}

/** Same as recommend on already simulated paths (e.g. to time phases or reuse paths). */
export function recommendOnPaths(input: ClassInput, paths: ClassPaths, policy: HedgePolicyInput, custom?: ArrayLike<number> | null, options?: RecommendOptions): ClassRecommendation {
  const { _totals, _anyOver, ...r } = recommendFromPaths(input, paths, policy, custom, options);
  void _totals;
  void _anyOver;
  return r;
}

/**
 * Several classes under one policy. Each class is simulated with its own seed derived from (seed, classKey), so a
 * class's numbers are the same alone or in a portfolio; classes are independent of each other, and the portfolio
 * totals sum the classes' whole-horizon costs path by path. `custom` is keyed by classKey.
 */
export function recommendPortfolio(
  classes: ClassInput[],
  policy: HedgePolicyInput,
  params?: Partial<SimParams>,
  custom?: Record<string, ArrayLike<number>> | null,
  options?: RecommendOptions,
): PortfolioRecommendation {
  validatePolicy(policy);
  const p = resolveParams(params);
  const n = p.paths;
  const keys = new Set<string>();
  for (const c of classes) {
    if (keys.has(c.classKey)) throw new RangeError(`class ${c.classKey} appears twice`);
    keys.add(c.classKey);
  }
  const hasCustom = !!custom && classes.some((c) => custom[c.classKey]);
  const sums: Record<string, Float64Array> = { unhedged: new Float64Array(n), policyMinimum: new Float64Array(n), recommended: new Float64Array(n) };
  if (hasCustom) sums.custom = new Float64Array(n);
  const out: ClassRecommendation[] = [];
  const qSum: Record<string, number> = { unhedged: 0, policyMinimum: 0, recommended: 0, custom: 0 };
  const dTotal = new Float64Array(n);
  const anyOver: Record<string, Uint8Array> = Object.fromEntries(Object.keys(sums).map((k) => [k, new Uint8Array(n)]));
  for (const c of classes) {
    const paths = simulateClass(c, p);
    const { _totals, _anyOver, ...r } = recommendFromPaths(c, paths, { ...policy, budgetUsd: null, monthlyBudgetUsd: null }, custom?.[c.classKey] ?? null, options);
    out.push(r);
    for (let i = 0; i < n; i++) dTotal[i] += paths.demandTotal[i];
    for (const key of Object.keys(sums)) {
      // a class without custom quantities counts at its recommendation inside the custom portfolio
      const src = _totals[key] ?? _totals.recommended;
      const dst = sums[key];
      for (let i = 0; i < n; i++) dst[i] += src[i];
      const ao = _anyOver[key] ?? _anyOver.recommended;
      const aoDst = anyOver[key];
      for (let i = 0; i < n; i++) aoDst[i] |= ao[i];
      const st = (r.total as Record<string, TotalStats | undefined>)[key] ?? r.total.recommended;
      qSum[key] += st.quantityTokens;
    }
  }
  const budgetTotal = policy.budgetUsd !== null && policy.budgetUsd !== undefined ? toNum(policy.budgetUsd) : null;
  const unhedgedExpected = mean(sums.unhedged, 0, n);
  const stat = (key: string): TotalStats => {
    const a = sums[key];
    const expected = mean(a, 0, n);
    let over = 0;
    for (let i = 0; i < n; i++) if (qSum[key] > dTotal[i]) over++;
    let be: number | null = null;
    if (budgetTotal !== null) {
      let c = 0;
      for (let i = 0; i < n; i++) if (a[i] > budgetTotal) c++;
      be = c / n;
    }
    const p95 = quantileOf(a, 0.95, n);
    let anyMonth = 0;
    for (let i = 0; i < n; i++) anyMonth += anyOver[key][i];
    anyMonth /= n;
    return { ...toStats(qSum[key], { expected, p95, overHedge: over / n, budgetExceed: be }, unhedgedExpected), anyMonthOverHedgeProb: anyMonth };
  };
  return {
    classes: out,
    total: { unhedged: stat("unhedged"), policyMinimum: stat("policyMinimum"), recommended: stat("recommended"), ...(hasCustom ? { custom: stat("custom") } : {}) },
    histogram: histogram(sums.recommended, sums.unhedged),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Histogram

/**
 * Whole-horizon cost distribution, hedged vs unhedged, on common bins spanning both samples (equal width;
 * counts sum to the number of paths in each series). Edges are float USD for charting.
 */
export function histogram(hedged: ArrayLike<number>, unhedged: ArrayLike<number>, bins = 40, tailPct = 0.5): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive whole number`);
  if (!hedged.length && !unhedged.length) return { bins: [] };
  // The range spans both samples from their tailPct-th to (100 − tailPct)-th percentile, so a few extreme
  // paths do not squash the chart into one bar; paths beyond it are counted in the first and last bins
  // (which then report the true extremes as their outer edges).
  const q = (a: ArrayLike<number>, p: number) => (a.length ? quantile(a, p) : NaN);
  const lo0 = Math.min(...[q(hedged, tailPct / 100), q(unhedged, tailPct / 100)].filter(Number.isFinite));
  const hi0 = Math.max(...[q(hedged, 1 - tailPct / 100), q(unhedged, 1 - tailPct / 100)].filter(Number.isFinite));
  let min = Infinity;
  let max = -Infinity;
  for (const a of [hedged, unhedged]) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < min) min = a[i];
      if (a[i] > max) max = a[i];
    }
  }
  if (!Number.isFinite(lo0) || hi0 <= lo0) return { bins: [{ fromUsd: min, toUsd: max, hedged: hedged.length, unhedged: unhedged.length }] };
  const w = (hi0 - lo0) / bins;
  const h = new Array<number>(bins).fill(0);
  const u = new Array<number>(bins).fill(0);
  const idx = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - lo0) / w)));
  for (let i = 0; i < hedged.length; i++) h[idx(hedged[i])]++;
  for (let i = 0; i < unhedged.length; i++) u[idx(unhedged[i])]++;
  return { bins: h.map((c, b) => ({ fromUsd: b === 0 ? Math.min(min, lo0) : lo0 + b * w, toUsd: b === bins - 1 ? Math.max(max, hi0) : lo0 + (b + 1) * w, hedged: c, unhedged: u[b] })) };
}
