/**
 * Budget at risk and stress scenarios for AI spend, hedged vs unhedged — pure (no I/O), decimal money where the
 * numbers are exact, the seeded simulation of lib/domain/hedge.ts where they are statistics.
 *
 * Hedges per class × delivery month, from the contracts held (split over months exactly as marks and
 * settlements split them: valuation.periodsOf):
 *   financial   q_f tokens with notional N_f = Σ q·K / 1e6 (USD; K the contract's strike per 1M tokens)
 *   credits     q_c tokens with notional N_c = Σ q·K / 1e6
 * Cost of a month with demand D tokens and average spot S (USD per 1M tokens), in USD:
 *   unhedged    D·S / 1e6
 *   hedged      N_c + max(D − q_c, 0)·S / 1e6 + N_f − q_f·S / 1e6
 * i.e. credits pay for the first q_c tokens at their strike (unused ones are forfeited), the rest is bought at
 * spot, and each financial contract pays (K − S) per token on its quantity whatever the usage. Financial-only and
 * credits-only months are exactly hedge.ts's FINANCIAL and SERVICE_CREDITS costs (tested equal to `evaluate`).
 *
 * stressScenario — deterministic: D = P50 × (1 + demand change), S = forward × (1 + spot change), for the classes the
 * shock applies to (one class, or all); the other classes stay at P50 and forward. Exact decimals.
 * budgetAtRisk — on simulated paths (simulateClass, the recommendation model and seed), costs per path summed over
 * months and then over classes path by path (classes independent, as recommendPortfolio): expected, P95 (type 7),
 * P(cost > budget). Monte-Carlo estimates, converted to Decimal at the boundary. An optional shock scales every
 * path's spot and demand the same way as the deterministic scenario.
 */
import Decimal from "decimal.js";
import { MONEY_DP, TOKENS_PER_PRICE_UNIT, dec, type DecimalLike } from "./money";
import { quantileOf, simulateClass, type ClassInput, type ClassPaths, type SimParams } from "./hedge";
import { periodsOf, type AveragePriceForward } from "./valuation";

export type MonthHedge = {
  financialTokens: bigint;
  /** Σ q × K / 1e6 over the financial contracts' share of the month, USD (exact) */
  financialNotionalUsd: Decimal;
  creditTokens: bigint;
  creditNotionalUsd: Decimal;
};

export const NO_HEDGE: MonthHedge = { financialTokens: 0n, financialNotionalUsd: new Decimal(0), creditTokens: 0n, creditNotionalUsd: new Decimal(0) };

/** A held contract: the priced forward (lib/domain/valuation.ts) and how it settles. */
export type HedgeContract = AveragePriceForward & { settlement: "FINANCIAL" | "SERVICE_CREDITS" };

/** Hedges per `${classKey}|${month}` from the contracts held. */
export function hedgesByMonth(contracts: readonly HedgeContract[]): Map<string, MonthHedge> {
  const out = new Map<string, MonthHedge>();
  for (const c of contracts) {
    for (const p of periodsOf(c)) {
      const key = `${c.modelClass}|${p.month}`;
      const h = out.get(key) ?? { ...NO_HEDGE };
      const notional = dec(p.quantityTokens).mul(c.strikePerMTokens).div(TOKENS_PER_PRICE_UNIT);
      out.set(
        key,
        c.settlement === "FINANCIAL"
          ? { ...h, financialTokens: h.financialTokens + p.quantityTokens, financialNotionalUsd: h.financialNotionalUsd.add(notional) }
          : { ...h, creditTokens: h.creditTokens + p.quantityTokens, creditNotionalUsd: h.creditNotionalUsd.add(notional) },
      );
    }
  }
  return out;
}

/** One month's cost, unhedged and hedged, USD (exact). */
export function monthCost(demandTokens: DecimalLike, spotPerMTokens: DecimalLike, h: MonthHedge): { unhedgedUsd: Decimal; hedgedUsd: Decimal } {
  const d = dec(demandTokens);
  const s = dec(spotPerMTokens);
  const open = Decimal.max(d.sub(h.creditTokens.toString()), 0);
  const unhedgedUsd = d.mul(s).div(TOKENS_PER_PRICE_UNIT);
  const hedgedUsd = h.creditNotionalUsd
    .add(open.mul(s).div(TOKENS_PER_PRICE_UNIT))
    .add(h.financialNotionalUsd)
    .sub(dec(h.financialTokens).mul(s).div(TOKENS_PER_PRICE_UNIT));
  return { unhedgedUsd, hedgedUsd };
}

export type Shock = {
  /** −80 … +200 (%) */
  spotChangePct: DecimalLike;
  /** −50 … +100 (%) */
  demandChangePct: DecimalLike;
  /** the class the shock applies to; null or absent: every class */
  classKey?: string | null;
};

export const SPOT_CHANGE_RANGE = { min: -80, max: 200 } as const;
export const DEMAND_CHANGE_RANGE = { min: -50, max: 100 } as const;

export const SCENARIO_PRESETS = [
  { id: "price-cut", label: "Provider cuts price 50%", spotChangePct: -50, demandChangePct: 0 },
  { id: "demand-doubles", label: "Demand doubles", spotChangePct: 0, demandChangePct: 100 },
  { id: "supply-squeeze", label: "Supply squeeze +30% spot", spotChangePct: 30, demandChangePct: 0 },
] as const;

function checkShock(s: Shock) {
  const spot = dec(s.spotChangePct);
  const demand = dec(s.demandChangePct);
  if (!spot.isFinite() || spot.lt(SPOT_CHANGE_RANGE.min) || spot.gt(SPOT_CHANGE_RANGE.max)) throw new RangeError(`spot change must be between ${SPOT_CHANGE_RANGE.min}% and +${SPOT_CHANGE_RANGE.max}%, got ${spot.toString()}%`);
  if (!demand.isFinite() || demand.lt(DEMAND_CHANGE_RANGE.min) || demand.gt(DEMAND_CHANGE_RANGE.max)) throw new RangeError(`demand change must be between ${DEMAND_CHANGE_RANGE.min}% and +${DEMAND_CHANGE_RANGE.max}%, got ${demand.toString()}%`);
  return { spotFactor: spot.div(100).add(1), demandFactor: demand.div(100).add(1) };
}

const applies = (s: Shock, classKey: string) => !s.classKey || s.classKey === classKey;

export type ScenarioLine = { classKey: string; month: string; demandP50Tokens: bigint; forwardPerMTokens: Decimal; hedge: MonthHedge };
/** A ScenarioLine over JSON: tokens and money as strings (the page passes these to the browser). */
export type ScenarioLineJson = {
  classId: string;
  month: string;
  demandP50Tokens: string;
  forwardPerMTokens: string;
  hedge: { financialTokens: string; financialNotionalUsd: string; creditTokens: string; creditNotionalUsd: string };
};
export const scenarioLineJson = (l: ScenarioLine): ScenarioLineJson => ({
  classId: l.classKey,
  month: l.month,
  demandP50Tokens: l.demandP50Tokens.toString(),
  forwardPerMTokens: l.forwardPerMTokens.toFixed(MONEY_DP),
  hedge: { financialTokens: l.hedge.financialTokens.toString(), financialNotionalUsd: l.hedge.financialNotionalUsd.toFixed(MONEY_DP), creditTokens: l.hedge.creditTokens.toString(), creditNotionalUsd: l.hedge.creditNotionalUsd.toFixed(MONEY_DP) },
});
export const scenarioLinesFromJson = (lines: readonly ScenarioLineJson[]): ScenarioLine[] =>
  lines.map((l) => ({
    classKey: l.classId,
    month: l.month,
    demandP50Tokens: BigInt(l.demandP50Tokens),
    forwardPerMTokens: new Decimal(l.forwardPerMTokens),
    hedge: { financialTokens: BigInt(l.hedge.financialTokens), financialNotionalUsd: new Decimal(l.hedge.financialNotionalUsd), creditTokens: BigInt(l.hedge.creditTokens), creditNotionalUsd: new Decimal(l.hedge.creditNotionalUsd) },
  }));

export type CostPair = { unhedgedUsd: Decimal; hedgedUsd: Decimal };
export type ScenarioResult = {
  classes: { classKey: string; base: CostPair; stressed: CostPair }[];
  total: { base: CostPair; stressed: CostPair; change: CostPair };
  /** budget − stressed cost (negative: over budget); null without a budget */
  headroom: CostPair | null;
};

const addPair = (a: CostPair, b: CostPair): CostPair => ({ unhedgedUsd: a.unhedgedUsd.add(b.unhedgedUsd), hedgedUsd: a.hedgedUsd.add(b.hedgedUsd) });
const zeroPair = (): CostPair => ({ unhedgedUsd: new Decimal(0), hedgedUsd: new Decimal(0) });

/** Deterministic stress of P50 demand and forwards (see header). Classes appear in first-seen order. */
export function stressScenario(lines: readonly ScenarioLine[], shock: Shock, budgetUsd?: DecimalLike | null): ScenarioResult {
  const { spotFactor, demandFactor } = checkShock(shock);
  const byClass = new Map<string, { base: CostPair; stressed: CostPair }>();
  for (const l of lines) {
    const c = byClass.get(l.classKey) ?? { base: zeroPair(), stressed: zeroPair() };
    const demand = dec(l.demandP50Tokens);
    c.base = addPair(c.base, monthCost(demand, l.forwardPerMTokens, l.hedge));
    const hit = applies(shock, l.classKey);
    c.stressed = addPair(c.stressed, monthCost(hit ? demand.mul(demandFactor) : demand, hit ? l.forwardPerMTokens.mul(spotFactor) : l.forwardPerMTokens, l.hedge));
    byClass.set(l.classKey, c);
  }
  const classes = [...byClass.entries()].map(([classKey, v]) => ({ classKey, ...v }));
  const base = classes.reduce((s, c) => addPair(s, c.base), zeroPair());
  const stressed = classes.reduce((s, c) => addPair(s, c.stressed), zeroPair());
  const budget = budgetUsd === null || budgetUsd === undefined ? null : dec(budgetUsd);
  return {
    classes,
    total: { base, stressed, change: { unhedgedUsd: stressed.unhedgedUsd.sub(base.unhedgedUsd), hedgedUsd: stressed.hedgedUsd.sub(base.hedgedUsd) } },
    headroom: budget ? { unhedgedUsd: budget.sub(stressed.unhedgedUsd), hedgedUsd: budget.sub(stressed.hedgedUsd) } : null,
  };
}

export type RiskStats = {
  expectedUsd: Decimal;
  p95Usd: Decimal;
  /** P95 − expected */
  costAtRiskUsd: Decimal;
  /** P(cost > budget); null without a budget */
  budgetExceedProb: number | null;
};
export type RiskClass = {
  /** the simulation input (months, demand quantiles, forwards, vol, months from as-of), as the recommendation run stored it */
  input: ClassInput;
  /** aligned with input.months */
  hedges: readonly MonthHedge[];
  budgetUsd?: DecimalLike | null;
};
export type BudgetAtRisk = {
  paths: number;
  classes: { classKey: string; months: string[]; hedged: RiskStats; unhedged: RiskStats }[];
  total: { hedged: RiskStats; unhedged: RiskStats };
};

const money = (x: number): Decimal => new Decimal(x).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN);

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function stats(costs: Float64Array, budget: DecimalLike | null | undefined): RiskStats {
  const expectedUsd = money(mean(costs));
  const p95Usd = money(quantileOf(costs, 0.95));
  let budgetExceedProb: number | null = null;
  if (budget !== null && budget !== undefined) {
    const b = dec(budget).toNumber();
    let c = 0;
    for (let i = 0; i < costs.length; i++) if (costs[i] > b) c++;
    budgetExceedProb = c / costs.length;
  }
  return { expectedUsd, p95Usd, costAtRiskUsd: p95Usd.sub(expectedUsd), budgetExceedProb };
}

/**
 * A class's per-path sums that make every shock a linear map, when it holds no service credits: with U = Σ_months
 * demand × spot / 1e6, Q = Σ_months financial tokens × spot / 1e6 and F = Σ_months fixed cost, a shock (demand
 * × df, spot × sf) costs df·sf·U unhedged and F + df·sf·U − sf·Q hedged on each path — the month-by-month sum
 * below, rearranged. Credits cap the open demand at zero (not linear): null, and the months are summed per ask.
 */
export type LinearSums = { unhedged: Float64Array; financial: Float64Array; fixedUsd: number };
export function linearSums(c: RiskClass, paths: ClassPaths): LinearSums | null {
  if (c.hedges.some((h) => h.creditTokens !== 0n)) return null;
  const n = paths.paths;
  const unhedged = new Float64Array(n);
  const financial = new Float64Array(n);
  let fixedUsd = 0;
  for (let m = 0; m < paths.months.length; m++) {
    const h = c.hedges[m];
    const qf = Number(h.financialTokens);
    fixedUsd += h.creditNotionalUsd.add(h.financialNotionalUsd).toNumber();
    for (let i = 0; i < n; i++) {
      const s = paths.spot[m * n + i];
      unhedged[i] += (paths.demand[m * n + i] * s) / 1e6;
      financial[i] += (qf * s) / 1e6;
    }
  }
  return { unhedged, financial, fixedUsd };
}

/**
 * Expected and P95 spend, hedged and unhedged, on the simulated paths of each class (see header). `params` are the
 * recommendation run's simulation parameters (paths, seed, correlations, step cuts).
 */
/**
 * `simulate` draws a class's paths (simulateClass, deterministic for its input and parameters); a caller that asks
 * many shocks of the same inputs can hand in one that keeps them, since only the shock differs between the asks,
 * and keep each class's `linearSums` likewise (opts.linear): an ask is then one pass over the paths.
 */
export function budgetAtRisk(
  classes: readonly RiskClass[],
  params: Partial<SimParams>,
  budgetUsd?: DecimalLike | null,
  shock?: Shock | null,
  simulate: (input: ClassInput, params: Partial<SimParams>) => ClassPaths = simulateClass,
  opts: { classStats?: boolean; linear?: (c: RiskClass, paths: ClassPaths) => LinearSums | null } = {},
): BudgetAtRisk {
  // linear: a caller that keeps the paths may keep each class's linear sums with them (same numbers)
  const linear = opts.linear ?? linearSums;
  // classStats: false — only the totals are wanted (the scenario endpoint): each class's order statistics are skipped
  const classStats = opts.classStats ?? true;
  const factors = shock ? checkShock(shock) : null;
  let n = 0;
  let totalHedged: Float64Array | null = null;
  let totalUnhedged: Float64Array | null = null;
  const out: BudgetAtRisk["classes"] = [];
  for (const c of classes) {
    if (c.hedges.length !== c.input.months.length) throw new RangeError(`class ${c.input.classKey}: ${c.hedges.length} hedges for ${c.input.months.length} months`);
    const paths = simulate(c.input, params);
    n = paths.paths;
    totalHedged ??= new Float64Array(n);
    totalUnhedged ??= new Float64Array(n);
    const hit = factors && applies(shock!, c.input.classKey);
    const sf = hit ? factors.spotFactor.toNumber() : 1;
    const df = hit ? factors.demandFactor.toNumber() : 1;
    const lin = linear(c, paths);
    // the class's own arrays only when its statistics are wanted or its months are summed one by one; otherwise
    // its costs go straight into the totals (the same sums)
    const own = classStats || !lin;
    const hedged = own ? new Float64Array(n) : totalHedged;
    const unhedged = own ? new Float64Array(n) : totalUnhedged;
    if (lin) {
      const k = df * sf;
      for (let i = 0; i < n; i++) {
        const u = k * lin.unhedged[i];
        unhedged[i] += u;
        hedged[i] += lin.fixedUsd + u - sf * lin.financial[i];
      }
    } else {
      const M = paths.months.length;
      for (let m = 0; m < M; m++) {
        const h = c.hedges[m];
        const qc = Number(h.creditTokens);
        const qf = Number(h.financialTokens);
        const fixedUsd = h.creditNotionalUsd.add(h.financialNotionalUsd).toNumber();
        for (let i = 0; i < n; i++) {
          const d = paths.demand[m * n + i] * df;
          const s = paths.spot[m * n + i] * sf;
          const open = d > qc ? d - qc : 0;
          unhedged[i] += (d * s) / 1e6;
          hedged[i] += fixedUsd + ((open - qf) * s) / 1e6;
        }
      }
    }
    if (!own) continue;
    for (let i = 0; i < n; i++) {
      totalHedged[i] += hedged[i];
      totalUnhedged[i] += unhedged[i];
    }
    if (classStats) out.push({ classKey: c.input.classKey, months: paths.months, hedged: stats(hedged, c.budgetUsd), unhedged: stats(unhedged, c.budgetUsd) });
  }
  if (!totalHedged || !totalUnhedged) {
    const none: RiskStats = { expectedUsd: new Decimal(0), p95Usd: new Decimal(0), costAtRiskUsd: new Decimal(0), budgetExceedProb: budgetUsd === null || budgetUsd === undefined ? null : 0 };
    return { paths: 0, classes: [], total: { hedged: none, unhedged: none } };
  }
  return { paths: n, classes: out, total: { hedged: stats(totalHedged, budgetUsd), unhedged: stats(totalUnhedged, budgetUsd) } };
}
