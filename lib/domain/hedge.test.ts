import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bandLots,
  type ClassInput,
  DEFAULT_SIM_PARAMS,
  demandAt,
  evaluate,
  fitDemand,
  formatTokens,
  type HedgePolicyInput,
  histogram,
  type MonthInput,
  quantile,
  realisedVolatility,
  recommend,
  recommendPortfolio,
  type SimParams,
  simulateClass,
  Z90,
} from "./hedge";

const B = 1e9;
const NO_CUTS: Partial<SimParams> = { stepCutProbPerMonth: 0 };

const months = (n: number, f: (m: number) => Partial<MonthInput>): MonthInput[] =>
  Array.from({ length: n }, (_, m) => ({
    month: `2027-${String(m + 1).padStart(2, "0")}`,
    demandP10: 10 * B,
    demandP50: 10 * B,
    demandP90: 10 * B,
    forward: 2.5,
    ...f(m),
  }));
const cls = (ms: MonthInput[], annualVol = 0, classKey = "general"): ClassInput => ({ classKey, months: ms, annualVol });
const policy = (p: Partial<HedgePolicyInput> = {}): HedgePolicyInput => ({
  settlement: "FINANCIAL",
  minCoveragePct: 70,
  maxCoveragePct: 90,
  maxOverHedgeProb: 0.1,
  lotTokens: B,
  ...p,
});
/** type-7 quantile by sorting: the reference for the selection-based one */
const refQuantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k];
};
const num = (d: { toNumber(): number }) => d.toNumber();

describe("closed forms with no randomness", () => {
  // D = 2B tokens, F = 2.5, K = ask 2.6 USD per 1M; no vol, no cuts, P10 = P50 = P90
  const input = cls(months(3, () => ({ demandP10: 2 * B, demandP50: 2 * B, demandP90: 2 * B, forward: "2.5", bid: "2.4", ask: "2.6" })));
  const paths = simulateClass(input, { ...NO_CUTS, paths: 2000 });

  it("spot is exactly the forward and demand exactly D", () => {
    expect(new Set(paths.spot)).toEqual(new Set([2.5]));
    expect(new Set(paths.demand)).toEqual(new Set([2 * B]));
  });
  it.each(["FINANCIAL", "SERVICE_CREDITS"] as const)("%s fully hedged: P95 = expected = D·K; unhedged = D·F", (settlement) => {
    const full = evaluate(paths, [2 * B, 2 * B, 2 * B], null, settlement);
    for (const m of full.months) {
      expect(m.expectedUsd.toFixed(6)).toBe("5200.000000"); // 2e9 × 2.6 / 1e6
      expect(m.p95Usd.toFixed(6)).toBe("5200.000000");
      expect(m.costAtRiskUsd.toFixed(6)).toBe("0.000000");
      expect(m.premiumVsUnhedgedUsd.toFixed(6)).toBe("200.000000");
      expect(m.overHedgeProb).toBe(0);
    }
    expect(full.total.expectedUsd.toFixed(6)).toBe("15600.000000");
    expect(full.total.p95Usd.toFixed(6)).toBe("15600.000000");
    const none = evaluate(paths, [0, 0, 0], null, settlement);
    for (const m of none.months) {
      expect(m.expectedUsd.toFixed(6)).toBe("5000.000000");
      expect(m.p95Usd.toFixed(6)).toBe("5000.000000");
    }
  });
  it("partial and excess cover by hand: D = 1B, F = 2, K = 2.2", () => {
    const p = simulateClass(cls(months(1, () => ({ demandP10: B, demandP50: B, demandP90: B, forward: 2, ask: 2.2 }))), { ...NO_CUTS, paths: 500 });
    // Q = 0.5B: Q·K + (D − Q)·F = 1100 + 1000 under both settlements
    expect(evaluate(p, [B / 2], null, "FINANCIAL").months[0].expectedUsd.toFixed(6)).toBe("2100.000000");
    expect(evaluate(p, [B / 2], null, "SERVICE_CREDITS").months[0].expectedUsd.toFixed(6)).toBe("2100.000000");
    // Q = 1.5B: FINANCIAL D·F + Q·(K − F) = 2000 + 300; SERVICE_CREDITS Q·K = 3300 (0.5B credits forfeited)
    const fin = evaluate(p, [1.5 * B], null, "FINANCIAL").months[0];
    const sc = evaluate(p, [1.5 * B], null, "SERVICE_CREDITS").months[0];
    expect(fin.expectedUsd.toFixed(6)).toBe("2300.000000");
    expect(sc.expectedUsd.toFixed(6)).toBe("3300.000000");
    expect(fin.overHedgeProb).toBe(1);
    expect(sc.overHedgeProb).toBe(1);
  });
});

describe("cost identities on random paths", () => {
  it("FINANCIAL with Q = D costs D·K on every path whatever the spot", () => {
    const input = cls(months(6, () => ({ demandP10: 3 * B, demandP50: 3 * B, demandP90: 3 * B, forward: 4, ask: 4.2 })), 0.9);
    const p = simulateClass(input, { paths: 5000, seed: 3, stepCutProbPerMonth: 0.2 });
    expect(Math.max(...p.spot) / Math.min(...p.spot)).toBeGreaterThan(2); // the spot really moves
    const ev = evaluate(p, Array(6).fill(3 * B), null, "FINANCIAL");
    for (const c of ev.totalCosts) expect(c).toBeCloseTo(6 * 3 * 4.2 * 1000, 6);
    expect(ev.total.p95Usd.toFixed(6)).toBe(ev.total.expectedUsd.toFixed(6));
    expect(ev.total.expectedUsd.toFixed(6)).toBe("75600.000000");
  });
  it("SERVICE_CREDITS with Q above every demand costs Q·K (credits forfeited)", () => {
    const input = cls(months(2, () => ({ demandP10: 1 * B, demandP50: 2 * B, demandP90: 3 * B, forward: 3, ask: 3.3 })), 0.6);
    const p = simulateClass(input, { paths: 4000, seed: 9 });
    const q = Math.ceil(Math.max(...p.demand) / B + 1) * B;
    const ev = evaluate(p, [q, q], null, "SERVICE_CREDITS");
    for (const c of ev.totalCosts) expect(c).toBeCloseTo((2 * q * 3.3) / 1e6, 6);
    for (const m of ev.months) expect(m.overHedgeProb).toBe(1);
    expect(ev.total.overHedgeProb).toBe(1);
    expect(ev.total.anyMonthOverHedgeProb).toBe(1);
  });
  it("whole-horizon stats are the per-path sums; premium and cost at risk are differences of the stats", () => {
    const input = cls(months(4, (m) => ({ demandP10: 8 * B, demandP50: (10 + m) * B, demandP90: 13 * B, forward: 2 + m * 0.1, ask: 2.05 + m * 0.1 })), 0.5);
    const p = simulateClass(input, { paths: 3000, seed: 5 });
    const q = [8 * B, 8 * B, 9 * B, 9 * B];
    const ev = evaluate(p, q, null, "FINANCIAL", { totalUsd: 100_000, monthlyUsd: [22_000, null, null, null] });
    const un = evaluate(p, [0, 0, 0, 0], null, "FINANCIAL");
    const sumMonths = ev.months.reduce((s, m) => s + num(m.expectedUsd), 0);
    expect(num(ev.total.expectedUsd)).toBeCloseTo(sumMonths, 3);
    expect(ev.total.quantityTokens).toBe(34 * B);
    expect(ev.total.costAtRiskUsd.eq(ev.total.p95Usd.sub(ev.total.expectedUsd))).toBe(true);
    expect(ev.total.premiumVsUnhedgedUsd.eq(ev.total.expectedUsd.sub(un.total.expectedUsd))).toBe(true);
    expect(ev.months[0].premiumVsUnhedgedUsd.eq(ev.months[0].expectedUsd.sub(un.months[0].expectedUsd))).toBe(true);
    const exceed = [...ev.totalCosts].filter((c) => c > 100_000).length / 3000;
    expect(ev.total.budgetExceedProb).toBe(exceed);
    expect(ev.months[0].budgetExceedProb).not.toBeNull();
    expect(ev.months[1].budgetExceedProb).toBeNull();
    expect(num(ev.total.p95Usd)).toBeCloseTo(refQuantile([...ev.totalCosts], 0.95), 4);
  });
});

describe("demand model", () => {
  it("the two-piece lognormal honours P10, P50 and P90 (100k samples, within 2%)", () => {
    for (const [p10, p50, p90] of [
      [80, 100, 150],
      [50, 100, 110],
      [0, 100, 180], // P10 = 0: linear lower piece, floored at zero
    ]) {
      const p = simulateClass(cls(months(1, () => ({ demandP10: p10 * B, demandP50: p50 * B, demandP90: p90 * B })), 0.3), { paths: 100_000, seed: 11 });
      const d = Array.from(p.demand);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
      expect(quantile(d, 0.5) / (p50 * B)).toBeCloseTo(1, 1);
      expect(Math.abs(quantile(d, 0.5) / (p50 * B) - 1)).toBeLessThan(0.02);
      expect(Math.abs(quantile(d, 0.9) / (p90 * B) - 1)).toBeLessThan(0.02);
      if (p10 > 0) expect(Math.abs(quantile(d, 0.1) / (p10 * B) - 1)).toBeLessThan(0.02);
      else expect(quantile(d, 0.1)).toBeLessThan(0.02 * p50 * B);
    }
  });
  it("the fit's sigmas come from the quantile ratios", () => {
    const f = fitDemand(80, 100, 150);
    expect(f.sigmaLow).toBeCloseTo(Math.log(100 / 80) / 1.2816, 4);
    expect(f.sigmaHigh).toBeCloseTo(Math.log(150 / 100) / 1.2816, 4);
    expect(demandAt(f, -Z90)).toBeCloseTo(80, 9);
    expect(demandAt(f, Z90)).toBeCloseTo(150, 9);
    expect(demandAt(fitDemand(5, 5, 5), 3)).toBe(5);
    expect(() => fitDemand(5, 4, 6)).toThrow(/P10 ≤ P50 ≤ P90/);
  });
  it("demand shocks are AR(1) across months and correlated with price at the given rho", () => {
    // symmetric in logs, so ln D is normal; no cuts, so ln S is normal
    const input = cls(months(3, () => ({ demandP10: 100 * B * Math.exp(-0.2 * Z90), demandP50: 100 * B, demandP90: 100 * B * Math.exp(0.2 * Z90) })), 0.5);
    const p = simulateClass(input, { paths: 40_000, seed: 4, ...NO_CUTS, demandMonthCorrelation: 0.6, demandPriceCorrelation: -0.3 });
    const n = p.paths;
    const col = (a: Float64Array, m: number) => Array.from(a.subarray(m * n, (m + 1) * n), Math.log);
    const corr = (x: number[], y: number[]) => {
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < x.length; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
        syy += (y[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(corr(col(p.demand, 0), col(p.demand, 1))).toBeCloseTo(0.6, 1);
    expect(corr(col(p.demand, 0), col(p.demand, 2))).toBeCloseTo(0.36, 1);
    for (const m of [0, 2]) expect(Math.abs(corr(col(p.demand, m), col(p.spot, m)) + 0.3)).toBeLessThan(0.03);
  });
});

describe("price model", () => {
  it("the spot is unbiased: its mean is the forward in every month, step cuts included (within 4 standard errors)", () => {
    const input = cls(months(12, (m) => ({ forward: 3 * Math.exp(-0.02 * m) })), 0.8);
    const p = simulateClass(input, { paths: 50_000, seed: 21, stepCutProbPerMonth: 0.1, stepCutPct: 30 });
    const n = p.paths;
    for (let m = 0; m < 12; m++) {
      const s = Array.from(p.spot.subarray(m * n, (m + 1) * n));
      const mean = s.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(mean - p.forward[m])).toBeLessThan((4 * sd) / Math.sqrt(n));
    }
    // the cuts are real: a good share of late paths sit at least one cut below the forward's no-cut level
    const last = Array.from(p.spot.subarray(11 * n));
    expect(quantile(last, 0.5)).toBeLessThan(p.forward[11]);
  });
  it("log-spot spread grows with √t: σ√t at the middle of the month, t = (index + 0.5)/12", () => {
    const p = simulateClass(cls(months(12, () => ({})), 0.4), { paths: 40_000, seed: 8, ...NO_CUTS });
    const n = p.paths;
    for (const m of [0, 5, 11]) {
      const l = Array.from(p.spot.subarray(m * n, (m + 1) * n), Math.log);
      const mu = l.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(l.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1));
      expect(sd / (0.4 * Math.sqrt((m + 0.5) / 12))).toBeCloseTo(1, 1);
    }
  });
  it("realisedVolatility annualises the sample stdev of daily log changes with √365", () => {
    expect(realisedVolatility([1, 1.01, 1.0201, 1.030301])).toBeCloseTo(0, 12);
    // ±ln 1.1 alternating: 4 changes, mean 0, sample variance = 4·ln²1.1 / 3
    const v = realisedVolatility([100, 110, 100, 110, 100]);
    expect(v).toBeCloseTo(Math.sqrt((4 * Math.log(1.1) ** 2) / 3) * Math.sqrt(365), 12);
    expect(realisedVolatility([5])).toBe(0);
    expect(realisedVolatility([100, 0, 110, 100])).toBeCloseTo(realisedVolatility([100, 110, 100]), 12);
  });
});

describe("recommendation", () => {
  it("rounds to lots inside the band and picks the top when P95 falls all the way (K = F, fixed demand)", () => {
    // D = 10.5B: band 70–90% = 7.35B..9.45B → lots 8B and 9B
    const input = cls(months(2, () => ({ demandP10: 10.5 * B, demandP50: 10.5 * B, demandP90: 10.5 * B, forward: 2 })), 0.6);
    const r = recommend(input, policy(), { paths: 4000, seed: 2 });
    for (const m of r.months) {
      expect(m.quantityTokens).toBe(9 * B);
      expect(m.lots).toBe(9);
      expect(m.quantityTokens % B).toBe(0);
      expect(m.binding).toBe("bandMax");
      expect(m.coveragePctOfP50).toBeCloseTo((9 / 10.5) * 100, 9);
      expect(m.strategies.policyMinimum.quantityTokens).toBe(8 * B);
      expect(m.strategies.unhedged.quantityTokens).toBe(0);
      expect(m.contractCostUsd.toFixed(6)).toBe("18000.000000");
      expect(m.why).toMatch(/^86% of P50: P95 cost falls across the whole 70%–90% band/);
    }
    expect(bandLots(10.5 * B, { minCoveragePct: 70, maxCoveragePct: 90 }, B)).toMatchObject({ kMin: 8, kMax: 9 });
    // exact decimal band edges: 70% of 10B is exactly 7 lots, not 8
    expect(bandLots(10 * B, { minCoveragePct: 70, maxCoveragePct: 90 }, B)).toMatchObject({ kMin: 7, kMax: 9 });
    expect(bandLots(3 * B, { minCoveragePct: 70, maxCoveragePct: 90 }, 1)).toMatchObject({ kMin: 2.1 * B, kMax: 2.7 * B });
  });
  it("the over-hedge limit binds: the largest lot multiple with P(Q > D) ≤ limit", () => {
    const input = cls(months(3, () => ({ demandP10: 80 * B, demandP50: 100 * B, demandP90: 125 * B, forward: 2 })), 0.7);
    const r = recommend(input, policy({ minCoveragePct: 50, maxCoveragePct: 100, maxOverHedgeProb: 0.1 }), { paths: 10_000, seed: 12 });
    const p = simulateClass(input, { paths: 10_000, seed: 12 });
    for (const [m, mo] of r.months.entries()) {
      expect(mo.binding).toBe("overHedgeLimit");
      expect(mo.strategies.recommended.overHedgeProb).toBeLessThanOrEqual(0.1);
      const next = Array(3).fill(0);
      next[m] = mo.quantityTokens + B;
      expect(evaluate(p, next, null, "FINANCIAL").months[m].overHedgeProb).toBeGreaterThan(0.1);
      expect(mo.quantityTokens / B).toBeGreaterThanOrEqual(78);
      expect(mo.quantityTokens / B).toBeLessThanOrEqual(81);
      expect(mo.why).toMatch(/% of P50: P95 cost falls until the over-hedge limit of 10% binds at [\d.]+B tokens$/);
    }
    // recommended P95 is no worse than the policy minimum or unhedged on the same paths
    expect(num(r.total.recommended.p95Usd)).toBeLessThanOrEqual(num(r.total.policyMinimum.p95Usd));
    expect(num(r.total.recommended.p95Usd)).toBeLessThan(num(r.total.unhedged.p95Usd));
  });
  it("is the P95 minimiser over all lot multiples of the band that meet the limit (brute force, fine lots)", () => {
    const input = cls(months(2, (m) => ({ demandP10: 60 * B, demandP50: 100 * B, demandP90: 130 * B, forward: 2, ask: m === 0 ? 2.3 : 2.1 })), 0.5);
    const pol = policy({ minCoveragePct: 20, maxCoveragePct: 100, maxOverHedgeProb: 0.25, lotTokens: B });
    const params = { paths: 3000, seed: 31 };
    const r = recommend(input, pol, params); // coarse-to-fine grid (more than 24 candidates)
    const exact = recommend(input, pol, params, null, { exhaustiveUpTo: 10_000 }); // every lot multiple, as the CLI does
    const p = simulateClass(input, params);
    for (let m = 0; m < 2; m++) {
      let best = -1;
      let bestV = Infinity;
      for (let k = 20; k <= 100; k++) {
        const q = [0, 0];
        q[m] = k * B;
        const st = evaluate(p, q, null, "FINANCIAL").months[m];
        if (st.overHedgeProb > 0.25) break;
        if (num(st.p95Usd) < bestV - 1e-6) {
          best = k;
          bestV = num(st.p95Usd);
        }
      }
      expect(exact.months[m].lots).toBe(best);
      expect(num(exact.months[m].strategies.recommended.p95Usd)).toBe(bestV);
      // the grid lands on the same lot here (P95 is unimodal in Q); at worst it would be a near-tie
      expect(r.months[m].lots).toBe(best);
    }
  });
  it("picks the band minimum when cover is expensive (ask well above the forward)", () => {
    const input = cls(months(1, () => ({ demandP10: 9 * B, demandP50: 10 * B, demandP90: 11 * B, forward: 2, ask: 3 })), 0.3);
    const r = recommend(input, policy(), { paths: 4000, seed: 2 });
    expect(r.months[0].quantityTokens).toBe(7 * B);
    expect(r.months[0].binding).toBe("bandMin");
    expect(r.months[0].why).toMatch(/^70% of P50: more cover raises P95 cost/);
  });
  it("ties go to the smaller quantity (no vol, no cuts, K = F: every quantity costs the same)", () => {
    const input = cls(months(2, () => ({})));
    const r = recommend(input, policy(), { paths: 1000, ...NO_CUTS });
    for (const m of r.months) expect(m.quantityTokens).toBe(7 * B);
  });
  it("warns and holds the band minimum when no lot multiple in the band meets the over-hedge limit", () => {
    const input = cls(months(1, () => ({ demandP10: 50 * B, demandP50: 100 * B, demandP90: 150 * B })), 0.3);
    const r = recommend(input, policy({ minCoveragePct: 80.5, maxCoveragePct: 95, maxOverHedgeProb: 0.05 }), { paths: 4000, seed: 1 });
    const m = r.months[0];
    expect(m.binding).toBe("infeasible");
    expect(m.quantityTokens).toBe(81 * B); // 80.5B rounded up to a lot
    expect(m.strategies.recommended.overHedgeProb).toBeGreaterThan(0.05);
    expect(m.warnings.join(" ")).toMatch(/over-hedge: no lot multiple in the band meets the 5% limit/);
    expect(r.warnings[0]).toMatch(/^2027-01 over-hedge/);
  });
  it("rounds the band minimum down when the band holds no whole lot, with a warning", () => {
    // P50 1.5B: band 1.05B..1.35B holds no multiple of 1B → 1B (below the band)
    const input = cls(months(1, () => ({ demandP10: 1.5 * B, demandP50: 1.5 * B, demandP90: 1.5 * B })), 0.3);
    const r = recommend(input, policy(), { paths: 1000 });
    expect(r.months[0].quantityTokens).toBe(B);
    expect(r.months[0].binding).toBe("noLotInBand");
    expect(r.months[0].strategies.policyMinimum.quantityTokens).toBe(B);
    expect(r.months[0].warnings.join(" ")).toMatch(/lot size: the band holds no whole lot/);
    // and a P50 of zero hedges nothing
    const z = recommend(cls(months(1, () => ({ demandP10: 0, demandP50: 0, demandP90: 0 }))), policy(), { paths: 500 });
    expect(z.months[0].quantityTokens).toBe(0);
    expect(z.months[0].coveragePctOfP50).toBeNull();
  });
  it("per-tenor bands override the single band", () => {
    // ask 3× the forward: above the spot's P95 at every tenor, so cover only adds cost
    const input = cls(months(12, () => ({ demandP10: 100 * B, demandP50: 100 * B, demandP90: 100 * B, forward: 2, ask: 6 })), 0.3);
    const bands = [
      { fromMonth: 1, toMonth: 3, minCoveragePct: 80, maxCoveragePct: 90 },
      { fromMonth: 4, toMonth: 6, minCoveragePct: 60, maxCoveragePct: 80 },
    ];
    const r = recommend(input, policy({ minCoveragePct: 30, maxCoveragePct: 50, bands }), { paths: 500 });
    // expensive cover → each band's minimum
    expect(r.months.map((m) => m.quantityTokens / B)).toEqual([80, 80, 80, 60, 60, 60, 30, 30, 30, 30, 30, 30]);
    expect(r.months.map((m) => m.tenor)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
  it("carries curve flags as warnings, evaluates custom quantities and builds the histogram on the same paths", () => {
    const input = cls(months(3, (m) => ({ demandP10: 8 * B, demandP50: 10 * B, demandP90: 13 * B, flags: m === 2 ? ["stale", "thin"] : [] })), 0.5);
    const r = recommend(input, policy(), { paths: 2000, seed: 6 }, [5 * B, 6 * B, 7 * B]);
    expect(r.months[2].warnings.map((w) => w.split(":")[0])).toEqual(["stale", "thin"]);
    expect(r.months[0].warnings).toEqual([]);
    expect(r.months.map((m) => m.strategies.custom?.quantityTokens)).toEqual([5 * B, 6 * B, 7 * B]);
    expect(r.total.custom?.quantityTokens).toBe(18 * B);
    const bins = r.histogram.bins;
    expect(bins.reduce((s, b) => s + b.hedged, 0)).toBe(2000);
    expect(bins.reduce((s, b) => s + b.unhedged, 0)).toBe(2000);
    for (let i = 1; i < bins.length; i++) expect(bins[i].fromUsd).toBeCloseTo(bins[i - 1].toUsd, 6);
    expect(() => recommend(input, policy(), { paths: 100 }, [1.5, 0, 0])).toThrow(/whole number of tokens/);
  });
  it("validates the policy", () => {
    const input = cls(months(1, () => ({})));
    expect(() => recommend(input, policy({ minCoveragePct: 95, maxCoveragePct: 90 }))).toThrow(/minCoveragePct ≤ maxCoveragePct/);
    expect(() => recommend(input, policy({ lotTokens: 0 }))).toThrow(/lotTokens/);
    expect(() => recommend(input, policy({ maxOverHedgeProb: 10 }))).toThrow(/maxOverHedgeProb/);
    expect(() => recommend(input, policy({ lotTokens: 1_000_000_000n }), { paths: 200 })).not.toThrow();
  });
});

describe("determinism and portfolios", () => {
  const input = cls(months(4, (m) => ({ demandP10: 8 * B, demandP50: (10 + m) * B, demandP90: 14 * B })), 0.5);
  it("same seed → identical paths and numbers; another seed → different", () => {
    const a = simulateClass(input, { paths: 3000, seed: 42 });
    const b = simulateClass(input, { paths: 3000, seed: 42 });
    const c = simulateClass(input, { paths: 3000, seed: 43 });
    expect(Buffer.from(a.demand.buffer).equals(Buffer.from(b.demand.buffer))).toBe(true);
    expect(Buffer.from(a.spot.buffer).equals(Buffer.from(b.spot.buffer))).toBe(true);
    expect(Buffer.from(a.spot.buffer).equals(Buffer.from(c.spot.buffer))).toBe(false);
    const r1 = recommend(input, policy(), { paths: 3000, seed: 42 });
    const r2 = recommend(input, policy(), { paths: 3000, seed: 42 });
    expect(JSON.stringify(r1)).toBe(JSON.stringify(r2));
  });
  it("a class gets the same numbers alone or in a portfolio; portfolio totals add the classes path by path", () => {
    const other = cls(months(4, () => ({ demandP10: 3 * B, demandP50: 4 * B, demandP90: 6 * B, forward: 10 })), 0.7, "frontier");
    const params = { paths: 2000, seed: 3 };
    const alone = recommend(input, policy(), params);
    const pf = recommendPortfolio([other, input], policy(), params);
    expect(JSON.stringify(pf.classes[1])).toBe(JSON.stringify(alone));
    const sumExpected = num(pf.classes[0].total.recommended.expectedUsd) + num(pf.classes[1].total.recommended.expectedUsd);
    expect(num(pf.total.recommended.expectedUsd)).toBeCloseTo(sumExpected, 3);
    expect(pf.total.recommended.quantityTokens).toBe(pf.classes[0].total.recommended.quantityTokens + alone.total.recommended.quantityTokens);
    expect(pf.histogram.bins.reduce((s, b) => s + b.hedged, 0)).toBe(2000);
    expect(() => recommendPortfolio([input, input], policy(), params)).toThrow(/twice/);
  });
  it("defaults are documented values", () => {
    expect(DEFAULT_SIM_PARAMS).toEqual({ paths: 10_000, seed: 1, demandMonthCorrelation: 0.6, demandPriceCorrelation: 0, stepCutProbPerMonth: 0.05, stepCutPct: 30 });
    expect(formatTokens(1.6e9)).toBe("1.6B");
    expect(formatTokens(250e6)).toBe("250M");
  });
});

describe("properties", () => {
  it("P95 by selection equals P95 by sorting (type 7), for any sample", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
        expect(quantile(xs, p)).toBeCloseTo(refQuantile(xs, p), 6);
      }),
      { numRuns: 60 },
    );
  });

  // With fixed demand D and Q ≤ D the cost Q·K + (D − Q)·S is increasing in S on every path, so on common random
  // numbers P95(Q) = Q·K + (D − Q)·P95(S): its slope in Q is K − P95(S) ≤ 0 whenever K ≤ E[S] = F ≤ P95(S).
  // (P95(S) ≥ F here: with vol ≤ 1 and cuts ≤ 10%/month, well over 5% of paths sit above the forward.) The
  // tolerance only absorbs float rounding when K = F and S ≡ F.
  it("more hedge inside the band never raises P95 cost when the strike is at or below the expected spot", () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 1, max: 500 }),
          f: fc.double({ min: 0.05, max: 60, noNaN: true }),
          discount: fc.double({ min: 0, max: 0.5, noNaN: true }),
          vol: fc.double({ min: 0, max: 1, noNaN: true }),
          cutProb: fc.double({ min: 0, max: 0.1, noNaN: true }),
          cutPct: fc.double({ min: 0, max: 50, noNaN: true }),
          months: fc.integer({ min: 1, max: 12 }),
          settlement: fc.constantFrom("FINANCIAL" as const, "SERVICE_CREDITS" as const),
          seed: fc.integer({ min: 0, max: 1e6 }),
          fracs: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
        }),
        (c) => {
          const D = c.d * B;
          const K = c.f * (1 - c.discount);
          const input = cls(months(c.months, () => ({ demandP10: D, demandP50: D, demandP90: D, forward: c.f, ask: K })), c.vol);
          const p = simulateClass(input, { paths: 2000, seed: c.seed, stepCutProbPerMonth: c.cutProb, stepCutPct: c.cutPct });
          const qs = [...new Set(c.fracs.map((x) => Math.round(x * c.d) * B))].sort((a, b) => a - b);
          const m = c.months - 1;
          let prev = Infinity;
          for (const q of qs) {
            const quantities = Array(c.months).fill(0);
            quantities[m] = q;
            const v = num(evaluate(p, quantities, null, c.settlement).months[m].p95Usd);
            expect(v).toBeLessThanOrEqual(prev + 1e-9 * Math.abs(prev) + 2e-6);
            prev = v;
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("over-hedge probability is non-decreasing in the quantity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        (a, b, c, lots, seed) => {
          const [p10, p50, p90] = [a, b, c].sort((x, y) => x - y);
          const input = cls(months(1, () => ({ demandP10: p10 * B, demandP50: p50 * B, demandP90: p90 * B })), 0.4);
          const p = simulateClass(input, { paths: 1000, seed });
          let prev = -1;
          for (const k of [...lots].sort((x, y) => x - y)) {
            const o = evaluate(p, [k * B], null, "SERVICE_CREDITS").months[0].overHedgeProb;
            expect(o).toBeGreaterThanOrEqual(prev);
            prev = o;
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("histogram range", () => {
  it("spans the bulk of both samples; extreme paths land in the edge bins, counts are kept", () => {
    const a = Array.from({ length: 999 }, (_, i) => i / 999);
    const h = histogram([...a, 1000], a, 40);
    const inner = h.bins[1];
    // without the percentile range, one path at 1000 would make every bin 25 wide and put all else in bin 0
    expect(inner.toUsd - inner.fromUsd).toBeLessThan(0.05);
    expect(h.bins.at(-1)!.toUsd).toBe(1000);
    expect(h.bins.reduce((s, b) => s + b.hedged, 0)).toBe(1000);
    expect(h.bins.reduce((s, b) => s + b.unhedged, 0)).toBe(999);
  });
});
