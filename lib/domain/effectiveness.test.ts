import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { effectivenessRow, lowerOf, prospectiveTest, retrospectiveTest, type RetrospectiveMonth } from "./effectiveness";

const M = 1_000_000n;
const month = (over: Partial<RetrospectiveMonth> & { month: string }): RetrospectiveMonth => ({
  hedgedTokens: 10n * M, forwardAtDesignation: "3", indexPrice: "3.3", usageTokens: 12n * M, realisedPrice: "3.3", drift: null, ...over,
});

describe("retrospective dollar offset (hand-computed)", () => {
  it("a perfect hedge: index = realised price, usage above the quantity → 100%, no ineffectiveness", () => {
    // ΔC = (3.3 − 3) × 10M / 1e6 = 3.00; h = min(12M, 10M) = 10M; ΔH = (3.3 − 3) × 10M / 1e6 = 3.00
    const [r] = retrospectiveTest([month({ month: "2026-09" })]).map(effectivenessRow);
    expect(r).toMatchObject({ contractChangeUsd: "3.000000", hedgedItemChangeUsd: "3.000000", ratioPct: "100.00", effective: true, sources: [], explanation: null, hedgedUsageTokens: "10000000" });
    expect(r.cumulative).toMatchObject({ reserveUsd: "3.000000", ineffectivenessUsd: "0.000000", ratioPct: "100.00", effective: true });
  });

  it("a volume shortfall: 7M used of 10M → 142.86%, outside 80–125%, explained as volume", () => {
    // ΔC = 0.3 × 10 = 3.00; h = 7M; ΔH = 0.3 × 7 = 2.10; ratio = 3 / 2.1 = 1.428571…; volume part = 0.3 × 3 = 0.90
    const [m] = retrospectiveTest([month({ month: "2026-10", usageTokens: 7n * M })]);
    const r = effectivenessRow(m);
    expect(r).toMatchObject({ contractChangeUsd: "3.000000", hedgedItemChangeUsd: "2.100000", ratioPct: "142.86", effective: false });
    expect(r.sources).toEqual([{ cause: "VOLUME_SHORTFALL", amountUsd: "0.900000", detail: expect.stringContaining("3000000 tokens hedged no usage") }]);
    expect(r.explanation).toMatch(/^Dollar offset 142\.9% is outside 80%–125% .*volume shortfall 0\.90 USD/);
    // lower of: reserve 2.10, ineffectiveness 0.90 in profit or loss
    expect(r.cumulative).toMatchObject({ reserveUsd: "2.100000", ineffectivenessUsd: "0.900000", effective: false });
  });

  it("a window with a drift substitution: the second month's basis is attributed to the drift, cumulative lower-of", () => {
    // Nov: perfect, ΔC = ΔH = 3.00.
    // Dec: index 2.8, realised 2.2 (usage moved to a cheaper successor): ΔC = (2.8 − 3) × 10 = −2.00,
    //      ΔH = (2.2 − 3) × 10 = −8.00, ratio 25%; drift part = (2.8 − 2.2) × 10 = 6.00 = ΔC − ΔH.
    // Cumulative: ΔC = 1.00, ΔH = −5.00 → opposite signs: no reserve, 1.00 ineffective.
    const rows = retrospectiveTest([
      month({ month: "2026-12", indexPrice: "2.8", realisedPrice: "2.2", usageTokens: 10n * M, drift: "gpt-4.1 2026-12-preview effective 2026-12-01" }),
      month({ month: "2026-11" }),
    ]).map(effectivenessRow);
    expect(rows.map((r) => r.month)).toEqual(["2026-11", "2026-12"]);
    expect(rows[0]).toMatchObject({ ratioPct: "100.00", effective: true });
    expect(rows[1]).toMatchObject({ contractChangeUsd: "-2.000000", hedgedItemChangeUsd: "-8.000000", ratioPct: "25.00", effective: false });
    expect(rows[1].sources).toEqual([{ cause: "DRIFT_SUBSTITUTION", amountUsd: "6.000000", detail: expect.stringMatching(/^gpt-4\.1 2026-12-preview.*contract index 2\.800000 vs realised price 2\.200000/) }]);
    expect(rows[1].explanation).toMatch(/drift substitution 6\.00 USD/);
    expect(rows[1].cumulative).toMatchObject({ contractChangeUsd: "1.000000", hedgedItemChangeUsd: "-5.000000", ratioPct: "-20.00", effective: false, reserveUsd: "0.000000", ineffectivenessUsd: "1.000000" });
  });

  it("basis without drift is reported as basis; both sides within the band pass", () => {
    // ΔC = 0.3 × 10 = 3.00; ΔH = (3.25 − 3) × 10 = 2.50 → 120% effective; basis = (3.3 − 3.25) × 10 = 0.50
    const [r] = retrospectiveTest([month({ month: "2026-09", realisedPrice: "3.25" })]).map(effectivenessRow);
    expect(r).toMatchObject({ ratioPct: "120.00", effective: true, explanation: null });
    expect(r.sources).toEqual([{ cause: "BASIS", amountUsd: "0.500000", detail: expect.any(String) }]);
  });

  it("no price move on either side is effective with no ratio; a contract move against an unchanged cost is not", () => {
    const [flat] = retrospectiveTest([month({ month: "2026-09", indexPrice: "3", realisedPrice: "3" })]);
    expect(flat.ratio).toBeNull();
    expect(flat.effective).toBe(true);
    const [none] = retrospectiveTest([month({ month: "2026-09", usageTokens: 0n, realisedPrice: null })]);
    expect(none.ratio).toBeNull();
    expect(none.effective).toBe(false);
    expect(none.explanation).toMatch(/^Hedged cost did not change while the contract moved 3\.00 USD: volume shortfall 3\.00 USD/);
  });
});

describe("lower of", () => {
  it("keeps the smaller offsetting amount in the reserve", () => {
    expect(lowerOf(new Decimal(-4), new Decimal(-5))).toEqual({ reserveUsd: new Decimal(-4), ineffectivenessUsd: new Decimal(0) });
    expect(lowerOf(new Decimal(-6), new Decimal(-5)).ineffectivenessUsd.toString()).toBe("-1");
  });
});

describe("prospective critical terms", () => {
  it("passes when every month is forecast at or above its quantity; names the months that fail", () => {
    expect(prospectiveTest("General chat", [{ month: "2026-12", hedgedTokens: 10n, forecastP50Tokens: 10n }]).passed).toBe(true);
    const over = prospectiveTest("General chat", [
      { month: "2026-12", hedgedTokens: 10n, forecastP50Tokens: 12n },
      { month: "2027-01", hedgedTokens: 10n, forecastP50Tokens: 9n },
    ]);
    expect(over.passed).toBe(false);
    expect(over.criteria.find((c) => c.criterion === "NOTIONAL")).toMatchObject({ passed: false, reason: expect.stringContaining("2027-01 (10 > 9)") });
    const gap = prospectiveTest("General chat", [{ month: "2027-02", hedgedTokens: 10n, forecastP50Tokens: null }]);
    expect(gap.criteria.find((c) => c.criterion === "TIMING")).toMatchObject({ passed: false, reason: expect.stringContaining("2027-02") });
    expect(prospectiveTest("General chat", []).passed).toBe(false);
  });
});
