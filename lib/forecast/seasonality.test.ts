import { describe, expect, it } from "vitest";
import { acf, isSeasonal, seasonalIndices } from "./seasonality";
import { nelderMead } from "./optim";
import { rng } from "@/lib/domain/rng";

describe("acf", () => {
  it("matches R's acf on 1..4", () => {
    // deviations −1.5, −0.5, 0.5, 1.5 (SS 5); lag 1: 0.75 − 0.25 + 0.75 = 1.25 → 0.25
    expect(acf([1, 2, 3, 4], 1)[0]).toBeCloseTo(0.25, 12);
  });
});

describe("seasonal indices", () => {
  it("additive: deviations from the centred moving average", () => {
    // 2×2 moving average of 1,3,1,3,… is 2 → indices −1, +1
    expect(seasonalIndices([1, 3, 1, 3, 1, 3], 2, "additive")).toEqual([-1, 1]);
  });
  it("multiplicative: ratios to the moving average, mean 1", () => {
    expect(seasonalIndices([2, 6, 2, 6, 2, 6], 2, "multiplicative")).toEqual([0.5, 1.5]);
  });
});

describe("isSeasonal", () => {
  it("finds a monthly cycle and not in noise", () => {
    const r = rng(5);
    expect(isSeasonal(Array.from({ length: 72 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 12) + r.normal()), 12)).toBe(true);
    expect(isSeasonal(Array.from({ length: 72 }, () => r.normal()), 12)).toBe(false);
    expect(isSeasonal([1, 2, 3, 4, 5, 6, 7, 8], 4)).toBe(false); // under three cycles
  });
});

describe("nelderMead", () => {
  it("finds the minimum of a shifted bowl", () => {
    const r = nelderMead(([x, y]) => (x - 3) ** 2 + 2 * (y + 1) ** 2, [0, 0], { step: [1, 1], maxEvals: 400, tol: 1e-12 });
    expect(r.x[0]).toBeCloseTo(3, 3);
    expect(r.x[1]).toBeCloseTo(-1, 3);
  });
});
