import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { addMonths, buildCurve, monthsBetween, screenOutliers, validateQuote, type CurveParams, type QuoteInput } from "./curve";

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

describe("outlier screen (median/MAD)", () => {
  // a liquid month: two brokers quote 2.78 and 2.82 (2-cent spread) every day for two weeks …
  const legit = Array.from({ length: 14 }, (_, age) => [fwd("2026-02", "2.77", "2.79", age, "a"), fwd("2026-02", "2.81", "2.83", age, "b")]).flat();
  // … and six one-off quotes ~55% below the market on six different days
  const strays = [1, 3, 5, 7, 9, 11].map((age) => fwd("2026-02", "1.25", "1.27", age, "stray desk"));
  const noScreen: CurveParams = { ...P, outlierK: 1e9 };

  it("six stray quotes do not move the point (they would move it ~9% unscreened) and are reported with the reason", () => {
    const clean = buildCurve({ asOf, forwards: legit, spots: [], params: P });
    const c = buildCurve({ asOf, forwards: [...legit, ...strays], spots: [], params: P });
    expect(c.points[0].price.toString()).toBe(clean.points[0].price.toString());
    expect(c.points[0].price.div(2.8).minus(1).abs().lt(0.01)).toBe(true);
    expect(c.points[0]).toMatchObject({ kind: "QUOTED", quoteCount: 28, excludedQuotes: 6 });
    const unscreened = buildCurve({ asOf, forwards: [...legit, ...strays], spots: [], params: noScreen });
    expect(unscreened.points[0].price.lt(2.66)).toBe(true);
    expect(unscreened.excluded).toEqual([]);

    expect(c.excluded.map((e) => e.quote.source)).toEqual(Array(6).fill("stray desk"));
    // the stray 1 day old, by hand. Before it (days 1–8 ago): 16 legit quotes (8 × 2.78, 8 × 2.82) and the strays of
    // days 1, 3, 5, 7 → 20 mids, median 2.78; |mid − 2.78| = 8 × 0, 8 × 0.04, 4 × 1.52 → MAD 0.04, below the floor
    // 5% × 2.78 = 0.139; limit 3.5 × 1.4826 × 0.139 = 0.7213 (25.9%). After it (days 1–0): 2.78, 2.78, 2.82, 2.82 and
    // itself → median 2.78, the same limit. |1.26 − 2.78| = 1.52 (54.7%) is beyond both. Only two other quotes were made
    // within 12 hours of it, too few to show a market move: excluded.
    const e = c.excluded.find((x) => x.quote.asOf.getTime() === daysAgo(1).getTime())!;
    expect(e).toMatchObject({ deliveryMonth: "2026-02", referenceQuotes: 20 });
    expect(price(e.median)).toBe("2.78");
    expect(e.limitPct.toFixed(4)).toBe("25.9455");
    expect(e.reason).toBe("mid 1.26 is 55% below the median 2.78 of the 2026-02 quotes made within 7 days before it (20 quotes; limit ±25.9%)");
  });

  it("with two quotes nothing is excluded, however far apart", () => {
    const c = buildCurve({ asOf, forwards: [fwd("2026-02", "10", "10", 0, "a"), fwd("2026-02", "4", "4", 0, "b")], spots: [], params: P });
    expect(c.excluded).toEqual([]);
    expect(price(c.points[0].price)).toBe("7");
  });

  it("ordinary noise within the 5% MAD floor is never excluded, even in a very tight group", () => {
    // four quotes at exactly 10 (MAD 0) and one at 12.5 (+25%): the floor 0.5 gives a 25.9% limit, so it stays
    const qs = [0, 1, 2, 3].map((age) => fwd("2026-02", "10", "10", age, `s${age}`));
    expect(screenOutliers([{ deliveryMonth: "2026-02", quotes: [...qs, fwd("2026-02", "12.5", "12.5", 0, "x")] }]).excluded).toEqual([]);
    expect(screenOutliers([{ deliveryMonth: "2026-02", quotes: [...qs, fwd("2026-02", "12.7", "12.7", 0, "x")] }]).excluded).toHaveLength(1);
  });

  it("a repricing confirmed by several quotes is kept, not screened out as outliers", () => {
    // three brokers quote 10 every day until 4 days ago, then 6 (a 40% list-price cut) for the last 4 days
    const brokers = ["a", "b", "c"];
    const before = Array.from({ length: 17 }, (_, i) => brokers.map((b) => fwd("2026-02", "9.95", "10.05", 20 - i, b))).flat();
    const after = [3, 2, 1, 0].flatMap((age) => brokers.map((b) => fwd("2026-02", "5.97", "6.03", age, b)));
    const c = buildCurve({ asOf, forwards: [...before, ...after], spots: [], params: P });
    expect(c.excluded).toEqual([]);
    // weights still favour the fresh quotes as before: (3 × 3.47 × 6 + 3 × 5.81 × 10) / 27.8 ≈ 8.5, nothing dropped
    expect(c.points[0].price.toString()).toBe(buildCurve({ asOf, forwards: [...before, ...after], spots: [], params: noScreen }).points[0].price.toString());
    expect(c.points[0].price.lt(9)).toBe(true);
    // a lone quote at the new level cannot yet be told from a stray: excluded until others confirm it
    const lone = buildCurve({ asOf, forwards: [...before.map((q) => ({ ...q, asOf: new Date(q.asOf.getTime() + 4 * 86_400_000) })), fwd("2026-02", "5.97", "6.03", 0, "a")], spots: [], params: P });
    expect(lone.excluded).toHaveLength(1);
    expect(lone.excluded[0].reason).toMatch(/^mid 6 is 40% below the median 10 of the 2026-02 quotes made within 7 days before it/);
  });

  it("a quote far from its thin month's median is kept when the whole class moved with it that day (a repricing)", () => {
    // December is quoted twice a week at 10; on the cut day every quote of the class is 40% lower, December's single
    // new quote included: out of line with December's median, in line with the market's move (−40% everywhere)
    const dec = [14, 10, 7, 3].map((age) => fwd("2026-02", "10", "10", age, "far"));
    const near = [1, 2, 3, 4, 5].flatMap((age) => ["a", "b", "c"].map((b) => fwd("2026-03", "9.8", "9.8", age, b)));
    const cut = [...["a", "b", "c"].map((b) => fwd("2026-03", "5.88", "5.88", 0, b)), spot("6", 0), spot("6.01", 0)];
    const spots = [1, 2, 3, 4, 5].map((age) => spot("10", age));
    const c = buildCurve({ asOf, forwards: [...dec, fwd("2026-02", "6", "6", 0, "far"), ...near, ...cut.filter((q) => q.deliveryMonth)], spots: [...spots, ...cut.filter((q) => !q.deliveryMonth)], params: P });
    expect(c.excluded).toEqual([]);
    // the same single quote on a day the rest of the market stayed put is excluded
    const calm = buildCurve({ asOf, forwards: [...dec, fwd("2026-02", "6", "6", 0, "far"), ...near, ...["a", "b", "c"].map((b) => fwd("2026-03", "9.8", "9.8", 0, b))], spots, params: P });
    expect(calm.excluded.map((e) => e.deliveryMonth)).toEqual(["2026-02"]);
    expect(calm.excluded[0].marketMovePct?.toString()).toBe("0");
    expect(calm.excluded[0].reason).toBe("mid 6 is 40% below the median 10 of the 2026-02 quotes made within 7 days before it (3 quotes; limit ±25.9%); other sources' quotes within 12 hours of it: +0.0% from their medians");
  });

  it("one desk's batch of stray quotes across months does not vouch for itself as a market move", () => {
    // brokers quote spot ~10 and Feb–Apr daily for a week; then one desk sends spot and all three months 55% below at once
    const market = [1, 2, 3, 4, 5, 6, 7].flatMap((age) => ["a", "b"].flatMap((b) => [spot("10", age), ...["2026-02", "2026-03", "2026-04"].map((m) => fwd(m, "9.9", "10.1", age, b))].map((q) => ({ ...q, source: b }))));
    const batch = [{ ...spot("4.5", 0), source: "desk" }, ...["2026-02", "2026-03", "2026-04"].map((m) => fwd(m, "4.5", "4.5", 0, "desk"))];
    const c = buildCurve({ asOf, forwards: [...market, ...batch].filter((q) => q.deliveryMonth), spots: [...market, ...batch].filter((q) => !q.deliveryMonth), params: P });
    expect(c.excluded.map((e) => [e.quote.source, e.deliveryMonth])).toEqual([["desk", null], ["desk", "2026-02"], ["desk", "2026-03"], ["desk", "2026-04"]]);
    expect(c.points[0].price.toString()).toBe("10");
  });

  it("screens spot observations too; with an index the spot is the index and the observed spot is kept beside it", () => {
    const spots = [0, 1, 2, 3, 4, 5].map((age) => spot(age % 2 ? "2.78" : "2.82", age));
    const stray = { ...spot("1.2", 2), source: "stray desk" };
    const observed = buildCurve({ asOf, forwards: [fwd("2026-03", "2.7", "2.7")], spots: [...spots, stray], params: P });
    expect(observed.excluded.map((e) => [e.deliveryMonth, e.quote.source])).toEqual([[null, "stray desk"]]);
    expect(observed.excluded[0].reason).toBe("mid 1.2 is 57% below the median 2.78 of the spot observations made within 7 days before it (5 quotes; limit ±25.9%)");
    expect(observed).toMatchObject({ spotBasis: "OBSERVED", observedSpotCount: 6 });
    expect(observed.spot!.minus(2.8).abs().lt(0.01)).toBe(true);

    const indexed = buildCurve({ asOf, forwards: [fwd("2026-03", "2.7", "2.7")], spots: [...spots, stray], params: P, index: new Decimal("2.9") });
    expect(indexed).toMatchObject({ spotBasis: "LIST_INDEX" });
    expect(indexed.spot!.toString()).toBe("2.9");
    expect(indexed.observedSpot!.toString()).toBe(observed.spot!.toString());
    // interpolated from the index (exact, current) to March: flags are March's own (one fresh quote: thin only)
    expect(price(indexed.points[0].price)).toBe(price(new Decimal("2.9").ln().plus(new Decimal("2.7").ln()).div(2).exp()));
    expect(indexed.points[0]).toMatchObject({ kind: "INTERPOLATED", stale: false, wide: false, thin: true });
  });

  it("an index alone makes no curve; with only spot observations the curve is flat at the index, stale and thin", () => {
    expect(buildCurve({ asOf, forwards: [], spots: [], params: P, index: new Decimal(3) }).points).toEqual([]);
    const c = buildCurve({ asOf, forwards: [], spots: [spot("2.8"), spot("2.8", 1), spot("2.8", 2)], params: P, index: new Decimal(3) });
    expect(c.points.map((p) => p.price.toString())).toEqual(Array(12).fill("3"));
    expect(c.points[0]).toMatchObject({ kind: "EXTRAPOLATED", stale: true, thin: true });
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
