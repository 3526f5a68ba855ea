import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { budgetAtRisk, hedgesByMonth, linearSums, monthCost, NO_HEDGE, SCENARIO_PRESETS, stressScenario, type MonthHedge, type ScenarioLine } from "./scenario";
import { evaluate, simulateClass, type ClassInput, type ClassPaths, type SimParams } from "./hedge";

const B = 1_000_000_000n;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const hedge = (h: Partial<{ financialTokens: bigint; financialStrike: string; creditTokens: bigint; creditStrike: string }>): MonthHedge => ({
  financialTokens: h.financialTokens ?? 0n,
  financialNotionalUsd: new Decimal((h.financialTokens ?? 0n).toString()).mul(h.financialStrike ?? 0).div(1e6),
  creditTokens: h.creditTokens ?? 0n,
  creditNotionalUsd: new Decimal((h.creditTokens ?? 0n).toString()).mul(h.creditStrike ?? 0).div(1e6),
});

describe("monthCost — hand-computed", () => {
  it("financial: the swap pays (K − S) per token whatever the usage", () => {
    // 10B tokens at $2/M = $20,000 unhedged; 6B fixed at $2.10 adds 6B × 0.10 / 1e6 = $600
    const base = monthCost(10n * B, "2", hedge({ financialTokens: 6n * B, financialStrike: "2.10" }));
    expect(base.unhedgedUsd.toString()).toBe("20000");
    expect(base.hedgedUsd.toString()).toBe("20600");
    // spot halves to $1: unhedged $10,000; hedged 10,000 + 6B × (2.10 − 1) / 1e6 = 16,600
    const cut = monthCost(10n * B, "1", hedge({ financialTokens: 6n * B, financialStrike: "2.10" }));
    expect(cut.unhedgedUsd.toString()).toBe("10000");
    expect(cut.hedgedUsd.toString()).toBe("16600");
  });

  it("service credits: the first q tokens at strike, the rest at spot, unused credits forfeited", () => {
    // demand 20B, 4B of credits at $1.90: 4B × 1.9 / 1e6 + 16B × 2 / 1e6 = 7,600 + 32,000
    expect(monthCost(20n * B, "2", hedge({ creditTokens: 4n * B, creditStrike: "1.90" })).hedgedUsd.toString()).toBe("39600");
    // demand 5B under 8B of credits: 8B × 1.9 / 1e6 = 15,200 paid, 3B forfeited; unhedged 10,000
    const low = monthCost(5n * B, "2", hedge({ creditTokens: 8n * B, creditStrike: "1.90" }));
    expect(low.hedgedUsd.toString()).toBe("15200");
    expect(low.unhedgedUsd.toString()).toBe("10000");
  });

  it("both kinds in one month add up", () => {
    // 10B demand, spot 3: credits 2B @ 2 = 4,000 + 8B × 3 = 24,000 at spot; financial 5B @ 2.5: + 5B × (2.5 − 3) = −2,500
    expect(monthCost(10n * B, "3", hedge({ creditTokens: 2n * B, creditStrike: "2", financialTokens: 5n * B, financialStrike: "2.5" })).hedgedUsd.toString()).toBe("25500");
  });
});

describe("stressScenario — hand-computed", () => {
  const lines: ScenarioLine[] = [
    { classKey: "chat", month: "2027-01", demandP50Tokens: 10n * B, forwardPerMTokens: new Decimal(2), hedge: hedge({ financialTokens: 6n * B, financialStrike: "2.10" }) },
    { classKey: "chat", month: "2027-02", demandP50Tokens: 10n * B, forwardPerMTokens: new Decimal(2), hedge: NO_HEDGE },
    { classKey: "code", month: "2027-01", demandP50Tokens: 5n * B, forwardPerMTokens: new Decimal(4), hedge: hedge({ creditTokens: 4n * B, creditStrike: "4" }) },
  ];

  it("no shock: the base and the scenario agree", () => {
    const r = stressScenario(lines, { spotChangePct: 0, demandChangePct: 0 }, "70000");
    // chat: 20,000 + 20,000 unhedged; hedged 20,600 + 20,000. code: 20,000 either way (4B × 4 + 1B × 4)
    expect(r.total.base.unhedgedUsd.toString()).toBe("60000");
    expect(r.total.base.hedgedUsd.toString()).toBe("60600");
    expect(r.total.change.hedgedUsd.toString()).toBe("0");
    expect(r.headroom!.hedgedUsd.toString()).toBe("9400");
  });

  it("provider cuts price 50% (all classes): the unhedged bill halves, the hedge pays for its fixed price", () => {
    const preset = SCENARIO_PRESETS.find((p) => p.id === "price-cut")!;
    const r = stressScenario(lines, preset, "70000");
    // chat Jan: 10,000 / 16,600; chat Feb: 10,000 / 10,000; code: unhedged 5B × 2 = 10,000, hedged 16,000 + 1B × 2 = 18,000
    expect(r.total.stressed.unhedgedUsd.toString()).toBe("30000");
    expect(r.total.stressed.hedgedUsd.toString()).toBe("44600");
    expect(r.total.change.unhedgedUsd.toString()).toBe("-30000");
    expect(r.total.change.hedgedUsd.toString()).toBe("-16000");
    expect(r.classes.map((c) => c.classKey)).toEqual(["chat", "code"]);
  });

  it("demand doubles on one class only", () => {
    const r = stressScenario(lines, { spotChangePct: 0, demandChangePct: 100, classKey: "code" }, null);
    const code = r.classes.find((c) => c.classKey === "code")!;
    // 10B at $4: unhedged 40,000; hedged 16,000 + 6B × 4 = 40,000
    expect(code.stressed.unhedgedUsd.toString()).toBe("40000");
    expect(code.stressed.hedgedUsd.toString()).toBe("40000");
    // chat untouched
    expect(r.classes.find((c) => c.classKey === "chat")!.stressed.hedgedUsd.toString()).toBe("40600");
    expect(r.headroom).toBeNull();
  });

  it("supply squeeze +30% spot", () => {
    const r = stressScenario(lines.slice(0, 1), SCENARIO_PRESETS.find((p) => p.id === "supply-squeeze")!);
    // spot 2.6: unhedged 26,000; hedged 26,000 + 6B × (2.10 − 2.6) = 23,000
    expect(r.total.stressed.unhedgedUsd.toString()).toBe("26000");
    expect(r.total.stressed.hedgedUsd.toString()).toBe("23000");
  });

  it("refuses shocks outside −80…+200% spot and −50…+100% demand", () => {
    expect(() => stressScenario(lines, { spotChangePct: -81, demandChangePct: 0 })).toThrow(/spot change/);
    expect(() => stressScenario(lines, { spotChangePct: 201, demandChangePct: 0 })).toThrow(/spot change/);
    expect(() => stressScenario(lines, { spotChangePct: 0, demandChangePct: -51 })).toThrow(/demand change/);
    expect(() => stressScenario(lines, { spotChangePct: 0, demandChangePct: 101 })).toThrow(/demand change/);
    expect(() => stressScenario(lines, { spotChangePct: -80, demandChangePct: 100 })).not.toThrow();
  });
});

describe("hedgesByMonth", () => {
  it("splits contracts over months and keeps exact notionals per settlement type", () => {
    const h = hedgesByMonth([
      // 2027-01-17..02-28: 43 days → 15B in January, 28B in February
      { id: "a", modelClass: "chat", quantityTokens: 43n * B, windowStart: day("2027-01-17"), windowEnd: day("2027-02-28"), strikePerMTokens: new Decimal("2.5"), settlement: "FINANCIAL" },
      { id: "b", modelClass: "chat", quantityTokens: 31n * B, windowStart: day("2027-01-01"), windowEnd: day("2027-01-31"), strikePerMTokens: new Decimal("1.2"), settlement: "SERVICE_CREDITS" },
      { id: "c", modelClass: "chat", quantityTokens: 31n * B, windowStart: day("2027-01-01"), windowEnd: day("2027-01-31"), strikePerMTokens: new Decimal("3.5"), settlement: "FINANCIAL" },
    ]);
    const jan = h.get("chat|2027-01")!;
    expect(jan.financialTokens).toBe(46n * B);
    expect(jan.financialNotionalUsd.toString()).toBe(String(15_000 * 2.5 + 31_000 * 3.5)); // 37,500 + 108,500
    expect(jan.creditTokens).toBe(31n * B);
    expect(jan.creditNotionalUsd.toString()).toBe("37200");
    expect(h.get("chat|2027-02")!.financialNotionalUsd.toString()).toBe("70000");
  });
});

describe("budgetAtRisk", () => {
  const fixed: ClassInput = {
    classKey: "chat",
    months: [
      { month: "2027-01", demandP10: 10e9, demandP50: 10e9, demandP90: 10e9, forward: "2" },
      { month: "2027-02", demandP10: 10e9, demandP50: 10e9, demandP90: 10e9, forward: "2" },
    ],
    annualVol: 0,
  };

  it("without uncertainty every path costs the hand-computed amount", () => {
    const r = budgetAtRisk([{ input: fixed, hedges: [hedge({ financialTokens: 6n * B, financialStrike: "2.10" }), NO_HEDGE] }], { paths: 200, stepCutProbPerMonth: 0 }, "40300");
    expect(r.total.unhedged.expectedUsd.toString()).toBe("40000");
    expect(r.total.unhedged.p95Usd.toString()).toBe("40000");
    expect(r.total.hedged.expectedUsd.toString()).toBe("40600");
    expect(r.total.hedged.costAtRiskUsd.toString()).toBe("0");
    expect(r.total.unhedged.budgetExceedProb).toBe(0);
    expect(r.total.hedged.budgetExceedProb).toBe(1);
  });

  it("a shock scales spot and demand on every path", () => {
    const r = budgetAtRisk([{ input: fixed, hedges: [hedge({ financialTokens: 6n * B, financialStrike: "2.10" }), NO_HEDGE] }], { paths: 50, stepCutProbPerMonth: 0 }, null, { spotChangePct: -50, demandChangePct: 0 });
    // as the deterministic scenario: 10,000 + 10,000 unhedged; 16,600 + 10,000 hedged
    expect(r.total.unhedged.expectedUsd.toString()).toBe("20000");
    expect(r.total.hedged.expectedUsd.toString()).toBe("26600");
    expect(r.total.hedged.budgetExceedProb).toBeNull();
  });

  const risky: ClassInput = {
    classKey: "chat",
    months: [
      { month: "2027-01", demandP10: 8e9, demandP50: 10e9, demandP90: 13e9, forward: "2", ask: "2.05" },
      { month: "2027-02", demandP10: 7e9, demandP50: 10e9, demandP90: 14e9, forward: "1.9", ask: "1.95" },
    ],
    annualVol: 0.5,
  };
  const params = { paths: 4000, seed: 7 };

  it("financial-only and credits-only hedges cost exactly what hedge.ts's evaluate says on the same paths", () => {
    const paths = simulateClass(risky, params);
    for (const settlement of ["FINANCIAL", "SERVICE_CREDITS"] as const) {
      const q = [7e9, 5e9];
      const ev = evaluate(paths, q, null, settlement);
      const h = (i: number): MonthHedge =>
        settlement === "FINANCIAL"
          ? { ...NO_HEDGE, financialTokens: BigInt(q[i]), financialNotionalUsd: paths.strikeDecimal[i].mul(q[i]).div(1e6) }
          : { ...NO_HEDGE, creditTokens: BigInt(q[i]), creditNotionalUsd: paths.strikeDecimal[i].mul(q[i]).div(1e6) };
      const r = budgetAtRisk([{ input: risky, hedges: [h(0), h(1)] }], params);
      expect(r.total.hedged.expectedUsd.toNumber()).toBeCloseTo(ev.total.expectedUsd.toNumber(), 2);
      expect(r.total.hedged.p95Usd.toNumber()).toBeCloseTo(ev.total.p95Usd.toNumber(), 2);
      const un = evaluate(paths, [0, 0], null, settlement);
      expect(r.total.unhedged.expectedUsd.toNumber()).toBeCloseTo(un.total.expectedUsd.toNumber(), 2);
    }
  });

  it("paths kept between asks give the same answer as drawing them again, for any shock", () => {
    const kept = new Map<ClassInput, ClassPaths>();
    let draws = 0;
    const keep = (input: ClassInput, p: Partial<SimParams>) => kept.get(input) ?? (draws++, kept.set(input, simulateClass(input, p)).get(input)!);
    const classes = [{ input: risky, hedges: [hedge({ financialTokens: 8n * B, financialStrike: "2.05" }), NO_HEDGE] }];
    for (const shock of [null, { spotChangePct: 30, demandChangePct: 20 }, { spotChangePct: -50, demandChangePct: -10 }])
      expect(budgetAtRisk(classes, params, "100000", shock, keep)).toEqual(budgetAtRisk(classes, params, "100000", shock));
    expect(draws).toBe(1);
  });

  it("a class's linear sums give the month-by-month costs for any shock; credits are summed month by month", () => {
    const financialOnly = { input: risky, hedges: [hedge({ financialTokens: 8n * B, financialStrike: "2.05" }), NO_HEDGE] };
    const credits = { input: { ...risky, classKey: "code" }, hedges: [{ ...NO_HEDGE, creditTokens: 6n * B, creditNotionalUsd: new Decimal(12000) }, NO_HEDGE] };
    expect(linearSums(credits, simulateClass(credits.input, params))).toBeNull();
    const paths = simulateClass(risky, params);
    const lin = linearSums(financialOnly, paths)!;
    // F: 8B × 2.05 / 1e6 = 16,400 fixed; path 0's unhedged sum is Σ demand × spot / 1e6 over its two months
    expect(lin.fixedUsd).toBe(16400);
    expect(lin.unhedged[0]).toBeCloseTo((paths.demand[0] * paths.spot[0] + paths.demand[4000] * paths.spot[4000]) / 1e6, 6);
    for (const shock of [null, { spotChangePct: 30, demandChangePct: 20 }, { spotChangePct: -80, demandChangePct: 100 }, { spotChangePct: 200, demandChangePct: -50, classKey: "chat" }]) {
      const classes = [financialOnly, credits];
      const linear = budgetAtRisk(classes, params, "100000", shock);
      const monthly = budgetAtRisk(classes, params, "100000", shock, simulateClass, { linear: () => null });
      for (const side of ["hedged", "unhedged"] as const) {
        expect(linear.total[side].expectedUsd.sub(monthly.total[side].expectedUsd).abs().lte("0.000001")).toBe(true);
        expect(linear.total[side].p95Usd.sub(monthly.total[side].p95Usd).abs().lte("0.000001")).toBe(true);
        expect(linear.total[side].budgetExceedProb).toBe(monthly.total[side].budgetExceedProb);
      }
      // only the totals (the scenario endpoint): the same totals, no class statistics
      const totals = budgetAtRisk(classes, params, "100000", shock, simulateClass, { classStats: false });
      expect([totals.total, totals.classes]).toEqual([linear.total, []]);
    }
  });

  it("hedging narrows the spread: cost at risk hedged < unhedged; classes add up path by path", () => {
    const h = [hedge({ financialTokens: 8n * B, financialStrike: "2.05" }), hedge({ financialTokens: 8n * B, financialStrike: "1.95" })];
    const r = budgetAtRisk([{ input: risky, hedges: h }, { input: { ...risky, classKey: "code" }, hedges: [NO_HEDGE, NO_HEDGE] }], params, "100000");
    expect(r.classes[0].hedged.costAtRiskUsd.lt(r.classes[0].unhedged.costAtRiskUsd)).toBe(true);
    const sumExpected = r.classes[0].hedged.expectedUsd.add(r.classes[1].hedged.expectedUsd);
    expect(r.total.hedged.expectedUsd.sub(sumExpected).abs().lt("0.01")).toBe(true);
    expect(r.total.hedged.budgetExceedProb).toBeGreaterThanOrEqual(0);
    expect(r.paths).toBe(4000);
  });
});
