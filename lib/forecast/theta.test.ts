import { describe, expect, it } from "vitest";
import { drift, slope, theta } from "./theta";
import { Z80 } from "@/lib/domain/forecast";

describe("slope", () => {
  it("is the least-squares slope on time", () => {
    expect(slope([1, 3, 2, 6])).toBeCloseTo(1.4, 12); // Σ(t−1.5)(y−3) = 7, Σ(t−1.5)² = 5
  });
});

describe("theta", () => {
  it("continues a line at half its slope from the last value (SES with drift b/2)", () => {
    // on an exact line SES tracks the last value (α → 1, carry → 1): ŷ(n+k) ≈ 20 + k/2
    const f = theta(Array.from({ length: 20 }, (_, t) => t + 1), 3, Z80)!;
    f.point.forEach((v, i) => expect(v).toBeCloseTo(20 + (i + 1) / 2, 1));
  });
});

describe("drift", () => {
  it("extends the average change, band from the spread of the changes", () => {
    // d = (6 − 1)/3 = 5/3; changes 2, −1, 4 minus d square to 12.667 over n − 2 = 2 → σ² = 6.3333
    const f = drift([1, 3, 2, 6], 2, Z80)!;
    expect(f.point[0]).toBeCloseTo(6 + 5 / 3, 12);
    expect(f.point[1]).toBeCloseTo(6 + 10 / 3, 12);
    expect(f.upper[0] - f.point[0]).toBeCloseTo(Z80 * Math.sqrt((38 / 6) * (4 / 3)), 10);
  });
});
