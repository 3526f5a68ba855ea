import { describe, expect, it } from "vitest";
import { backtest, forecastSeries, MIN_FIT_POINTS } from "./engine";
import { rng } from "@/lib/domain/rng";

function weekly(n: number, seed = 1, trend = 0.5) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => 200 + trend * i + 40 * (i % 7 >= 5 ? -1 : 0.4) + 5 * r.normal());
}

describe("forecastSeries", () => {
  it("falls back to the recent mean for very short series and says so", () => {
    const f = forecastSeries([10, 12, 11, 13, 12], 3, [7]);
    expect(f).toMatchObject({ method: "recent-mean", fallback: true });
    expect(f.note).toMatch(/Only 5 observations/);
    expect(f.p50).toHaveLength(3);
  });

  it("uses seasonal naive for a short series with two full seasons", () => {
    const f = forecastSeries(weekly(MIN_FIT_POINTS - 7), 7, [7]);
    expect(f.method).toBe("seasonal-naive");
  });

  it("fits a model on a long seasonal series and keeps p10 ≤ p50 ≤ p90, non-negative", () => {
    const y = weekly(365);
    const f = forecastSeries(y, 90, [7]);
    expect(f.fallback).toBe(false);
    for (const part of f.method.split("+")) expect(["mstl-ets", "auto-ets", "seasonal-naive"]).toContain(part);
    expect(f.p50).toHaveLength(90);
    for (let i = 0; i < 90; i++) {
      expect(f.p10[i]).toBeLessThanOrEqual(f.p50[i]);
      expect(f.p50[i]).toBeLessThanOrEqual(f.p90[i]);
      expect(f.p10[i]).toBeGreaterThanOrEqual(0);
    }
    // the weekly pattern survives: weekend steps below weekdays
    const weekend = f.p50.filter((_, i) => (365 + i) % 7 >= 5);
    const weekday = f.p50.filter((_, i) => (365 + i) % 7 < 5);
    expect(Math.max(...weekend)).toBeLessThan(Math.min(...weekday));
    expect(Object.keys(f.holdoutMase).length).toBeGreaterThan(0);
  });

  it("backtests several origins and beats seasonal naive on a trending seasonal series", () => {
    const y = weekly(365, 7, 1.5);
    const bt = backtest(y, 28, [7], 3)!;
    expect(bt.origins).toBe(3);
    expect(bt.mase).toBeLessThan(bt.baselineMase);
    expect(bt.coverage).toBeGreaterThan(0.4);
  });
});
