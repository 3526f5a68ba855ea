import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { allocateContracts, bandFor, coverageCell, coverageGrid, monthPlus, type Band } from "./coverage";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const B = 1_000_000_000n;
const BANDS: Band[] = [
  { fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 },
  { fromMonth: 4, toMonth: 6, minPct: 40, maxPct: 60 },
  { fromMonth: 7, toMonth: 12, minPct: 0, maxPct: 30 },
];

describe("bandFor", () => {
  it("picks the band holding the tenor, none beyond the maximum tenor or outside every band", () => {
    expect(bandFor(BANDS, 12, 1)).toEqual({ minPct: new Decimal(70), maxPct: new Decimal(90) });
    expect(bandFor(BANDS, 12, 6)?.maxPct.toString()).toBe("60");
    expect(bandFor(BANDS, 12, 7)?.minPct.toString()).toBe("0");
    expect(bandFor(BANDS, 6, 7)).toBeNull();
    expect(bandFor(BANDS, 12, 0)).toBeNull();
    expect(bandFor([{ fromMonth: 1, toMonth: 3, minPct: 50, maxPct: 80 }], 12, 4)).toBeNull();
  });
});

describe("coverageCell — hand-computed", () => {
  const band = { minPct: new Decimal(70), maxPct: new Decimal(90) };
  const demand = { p10: 8n * B, p50: 10n * B, p90: 13n * B };

  it("under the band: 6B of a 10B P50 is 60%, 1B short of the 70% minimum", () => {
    const c = coverageCell({ classKey: "chat", month: "2027-01", tenor: 1, demand, contractedTokens: 6n * B, pendingTokens: 2n * B, band });
    expect(c.status).toBe("under");
    expect(c.coveragePct!.toString()).toBe("60");
    expect(c.coverageAtP10Pct!.toString()).toBe("75"); // 6 / 8
    expect(c.coverageAtP90Pct!.toFixed(4)).toBe("46.1538"); // 6 / 13
    expect(c.band!.minTokens!.toString()).toBe("7000000000");
    expect(c.band!.maxTokens!.toString()).toBe("9000000000");
    expect(c.gapTokens).toBe(1n * B);
    // pending approval does not count as cover
    expect(c.pendingTokens).toBe(2n * B);
  });

  it("within, both ends inclusive", () => {
    expect(coverageCell({ classKey: "chat", month: "2027-01", tenor: 1, demand, contractedTokens: 7n * B, pendingTokens: 0n, band }).status).toBe("within");
    expect(coverageCell({ classKey: "chat", month: "2027-01", tenor: 1, demand, contractedTokens: 9n * B, pendingTokens: 0n, band }).status).toBe("within");
  });

  it("over the band: 9.5B is 95%, 0.5B above the 90% maximum", () => {
    const c = coverageCell({ classKey: "chat", month: "2027-01", tenor: 1, demand, contractedTokens: 9_500_000_000n, pendingTokens: 0n, band });
    expect(c.status).toBe("over");
    expect(c.coveragePct!.toString()).toBe("95");
    expect(c.gapTokens).toBe(500_000_000n);
  });

  it("rounds the band minimum up and the maximum down to whole tokens for the gap", () => {
    // P50 = 1001 tokens, 70% = 700.7 → 701 needed; 90% = 900.9 → 900 allowed
    const small = { p10: 1000n, p50: 1001n, p90: 1002n };
    expect(coverageCell({ classKey: "x", month: "2027-01", tenor: 1, demand: small, contractedTokens: 700n, pendingTokens: 0n, band }).gapTokens).toBe(1n);
    expect(coverageCell({ classKey: "x", month: "2027-01", tenor: 1, demand: small, contractedTokens: 902n, pendingTokens: 0n, band }).gapTokens).toBe(2n);
  });

  it("no demand: anything contracted is over; no forecast or no band say so", () => {
    const zero = { p10: 0n, p50: 0n, p90: 0n };
    const over = coverageCell({ classKey: "x", month: "2027-01", tenor: 1, demand: zero, contractedTokens: 3n, pendingTokens: 0n, band });
    expect(over.status).toBe("over");
    expect(over.coveragePct).toBeNull();
    expect(over.gapTokens).toBe(3n);
    expect(coverageCell({ classKey: "x", month: "2027-01", tenor: 1, demand: zero, contractedTokens: 0n, pendingTokens: 0n, band }).status).toBe("noDemand");
    expect(coverageCell({ classKey: "x", month: "2027-01", tenor: 1, demand: null, contractedTokens: 5n, pendingTokens: 0n, band }).status).toBe("noForecast");
    expect(coverageCell({ classKey: "x", month: "2027-01", tenor: 13, demand, contractedTokens: 0n, pendingTokens: 0n, band: null }).status).toBe("outsideTenor");
  });
});

describe("allocateContracts", () => {
  it("splits a window over its months by days with integer tokens (as marks and settlements do)", () => {
    // 2027-01-17 .. 2027-02-28: 15 + 28 = 43 days; 43B tokens → 15B and 28B
    const a = allocateContracts([
      { id: "a", modelClass: "chat", quantityTokens: 43n * B, windowStart: day("2027-01-17"), windowEnd: day("2027-02-28"), state: "contracted" },
      { id: "b", modelClass: "chat", quantityTokens: 10n, windowStart: day("2027-01-01"), windowEnd: day("2027-01-31"), state: "pending" },
    ]);
    expect(a.get("chat|2027-01")).toEqual({ contracted: 15n * B, pending: 10n });
    expect(a.get("chat|2027-02")).toEqual({ contracted: 28n * B, pending: 0n });
    // 10 tokens over 3 days, 2 of them in January: 6⅔ → 7 (largest remainder), 3⅓ → 3
    const odd = allocateContracts([{ id: "c", modelClass: "chat", quantityTokens: 10n, windowStart: day("2027-01-30"), windowEnd: day("2027-02-01"), state: "contracted" }]);
    expect(odd.get("chat|2027-01")!.contracted + odd.get("chat|2027-02")!.contracted).toBe(10n);
    expect(odd.get("chat|2027-01")!.contracted).toBe(7n);
  });
});

describe("coverageGrid", () => {
  it("lays out tenors 1..N after the as-of month with class totals over forecast months", () => {
    const demand = new Map([
      ["2026-12", { p10: 8n * B, p50: 10n * B, p90: 12n * B }],
      ["2027-01", { p10: 16n * B, p50: 20n * B, p90: 24n * B }],
    ]);
    const g = coverageGrid({
      asOfMonth: "2026-11",
      months: 4,
      classes: [{ key: "chat", bands: BANDS, maxTenorMonths: 3, demand }],
      contracts: [
        { id: "a", modelClass: "chat", quantityTokens: 8n * B, windowStart: day("2026-12-01"), windowEnd: day("2026-12-31"), state: "contracted" },
        { id: "b", modelClass: "chat", quantityTokens: 4n * B, windowStart: day("2027-01-01"), windowEnd: day("2027-01-31"), state: "contracted" },
        { id: "c", modelClass: "chat", quantityTokens: 1n * B, windowStart: day("2027-03-01"), windowEnd: day("2027-03-31"), state: "contracted" },
        // another class and an earlier month are not in this class's grid
        { id: "d", modelClass: "code", quantityTokens: 1n * B, windowStart: day("2026-12-01"), windowEnd: day("2026-12-31"), state: "contracted" },
        { id: "e", modelClass: "chat", quantityTokens: 1n * B, windowStart: day("2026-11-01"), windowEnd: day("2026-11-30"), state: "contracted" },
      ],
    });
    expect(g.months).toEqual(["2026-12", "2027-01", "2027-02", "2027-03"]);
    expect(g.cells.map((c) => [c.month, c.tenor, c.status])).toEqual([
      ["2026-12", 1, "within"], // 80%
      ["2027-01", 2, "under"], // 20%
      ["2027-02", 3, "noForecast"],
      ["2027-03", 4, "outsideTenor"], // beyond the 3-month maximum tenor
    ]);
    // (8 + 4) / (10 + 20) = 40%; March's contract has no forecast month so it is not in the total
    expect(g.totals[0]).toMatchObject({ classKey: "chat", p50Tokens: 30n * B, contractedTokens: 12n * B, under: 1, over: 0 });
    expect(g.totals[0].coveragePct!.toString()).toBe("40");
  });

  it("monthPlus crosses years", () => {
    expect(monthPlus("2026-11", 2)).toBe("2027-01");
    expect(monthPlus("2026-01", -1)).toBe("2025-12");
  });
});
