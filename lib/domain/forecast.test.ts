import { describe, expect, it } from "vitest";
import { coverage, inferFrequency, mase, orderBand, recentMean, regularize, seasonalNaive, smape, step, trimLeadingZeros } from "./forecast";

const d = (s: string) => new Date(s);

describe("inferFrequency", () => {
  it("recognises hourly, daily, weekly, monthly and quarterly spacing", () => {
    expect(inferFrequency([d("2026-01-01T00:00Z"), d("2026-01-01T01:00Z"), d("2026-01-01T02:00Z")])).toBe("hourly");
    expect(inferFrequency([d("2026-01-01"), d("2026-01-02"), d("2026-01-04"), d("2026-01-05")])).toBe("daily");
    expect(inferFrequency([d("2026-01-05"), d("2026-01-12"), d("2026-01-19")])).toBe("weekly");
    expect(inferFrequency([d("2026-01-01"), d("2026-02-01"), d("2026-03-01"), d("2026-04-01")])).toBe("monthly");
    expect(inferFrequency([d("2025-01-01"), d("2025-04-01"), d("2025-07-01"), d("2025-10-01")])).toBe("quarterly");
    expect(() => inferFrequency([d("2026-01-01"), d("2026-01-04"), d("2026-01-07")])).toThrow(/cannot infer/);
  });
  it("steps months by calendar", () => {
    expect(step(d("2026-01-31T00:00Z"), "monthly").toISOString().slice(0, 10)).toBe("2026-03-03");
    expect(step(d("2026-01-01T00:00Z"), "quarterly", 2).toISOString().slice(0, 10)).toBe("2026-07-01");
  });
});

describe("gaps and launches", () => {
  const pts = [{ t: d("2026-01-01"), v: 2 }, { t: d("2026-01-04"), v: 8 }, { t: d("2026-01-04"), v: 1 }];
  it("fills gaps with zero for usage, or interpolates for generic series, and sums duplicates", () => {
    expect(regularize(pts, "daily", "zero").y).toEqual([2, 0, 0, 9]);
    // 2 → 9 over three steps: +7/3 each
    expect(regularize(pts, "daily", "interpolate").y).toEqual([2, 13 / 3, 20 / 3, 9].map((v) => expect.closeTo(v, 9)));
  });
  it("drops pre-launch zeros but keeps later zeros", () => {
    const t = [1, 2, 3, 4, 5].map((i) => d(`2026-01-0${i}`));
    const r = trimLeadingZeros(t, [0, 0, 5, 0, 6]);
    expect(r.y).toEqual([5, 0, 6]);
    expect(r.launchedAt).toEqual(d("2026-01-03"));
    expect(trimLeadingZeros(t, [0, 0, 0, 0, 0]).y).toEqual([]);
  });
});

describe("baselines", () => {
  it("seasonal naive repeats the last season and widens each season ahead", () => {
    const y = [1, 2, 3, 2, 3, 4];
    const b = seasonalNaive(y, 3, 5);
    expect(b.p50).toEqual([2, 3, 4, 2, 3]);
    // residuals y[i]-y[i-3] = 1,1,1 → sd 1; season 1: ±z, season 2: ±z√2
    expect(b.p90[0] - b.p50[0]).toBeCloseTo(1.28155, 4);
    expect(b.p90[3] - b.p50[3]).toBeCloseTo(1.28155 * Math.SQRT2, 4);
  });
  it("recent mean uses the last 7 values", () => {
    const b = recentMean([100, 1, 2, 3, 4, 5, 6, 7], 2);
    expect(b.p50).toEqual([4, 4]);
    expect(b.p10[0]).toBeLessThan(4);
  });
});

describe("metrics", () => {
  it("MASE scales the error by the in-sample seasonal-naive error", () => {
    // in-sample lag-1 MAE = 1 (1,2,3,4); forecast MAE = (1 + 3)/2 = 2
    expect(mase([5, 7], [4, 4], [1, 2, 3, 4], 1)).toBe(2);
    // lag 2: |3-1|,|4-2| → 2; MAE 2 → 1
    expect(mase([5, 7], [4, 4], [1, 2, 3, 4], 2)).toBe(1);
  });
  it("sMAPE is symmetric and treats 0 vs 0 as exact", () => {
    expect(smape([100, 0], [50, 0])).toBeCloseTo((200 * 50) / 150 / 2, 10);
  });
  it("coverage counts actuals inside the band", () => {
    expect(coverage([1, 5, 9, 3], [0, 0, 0, 4], [2, 6, 8, 6])).toBe(0.5);
  });
  it("orders bands so p10 ≤ p50 ≤ p90 and clamps non-negative quantities", () => {
    const b = orderBand({ p10: [5, -3], p50: [4, 1], p90: [3, 2] }, true);
    expect(b).toEqual({ p10: [3, 0], p50: [4, 1], p90: [5, 2] });
  });
});
