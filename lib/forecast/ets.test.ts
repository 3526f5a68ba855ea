import { describe, expect, it } from "vitest";
import { autoEts, filter, fitEts, forecastEts, type EtsFit } from "./ets";
import { Z80 } from "@/lib/domain/forecast";
import { rng } from "@/lib/domain/rng";

describe("ETS recursions (hand-computed)", () => {
  it("simple exponential smoothing: level moves α of the way to each observation", () => {
    // l0 = 10; y1 = 12: ŷ 10, e 2, l 11; y2 = 11: ŷ 11, e 0 → SSE 4
    const r = filter([12, 11], 1, { trend: "N", season: "N" }, 0.5, 0, 0, 1, 10, 0, [])!;
    expect(r.l).toBe(11);
    expect(r.sse).toBe(4);
  });
  it("additive trend: level and slope both absorb the error", () => {
    // q = 10 + 1 = 11, ŷ 11, e = 1 → level 11.5, slope 1 + 0.1·1 = 1.1
    const r = filter([12], 1, { trend: "A", season: "N" }, 0.5, 0.1, 0, 1, 10, 1, [])!;
    expect(r.l).toBeCloseTo(11.5, 12);
    expect(r.b).toBeCloseTo(1.1, 12);
  });
  it("multiplicative season: errors are divided by the seasonal index", () => {
    // s = [0.5, 1.5], ŷ = 10·0.5 = 5, y = 6, e = 1 → level 10 + 0.5·1/0.5 = 11, s0 0.5 + 0.2·1/10 = 0.52
    const r = filter([6], 2, { trend: "N", season: "M" }, 0.5, 0, 0.2, 1, 10, 0, [0.5, 1.5])!;
    expect(r.l).toBeCloseTo(11, 12);
    // after one observation the next position is index 1, then index 0 (updated)
    expect(r.season).toEqual([1.5, expect.closeTo(0.52, 12)]);
  });
});

describe("forecastEts", () => {
  const base: EtsFit = { spec: { trend: "Ad", season: "N" }, m: 1, alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.5, level: 10, slope: 1, season: [], sigma: 1, aicc: 0, n: 10 };
  it("damps the slope: 10 + 0.5, 10 + 0.5 + 0.25", () => {
    expect(forecastEts(base, 2, Z80).point).toEqual([10.5, 10.75]);
  });
  it("widens the band by c_j = α + β(φ + … + φ^j)", () => {
    // step 2 variance: 1 + (0.5 + 0.1·0.5)² = 1.3025
    const f = forecastEts(base, 2, Z80);
    expect(f.upper[0] - f.point[0]).toBeCloseTo(Z80, 10);
    expect(f.upper[1] - f.point[1]).toBeCloseTo(Z80 * Math.sqrt(1.3025), 10);
  });
  it("repeats additive seasonal indices by position", () => {
    const f = forecastEts({ ...base, spec: { trend: "N", season: "A" }, m: 2, season: [3, -3], slope: 0 }, 4, Z80);
    expect(f.point).toEqual([13, 7, 13, 7]);
  });
});

describe("fitting", () => {
  it("continues an exact line", () => {
    const y = Array.from({ length: 30 }, (_, t) => 5 + 2 * t);
    const fit = fitEts(y, 1, { trend: "A", season: "N" })!;
    const f = forecastEts(fit, 3, Z80).point;
    f.forEach((v, k) => expect(v).toBeCloseTo(5 + 2 * (30 + k), 1));
  });
  it("picks multiplicative seasonality for a growing series whose swings grow with it", () => {
    const r = rng(3);
    const pattern = [0.7, 0.8, 1.0, 1.2, 1.3, 1.0];
    const y = Array.from({ length: 60 }, (_, t) => 100 * 1.02 ** t * pattern[t % 6] * (1 + 0.01 * r.normal()));
    const fit = autoEts(y, 6)!;
    expect(fit.spec.season).toBe("M");
    expect(fit.spec.trend).not.toBe("N");
  });
  it("refuses forms that cannot apply", () => {
    expect(fitEts([1, 2, 3, 4, 5, 6, 7, 8], 6, { trend: "N", season: "A" })).toBeNull(); // under two cycles
    expect(fitEts([1, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2, { trend: "N", season: "M" })).toBeNull(); // a zero
  });
});
