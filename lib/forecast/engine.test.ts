import { describe, expect, it } from "vitest";
import { backtest, forecastSeries, MIN_FIT_POINTS } from "./engine";
import { forecastTimestamped, SeriesError } from "./series";
import { rng } from "@/lib/domain/rng";

function weekly(n: number, seed = 1, trend = 0.5) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => 200 + trend * i + 40 * (i % 7 >= 5 ? -1 : 0.4) + 5 * r.normal());
}
const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;

describe("forecastSeries", () => {
  it("falls back to the recent mean for very short series and says so", () => {
    const f = forecastSeries([10, 12, 11, 13, 12], 3, [7]);
    expect(f).toMatchObject({ method: "recent-mean", fallback: true });
    expect(f.note).toMatch(/Only 5 observations/);
    expect(f.p50).toHaveLength(3);
    expect(MIN_FIT_POINTS).toBeGreaterThan(5);
  });

  it("fits and combines models on a long seasonal series and keeps p10 ≤ p50 ≤ p90, non-negative", () => {
    const y = weekly(365);
    const f = forecastSeries(y, 90, [7]);
    expect(f.fallback).toBe(false);
    for (const part of f.method.split("+")) expect(["ets", "theta", "drift", "seasonal-naive"]).toContain(part);
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
    expect(Object.keys(f.holdoutMase).length).toBeGreaterThanOrEqual(4);
    const w = Object.values(f.weights ?? {}) as number[];
    expect(w.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it("keeps a steady trend on a monthly series (seasonal naive must not drag it flat)", () => {
    const r = rng(11);
    const season = [5, 3, 0, -2, -6, -8, -5, -1, 2, 4, 6, 2];
    const y = Array.from({ length: 96 }, (_, t) => 100 + 3 * t + season[t % 12] + 2 * r.normal());
    const f = forecastSeries(y, 24, [12]);
    // the second forecast year averages ≈ 100 + 3·(96 + 17.5) = 440.5; flat would stay near 370
    expect(mean(f.p50.slice(12))).toBeGreaterThan(425);
    expect(f.method.split("+")[0]).not.toBe("seasonal-naive");
  });

  it("uses the weekly cycle of hourly data", () => {
    const r = rng(2);
    // daily shape plus a weekend drop: only period 168 tells Saturday 10:00 from Friday 10:00
    const y = Array.from({ length: 24 * 7 * 6 }, (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 24) - (Math.floor(t / 24) % 7 >= 5 ? 40 : 0) + 3 * r.normal());
    const f = forecastSeries(y, 168, [24, 168]);
    const weekendHours = f.p50.filter((_, k) => Math.floor((y.length + k) / 24) % 7 >= 5);
    const weekdayHours = f.p50.filter((_, k) => Math.floor((y.length + k) / 24) % 7 < 5);
    expect(mean(weekdayHours) - mean(weekendHours)).toBeGreaterThan(30);
  });

  it("backtests several origins and beats seasonal naive on a trending seasonal series", () => {
    const y = weekly(365, 7, 1.5);
    const bt = backtest(y, 28, [7], 3)!;
    expect(bt.origins).toBe(3);
    expect(bt.mase).toBeLessThan(bt.baselineMase);
    expect(bt.coverage).toBeGreaterThan(0.5);
  });
});

describe("forecastTimestamped", () => {
  const pts = (ts: string[], v = (i: number) => 10 + i) => ts.map((t, i) => ({ t: new Date(t), v: v(i) }));
  it("forecasts yearly and decennial series and dates the steps", () => {
    const years = Array.from({ length: 20 }, (_, i) => `${1990 + i}-01-01`);
    const f = forecastTimestamped("y", pts(years, (i) => 100 * 1.05 ** i), 3);
    expect(f.freq.name).toBe("yearly");
    expect(f.periods).toEqual([]);
    expect(f.timestamps.map((t) => t.toISOString().slice(0, 10))).toEqual(["2010-01-01", "2011-01-01", "2012-01-01"]);
    expect(f.forecast.p50[0]).toBeGreaterThan(100 * 1.05 ** 19);
  });
  it("treats minute-level data as non-seasonal and hourly as daily + weekly", () => {
    const minutes = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString());
    expect(forecastTimestamped("m", pts(minutes), 5).periods).toEqual([]);
    const hours = Array.from({ length: 24 * 15 }, (_, i) => new Date(Date.UTC(2026, 0, 1, i)).toISOString());
    expect(forecastTimestamped("h", pts(hours, (i) => 50 + 10 * Math.sin(i / 3)), 24).periods).toEqual([24, 168]);
  });
  it("names the series when it cannot be forecast", () => {
    expect(() => forecastTimestamped("tiny", pts(["2026-01-01", "2026-01-02"]), 3)).toThrow(SeriesError);
    expect(() => forecastTimestamped("tiny", pts(["2026-01-01", "2026-01-02"]), 3)).toThrow(/series tiny: only 2 distinct timestamps/);
    expect(() => forecastTimestamped("odd", pts(["2026-01-01", "2026-01-02", "2026-01-03T07:00Z", "2026-01-04"]), 3)).toThrow(/series odd: irregular timestamps/);
  });
});
