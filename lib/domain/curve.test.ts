import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { addMonths, buildCurve, monthsBetween, validateQuote, type CurveParams, type QuoteInput } from "./curve";

const P: CurveParams = { staleDays: 14, wideSpreadPct: 20, thinMinQuotes: 2, halfLifeDays: 7, maxQuoteAgeDays: 60 };
const asOf = new Date("2026-01-15T00:00:00Z");
const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
const fwd = (month: string, bid: string | null, ask: string | null, age = 0, source = "broker-a", mid: string | null = null): QuoteInput => ({ source, deliveryMonth: month, bid, ask, mid, asOf: daysAgo(age) });
const spot = (mid: string, age = 0): QuoteInput => ({ source: "list", deliveryMonth: null, bid: null, ask: null, mid, asOf: daysAgo(age) });
const price = (d: Decimal) => d.toDecimalPlaces(6).toString();

describe("month helpers", () => {
  it("adds and counts months across years", () => {
    expect(addMonths("2026-11", 3)).toBe("2027-02");
    expect(monthsBetween("2026-11", "2027-02")).toBe(3);
  });
});

describe("buildCurve", () => {
  it("no quotes and no spot: no curve", () => {
    expect(buildCurve({ asOf, forwards: [], spots: [], params: P }).points).toEqual([]);
  });

  it("a single quote: quoted at its month, flat everywhere else, all flagged thin", () => {
    const c = buildCurve({ asOf, forwards: [fwd("2026-03", "9", "11")], spots: [], params: P });
    expect(c.points).toHaveLength(12);
    expect(c.points[0]).toMatchObject({ deliveryMonth: "2026-02", kind: "EXTRAPOLATED" });
    expect(c.points[1]).toMatchObject({ deliveryMonth: "2026-03", kind: "QUOTED", quoteCount: 1, thin: true, stale: false });
    expect(c.points.map((p) => price(p.price))).toEqual(Array(12).fill("10"));
    expect(c.points[11].deliveryMonth).toBe("2027-01");
  });

  it("interpolates log-linearly from spot and extrapolates the last log-slope", () => {
    // spot 10 at t=0, quote 9.604 = 10 × 0.98² at t=2 → t=1: 9.8; t=3: 9.604 × 0.98 = 9.41192
    const c = buildCurve({ asOf, forwards: [fwd("2026-03", "9.604", "9.604")], spots: [spot("10")], params: P });
    expect(c.spot?.toString()).toBe("10");
    expect(c.points[0]).toMatchObject({ kind: "INTERPOLATED" });
    expect(price(c.points[0].price)).toBe("9.8");
    expect(price(c.points[1].price)).toBe("9.604");
    expect(c.points[2]).toMatchObject({ kind: "EXTRAPOLATED" });
    expect(price(c.points[2].price)).toBe("9.41192");
  });

  it("caps extrapolation at 10% a month", () => {
    // spot 10 → quote 5 at t=1 is −50%/month; beyond, only −1/1.1 a month
    const c = buildCurve({ asOf, forwards: [fwd("2026-02", "5", "5")], spots: [spot("10")], params: P });
    expect(price(c.points[1].price)).toBe(price(new Decimal(5).div(1.1)));
  });

  it("weights quotes by age (half-life) and spread", () => {
    // same month: A mid 10 (fresh, tight, w=1), B mid 12 (7 days old → w=0.5) → (10 + 6) / 1.5
    const byAge = buildCurve({ asOf, forwards: [fwd("2026-02", "10", "10", 0, "a"), fwd("2026-02", "12", "12", 7, "b")], spots: [], params: P });
    expect(price(byAge.points[0].price)).toBe(price(new Decimal(16).div(1.5)));
    // B quoted 11/13: spread 2/12 = 16.67% → w = 1 / (1 + 16.67/5) = 3/13; (10 + 12 × 3/13) / (1 + 3/13) = 10.375
    const bySpread = buildCurve({ asOf, forwards: [fwd("2026-02", "10", "10", 0, "a"), fwd("2026-02", "11", "13", 0, "b")], spots: [], params: P });
    expect(price(bySpread.points[0].price)).toBe("10.375");
  });

  it("flags stale, wide and thin points", () => {
    const c = buildCurve({
      asOf,
      forwards: [fwd("2026-02", "8", "12", 20, "a"), fwd("2026-04", "10", "10.2", 1, "a"), fwd("2026-04", "10", "10.2", 2, "b")],
      spots: [],
      params: P,
    });
    expect(c.points[0]).toMatchObject({ kind: "QUOTED", stale: true, wide: true, thin: true });
    expect(c.points[2]).toMatchObject({ kind: "QUOTED", stale: false, wide: false, thin: false, quoteCount: 2 });
    // interpolated March inherits the weaker anchor: stale, wide, thin
    expect(c.points[1]).toMatchObject({ kind: "INTERPOLATED", stale: true, wide: true, thin: true });
  });

  it("counts duplicate quotes once and ignores quotes beyond the maximum age or already delivered", () => {
    const dup = fwd("2026-02", "10", "10", 0);
    const c = buildCurve({ asOf, forwards: [dup, { ...dup }, fwd("2026-02", "50", "50", 90), fwd("2026-01", "99", "99")], spots: [], params: P });
    expect(c.points[0]).toMatchObject({ quoteCount: 1 });
    expect(price(c.points[0].price)).toBe("10");
  });

  it("ignores quotes made after the as-of time (history is rebuilt as it was)", () => {
    const c = buildCurve({ asOf, forwards: [fwd("2026-02", "10", "10", 0), { ...fwd("2026-02", "20", "20"), asOf: new Date("2026-01-20T00:00:00Z") }], spots: [], params: P });
    expect(price(c.points[0].price)).toBe("10");
  });

  it("supports an inverted curve (supply squeeze: near above far)", () => {
    const c = buildCurve({ asOf, forwards: [fwd("2026-02", "14", "14"), fwd("2026-06", "10", "10")], spots: [spot("12")], params: P });
    expect(c.points[0].price.gt(c.points[4].price)).toBe(true);
    expect(c.points[0].price.gt(c.spot!)).toBe(true);
  });
});

describe("validateQuote", () => {
  const base = { kind: "FORWARD", deliveryMonth: "2026-03", bid: "9", ask: "11", mid: null, asOf };
  it("accepts a normal two-sided forward", () => {
    expect(validateQuote(base)).toEqual([]);
  });
  it("rejects crossed, negative, one-sided without mid, and past deliveries with reasons", () => {
    expect(validateQuote({ ...base, bid: "12", ask: "11" })).toEqual([{ field: "ask", reason: "crossed market: ask 11 is below bid 12" }]);
    expect(validateQuote({ ...base, bid: "-1" })).toContainEqual({ field: "bid", reason: "negative price -1" });
    expect(validateQuote({ ...base, ask: null })).toContainEqual({ field: "ask", reason: "one-sided quote needs a mid" });
    expect(validateQuote({ ...base, deliveryMonth: "2025-12" })).toEqual([{ field: "delivery_month", reason: "delivery 2025-12 is before the quote date" }]);
    expect(validateQuote({ ...base, deliveryMonth: null })).toEqual([{ field: "delivery_month", reason: "a forward quote needs a delivery month" }]);
    expect(validateQuote({ ...base, bid: "abc" })).toContainEqual({ field: "bid", reason: 'not a number: "abc"' });
  });
  it("spot observations need no delivery month", () => {
    expect(validateQuote({ kind: "SPOT_LIST", deliveryMonth: null, bid: null, ask: null, mid: "3.5", asOf })).toEqual([]);
  });
});
