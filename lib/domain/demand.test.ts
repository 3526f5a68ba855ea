import { describe, expect, it } from "vitest";
import { ar1SumVariance, daysInMonth, errorAutocorrelation, monthlyDemand } from "./demand";

const Z90 = 1.2815515655446004;
const day = (i: number) => new Date(Date.UTC(2027, 0, 1 + i));

describe("ar1SumVariance", () => {
  it("is the sum of variances when ρ = 0 and the squared sum of sds when ρ = 1", () => {
    expect(ar1SumVariance([1, 2, 3], 0)).toBeCloseTo(1 + 4 + 9, 12);
    expect(ar1SumVariance([1, 2, 3], 1)).toBeCloseTo(36, 12);
  });
  it("matches the double sum by hand for ρ = 0.5", () => {
    // s = [1, 2, 3]: Σ s² = 14; cross terms 2(ρ·1·2 + ρ²·1·3 + ρ·2·3) = 2(1 + 0.75 + 3) = 9.5 → 23.5
    expect(ar1SumVariance([1, 2, 3], 0.5)).toBeCloseTo(23.5, 12);
  });
});

describe("monthlyDemand", () => {
  const daily = Array.from({ length: 31 }, (_, i) => ({ date: day(i), p10: 100 - Z90 * 10, p50: 100, p90: 100 + Z90 * 10 }));
  it("median is the sum of daily medians; the band is not the sum of daily quantiles", () => {
    const [m] = monthlyDemand(daily, 0);
    expect(m.month).toBe("2027-01");
    expect(m.p50).toBeCloseTo(3100, 9);
    // independent days: sd = 10·√31 ≈ 55.68, far narrower than summed quantiles (sd 310)
    expect(m.sd).toBeCloseTo(10 * Math.sqrt(31), 9);
    expect(m.p90 - m.p10).toBeLessThan(2 * Z90 * 310 * 0.5);
    const [perfect] = monthlyDemand(daily, 1);
    expect(perfect.sd).toBeCloseTo(310, 9);
  });
  it("is right-skewed and never negative", () => {
    const wide = Array.from({ length: 30 }, (_, i) => ({ date: day(i), p10: 0, p50: 10, p90: 200 }));
    const [m] = monthlyDemand(wide, 0.9);
    expect(m.p10).toBeGreaterThanOrEqual(0);
    expect(m.p90 - m.p50).toBeGreaterThan(m.p50 - m.p10);
  });
  it("a certain forecast gives a point", () => {
    const [m] = monthlyDemand(Array.from({ length: 28 }, (_, i) => ({ date: day(i), p10: 5, p50: 5, p90: 5 })), 0.5);
    expect([m.p10, m.p50, m.p90]).toEqual([140, 140, 140]);
  });
});

describe("errorAutocorrelation", () => {
  it("is high for a persistent level shift and near zero for white noise", () => {
    let s = 1;
    const noise = Array.from({ length: 200 }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 10);
    // pure noise: VR ≈ 1.6 from the baseline's shared noise → ρ ≈ 0.23
    expect(errorAutocorrelation(noise)).toBeLessThan(0.4);
    const walk: number[] = [];
    let level = 100;
    for (let i = 0; i < 200; i++) walk.push((level += ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 10));
    expect(errorAutocorrelation(walk)).toBeGreaterThan(0.6);
    expect(errorAutocorrelation([1, 2, 3])).toBe(0.5);
  });
  it("days in month", () => {
    expect([daysInMonth("2027-02"), daysInMonth("2028-02"), daysInMonth("2026-12")]).toEqual([28, 29, 31]);
  });
});
