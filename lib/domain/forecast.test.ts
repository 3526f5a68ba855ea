import { describe, expect, it } from "vitest";
import { coverage, defaultPeriods, inferFrequency, mase, orderBand, recentMean, regularize, seasonalNaive, smape, step, trimLeadingZeros } from "./forecast";

const d = (s: string) => new Date(s);

describe("inferFrequency", () => {
  const name = (ts: string[]) => inferFrequency(ts.map(d)).name;
  it("recognises common spacings, seconds to years", () => {
    expect(name(["2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"])).toBe("secondly");
    expect(name(["2026-01-01T00:00Z", "2026-01-01T00:01Z", "2026-01-01T00:03Z"])).toBe("minutely");
    expect(name(["2026-01-01T00:00Z", "2026-01-01T00:30Z", "2026-01-01T01:00Z"])).toBe("half-hourly");
    expect(name(["2026-01-01T00:00Z", "2026-01-01T01:00Z", "2026-01-01T02:00Z"])).toBe("hourly");
    expect(name(["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05"])).toBe("daily");
    expect(name(["2026-01-05", "2026-01-12", "2026-01-19"])).toBe("weekly");
    expect(name(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"])).toBe("monthly");
    expect(name(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])).toBe("monthly");
    expect(name(["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"])).toBe("quarterly");
    expect(name(["2021-01-01", "2022-01-01", "2023-01-01"])).toBe("yearly");
  });
  it("names other regular spacings", () => {
    expect(name(["2026-01-01T00:00Z", "2026-01-01T00:10Z", "2026-01-01T00:20Z"])).toBe("every 10 minutes");
    expect(name(["2026-01-01", "2026-01-04", "2026-01-07"])).toBe("every 3 days");
    expect(name(["1950-01-01", "1960-01-01", "1970-01-01"])).toBe("every 10 years");
  });
  it("rejects irregular timestamps and grids that would be mostly gaps", () => {
    expect(() => inferFrequency([d("2026-01-01"), d("2026-01-02"), d("2026-01-03T12:00Z")])).toThrow(/irregular timestamps: the gap after 2026-01-02T00:00:00.000Z is 1.5 days/);
    expect(() => inferFrequency([d("2026-01-01T00:00:00Z"), d("2026-01-01T00:00:01Z"), d("2026-01-01T00:00:09Z")])).toThrow(/only 3 of the 10 secondly steps/);
    expect(() => inferFrequency([d("2026-01-01"), d("2026-01-01")])).toThrow(/two distinct/);
  });
  it("steps months by calendar, keeping month ends", () => {
    expect(step(d("2026-01-31T00:00Z"), "monthly").toISOString().slice(0, 10)).toBe("2026-02-28");
    expect(step(d("2026-01-31T00:00Z"), "monthly", 2).toISOString().slice(0, 10)).toBe("2026-03-31");
    expect(step(d("2026-01-30T00:00Z"), "monthly").toISOString().slice(0, 10)).toBe("2026-02-28");
    // month-end series: the grid and the forecast dates stay on month ends, also from a 30-day month
    const ends = inferFrequency([d("2026-02-28"), d("2026-03-31"), d("2026-05-31")]);
    expect(ends.monthEnd).toBe(true);
    expect(step(d("2026-05-31"), ends, 1).toISOString().slice(0, 10)).toBe("2026-06-30");
    expect(step(d("2026-06-30"), ends, 1).toISOString().slice(0, 10)).toBe("2026-07-31");
    expect(regularize([{ t: d("2026-02-28"), v: 1 }, { t: d("2026-03-31"), v: 2 }, { t: d("2026-05-31"), v: 4 }], ends, "interpolate").y).toEqual([1, 2, 3, 4]);
    expect(inferFrequency([d("2026-01-28"), d("2026-02-28"), d("2026-03-28")]).monthEnd).toBeUndefined();
    expect(step(d("2026-01-01T00:00Z"), "quarterly", 2).toISOString().slice(0, 10)).toBe("2026-07-01");
    expect(step(d("2020-01-01T00:00Z"), inferFrequency([d("1950-01-01"), d("1960-01-01"), d("1970-01-01")])).toISOString().slice(0, 10)).toBe("2030-01-01");
  });
});

describe("defaultPeriods", () => {
  it("follows the spacing and the length of the data", () => {
    expect(defaultPeriods("half-hourly")).toEqual([48, 336]);
    expect(defaultPeriods("hourly")).toEqual([24, 168]);
    expect(defaultPeriods("daily", 400)).toEqual([7]);
    expect(defaultPeriods("daily", 730)).toEqual([7, 365]);
    expect(defaultPeriods("weekly", 100)).toEqual([]);
    expect(defaultPeriods("weekly", 104)).toEqual([52]);
    expect(defaultPeriods("monthly")).toEqual([12]);
    expect(defaultPeriods("quarterly")).toEqual([4]);
    expect(defaultPeriods("yearly")).toEqual([]);
    expect(defaultPeriods("minutely")).toEqual([]);
    expect(defaultPeriods("secondly")).toEqual([]);
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
