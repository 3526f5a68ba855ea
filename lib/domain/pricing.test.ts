import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { addMonthly, blendedPrice, costAtCurve, listCostOnDay, listCostUsd, priceInForce, type PriceVersion } from "./pricing";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const versions: PriceVersion[] = [
  { effectiveFrom: d("2026-06-01"), inputUsdPerMTokens: "2", outputUsdPerMTokens: "8", cachedInputUsdPerMTokens: "0.5" },
  { effectiveFrom: d("2026-01-01"), inputUsdPerMTokens: "3", outputUsdPerMTokens: "12" },
];

describe("priceInForce (effective-dated)", () => {
  it("takes the latest version on or before the day, whatever the order", () => {
    expect(priceInForce(versions, d("2026-05-31"))?.inputUsdPerMTokens).toBe("3");
    expect(priceInForce(versions, d("2026-06-01"))?.inputUsdPerMTokens).toBe("2");
    expect(priceInForce(versions, d("2026-11-01"))?.inputUsdPerMTokens).toBe("2");
  });
  it("is null before the first version", () => {
    expect(priceInForce(versions, d("2025-12-31"))).toBeNull();
    expect(listCostOnDay({ inputTokens: 1n, cachedInputTokens: 0n, outputTokens: 1n }, versions, d("2025-12-31"))).toBeNull();
  });
});

describe("listCostUsd", () => {
  it("prices cached input at the cached rate when one is listed", () => {
    // 10M input of which 4M cached, 2M output at 2 / 0.5 / 8:
    // (10M − 4M) × 2 / 1M = 12; 4M × 0.5 / 1M = 2; 2M × 8 / 1M = 16 → 30
    const u = { inputTokens: 10_000_000n, cachedInputTokens: 4_000_000n, outputTokens: 2_000_000n };
    expect(listCostUsd(u, versions[0]).toString()).toBe("30");
  });
  it("prices cached input at the input rate when no cached rate is listed", () => {
    // 10M × 3 / 1M = 30 (cached or not); 2M × 12 / 1M = 24 → 54
    const u = { inputTokens: 10_000_000n, cachedInputTokens: 4_000_000n, outputTokens: 2_000_000n };
    expect(listCostOnDay(u, versions, d("2026-03-15"))!.toString()).toBe("54");
  });
  it("is exact for odd quantities (no float rounding)", () => {
    // 1 input token at 2 → 0.000002; 3 output tokens at 8 → 0.000024; total 0.000026
    expect(listCostUsd({ inputTokens: 1n, cachedInputTokens: 0n, outputTokens: 3n }, versions[0]).toString()).toBe("0.000026");
    // 123456789 input × 0.1 per 1M = 12.3456789 exactly
    expect(listCostUsd({ inputTokens: 123_456_789n, cachedInputTokens: 0n, outputTokens: 0n }, { effectiveFrom: d("2026-01-01"), inputUsdPerMTokens: "0.1", outputUsdPerMTokens: "0" }).toString()).toBe("12.3456789");
  });
  it("refuses cached input above input", () => {
    expect(() => listCostUsd({ inputTokens: 1n, cachedInputTokens: 2n, outputTokens: 0n }, versions[0])).toThrow(RangeError);
  });
});

describe("costAtCurve", () => {
  it("prices each month at its own curve point and names uncovered months", () => {
    const curve = new Map([["2026-12", new Decimal("2.5")], ["2027-01", new Decimal("2.25")]]);
    const r = costAtCurve(new Map([["2026-12", 4_000_000_000n], ["2027-01", 2_000_000_000n], ["2027-02", 1n]]), curve);
    // 4e9 × 2.5 / 1e6 = 10000; 2e9 × 2.25 / 1e6 = 4500
    expect(r.byMonth.get("2026-12")!.toString()).toBe("10000");
    expect(r.byMonth.get("2027-01")!.toString()).toBe("4500");
    expect(r.uncovered).toEqual(["2027-02"]);
    const sum = addMonthly(new Map(r.byMonth), new Map([["2026-12", new Decimal("0.5")]]));
    expect(sum.get("2026-12")!.toString()).toBe("10000.5");
  });
  it("blended price is cost per 1M tokens", () => {
    expect(blendedPrice("30", 12_000_000n)!.toString()).toBe("2.5");
    expect(blendedPrice("30", 0n)).toBeNull();
  });
});
