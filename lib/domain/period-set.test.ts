import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PeriodSet } from "./period-set";

describe("PeriodSet", () => {
  it("reports first and repeated additions, growing both ways", () => {
    const s = new PeriodSet();
    expect(s.add(495_000)).toBe(true);
    expect(s.add(495_000)).toBe(false);
    expect(s.add(494_000)).toBe(true);
    expect(s.add(500_123)).toBe(true);
    expect(s.has(495_000) && s.has(494_000) && s.has(500_123)).toBe(true);
    expect(s.has(495_001)).toBe(false);
    expect(s.add(495_001)).toBe(true);
    expect(s.add(494_000)).toBe(false);
  });

  it("agrees with a Set on random sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000, max: 200_000 }), { maxLength: 400 }), (xs) => {
        const s = new PeriodSet();
        const ref = new Set<number>();
        for (const x of xs) {
          expect(s.add(x)).toBe(!ref.has(x));
          ref.add(x);
        }
        for (const x of xs) expect(s.has(x)).toBe(true);
        expect(s.has(200_001)).toBe(false);
      }),
    );
  });

  it("rejects fractions", () => {
    expect(() => new PeriodSet().add(1.5)).toThrow(RangeError);
  });
});
