import { describe, expect, it } from "vitest";
import { Decimal } from "./money";
import { parseDay } from "./time";
import {
  allocateLargestRemainder,
  discountFactor,
  forwardCurves,
  markRows,
  marketSnapshot,
  periodsOf,
  spotSeries,
  valueForward,
  ValuationError,
  type AveragePriceForward,
  type ForwardPoint,
  type SpotObservation,
} from "./valuation";

const day = parseDay;
const contract = (id: string, quantity: bigint, start: string, end: string, strike: string, modelClass = "gpt"): AveragePriceForward => ({
  id,
  modelClass,
  quantityTokens: quantity,
  windowStart: day(start),
  windowEnd: day(end),
  strikePerMTokens: new Decimal(strike),
});
const spots = (rows: [string, string][], modelClass = "gpt"): SpotObservation[] => rows.map(([date, price]) => ({ modelClass, date: day(date), price }));
const fwds = (rows: [string, string][], modelClass = "gpt"): ForwardPoint[] => rows.map(([month, price]) => ({ modelClass, month, price }));
const market = (asOf: string, rate: string, forwards: ForwardPoint[], spot: SpotObservation[]) => marketSnapshot({ asOf: day(asOf), rate, forwards, spots: spot });
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe("periodsOf", () => {
  it("slices a mid-month window into calendar months with days and exact + integer quantities", () => {
    // 2026-10-15..2026-12-31: Oct 15–31 = 17 days, Nov = 30, Dec = 31; N = 78. Q = 78e6 → 1e6 per day.
    const ps = periodsOf(contract("c", 78_000_000n, "2026-10-15", "2026-12-31", "10"));
    expect(ps.map((p) => [p.month, iso(p.firstDay), iso(p.lastDay), p.days])).toEqual([
      ["2026-10", "2026-10-15", "2026-10-31", 17],
      ["2026-11", "2026-11-01", "2026-11-30", 30],
      ["2026-12", "2026-12-01", "2026-12-31", 31],
    ]);
    expect(ps.map((p) => p.quantityTokens)).toEqual([17_000_000n, 30_000_000n, 31_000_000n]);
    expect(ps.map((p) => p.quantityExact.toString())).toEqual(["17000000", "30000000", "31000000"]);
  });

  it("spans a year end and a February", () => {
    // 2026-12-30..2027-03-02: Dec 2 days, Jan 31, Feb 28 (2027 is not a leap year), Mar 2 → N = 63.
    const ps = periodsOf(contract("c", 63n, "2026-12-30", "2027-03-02", "10"));
    expect(ps.map((p) => [p.month, p.days, p.quantityTokens])).toEqual([
      ["2026-12", 2, 2n],
      ["2027-01", 31, 31n],
      ["2027-02", 28, 28n],
      ["2027-03", 2, 2n],
    ]);
  });

  it("allocates integer quantities by largest remainder so they sum exactly to the contract quantity", () => {
    // Q = 100e6 over 17/30/31 of 78 days:
    //   Oct 100e6×17/78 = 21,794,871.79…  Nov 100e6×30/78 = 38,461,538.46…  Dec 100e6×31/78 = 39,743,589.74…
    //   floors sum to 99,999,998 → 2 tokens missing → largest remainders .79 (Oct) and .74 (Dec) get +1.
    const ps = periodsOf(contract("c", 100_000_000n, "2026-10-15", "2026-12-31", "10"));
    expect(ps.map((p) => p.quantityTokens)).toEqual([21_794_872n, 38_461_538n, 39_743_590n]);
    expect(ps[0].quantityExact.toFixed(6)).toBe("21794871.794872");
    // Q = 1 over Jan 31 (1 day), Feb (28), Mar 1 (1): quotas 1/30, 28/30, 1/30 → all floors 0; Feb has the largest remainder.
    expect(periodsOf(contract("c", 1n, "2026-01-31", "2026-03-01", "10")).map((p) => p.quantityTokens)).toEqual([0n, 1n, 0n]);
    // Q = 3 over Jan 31 and Feb 1: quotas 1.5 and 1.5 → floors 1 + 1, the tie goes to the earlier period
    // (rounding each share half-up would give 2 + 2 = 4 tokens).
    expect(periodsOf(contract("c", 3n, "2026-01-31", "2026-02-01", "10")).map((p) => p.quantityTokens)).toEqual([2n, 1n]);
    // Q = 2 over Mar 31 (1 day), Apr (30), May 1 (1): quotas 2/32, 60/32 = 1.875, 2/32 → floors 0, 1, 0; the missing
    // token goes to April (remainder 28/32) → [0, 2, 0] (rounding each share would give 0 + 2 + 0 too, but by luck).
    expect(periodsOf(contract("c", 2n, "2026-03-31", "2026-05-01", "10")).map((p) => p.quantityTokens)).toEqual([0n, 2n, 0n]);
  });

  it("integer quantities always sum to Q and stay within one token of the exact share", () => {
    const windows: [string, string][] = [
      ["2026-01-01", "2026-12-31"],
      ["2026-10-15", "2026-12-31"],
      ["2027-02-27", "2027-05-03"],
      ["2028-02-29", "2028-03-01"],
    ];
    for (const [s, e] of windows)
      for (const q of [1n, 7n, 999n, 1_000_001n, 123_456_789_012_345n]) {
        const ps = periodsOf(contract("c", q, s, e, "10"));
        expect(ps.reduce((a, p) => a + p.quantityTokens, 0n)).toBe(q);
        for (const p of ps) expect(new Decimal(p.quantityTokens.toString()).sub(p.quantityExact).abs().lt(1)).toBe(true);
      }
    expect(allocateLargestRemainder(10n, [1, 1, 1])).toEqual([4n, 3n, 3n]);
  });

  it("rejects contracts that cannot be valued", () => {
    expect(() => periodsOf(contract("c", 1n, "2026-02-02", "2026-02-01", "10"))).toThrow(/before window start/);
    expect(() => periodsOf(contract("c", 0n, "2026-02-01", "2026-02-01", "10"))).toThrow(ValuationError);
    expect(() => periodsOf(contract("c", 1n, "2026-02-01", "2026-02-01", "0"))).toThrow(/strike/);
  });
});

describe("discountFactor", () => {
  it("is exp(−r·days/365), computed in Decimal", () => {
    // as-of 2026-11-10 → pay 2026-12-01: 21 days. x = 0.04 × 21 / 365 = 0.84 / 365 = 0.00230136986301369863…
    // exp(−x) = 1 − x + x²/2 − x³/6 + x⁴/24 − …
    //         = 1 − 0.0023013698630136986 + 0.0000026481516231938 − 0.0000000020314587794 + 0.0000000000011687845 − 0.0000000000000005380
    //         = 0.99770127625831896…
    const df = discountFactor(new Decimal("0.04"), day("2026-11-10"), day("2026-12-01"));
    expect(df.sub("0.99770127625831896").abs().lt("1e-17")).toBe(true);
    expect(Math.abs(df.toNumber() - Math.exp((-0.04 * 21) / 365))).toBeLessThan(1e-15);
    expect(df.toDecimalPlaces(6).toFixed(6)).toBe("0.997701");
    // more digits than a double: Decimal.exp, not Math.exp
    expect(df.precision()).toBeGreaterThan(30);
    // zero rate → exactly 1; zero time → exactly 1
    expect(discountFactor(0, day("2026-11-10"), day("2027-11-10")).toString()).toBe("1");
    expect(discountFactor("0.04", day("2026-11-10"), day("2026-11-10")).toString()).toBe("1");
    // act/365: a leap year's 366 days is T = 366/365, not 1 → exp(−0.04 × 366/365) = exp(−0.0401095890…) = 0.96068…
    expect(discountFactor("0.04", day("2028-01-01"), day("2029-01-01")).toFixed(12)).toBe(Math.exp((-0.04 * 366) / 365).toFixed(12));
  });
});

describe("spotSeries", () => {
  it("carries the last observation forward over missing days; null before the first one", () => {
    const s = spotSeries(spots([["2026-03-09", "8"], ["2026-03-11", "12"], ["2026-03-13", "16"]]));
    expect(s("gpt", day("2026-03-08"))).toBeNull();
    expect(["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-04-30"].map((d) => s("gpt", day(d))!.toString())).toEqual(["8", "8", "12", "12", "16", "16"]);
    expect(s("claude", day("2026-03-12"))).toBeNull();
  });

  it("rejects two observations for the same class and day", () => {
    expect(() => spotSeries(spots([["2026-03-09", "8"], ["2026-03-09", "9"]]))).toThrow(/gpt on 2026-03-09/);
    expect(() => forwardCurves(fwds([["2026-03", "8"], ["2026-03", "9"]]))).toThrow(/gpt 2026-03/);
  });
});

describe("valueForward", () => {
  it("realised period: average daily spot over the window days, undiscounted; negative when below the strike", () => {
    // window 2026-03-10..12 (3 days), spot 10, 11, 15 → average 36/3 = 12. As-of 2026-04-01 (after the window).
    // Q = 3e6 → value (12 − 10) × 3e6 / 1e6 = 6; DF 1, whatever the rate.
    const m = market("2026-04-01", "0.04", [], spots([["2026-03-10", "10"], ["2026-03-11", "11"], ["2026-03-12", "15"], ["2026-03-20", "99"]]));
    const mark = valueForward(contract("r", 3_000_000n, "2026-03-10", "2026-03-12", "10"), m);
    expect(mark.periods).toHaveLength(1);
    const p = mark.periods[0];
    expect([p.state, p.observedDays, p.price.toString(), p.discountFactor.toString(), p.forwardPrice]).toEqual(["realised", 3, "12", "1", null]);
    expect(p.valueUsd.toString()).toBe("6");
    // strike 13: (12 − 13) × 3 = −3 — the holder pays the fixed price, so below-strike spot is a loss
    expect(valueForward(contract("r", 3_000_000n, "2026-03-10", "2026-03-12", "13"), m).total.valueUsd.toString()).toBe("-3");
  });

  it("spot carry-forward over missing days, including from before the window", () => {
    // window 2026-03-10..14; spot observed 03-09 = 8, 03-11 = 12, 03-13 = 16
    // daily: 10 → 8 (from the 9th), 11 → 12, 12 → 12, 13 → 16, 14 → 16 → sum 64, average 12.8
    // Q = 5e6, K = 10 → (12.8 − 10) × 5 = 14
    const m = market("2026-04-01", "0.04", [], spots([["2026-03-09", "8"], ["2026-03-11", "12"], ["2026-03-13", "16"]]));
    const p = valueForward(contract("cf", 5_000_000n, "2026-03-10", "2026-03-14", "10"), m).periods[0];
    expect(p.observedSpotSum.toString()).toBe("64");
    expect(p.price.toString()).toBe("12.8");
    expect(p.valueUsd.toString()).toBe("14");
  });

  it("a needed day before the first spot observation, or a missing forward, is a ValuationError naming class and date/month", () => {
    const m = market("2026-04-01", "0.04", fwds([["2026-04", "11"]]), spots([["2026-03-11", "12"]]));
    const err = (() => {
      try {
        valueForward(contract("x", 5n, "2026-03-10", "2026-03-14", "10"), m);
      } catch (e) {
        return e;
      }
    })() as ValuationError;
    expect(err).toBeInstanceOf(ValuationError);
    expect(err.code).toBe("MISSING_SPOT");
    expect(err.message).toMatch(/gpt.*2026-03-10/);
    expect(err.detail).toMatchObject({ contractId: "x", modelClass: "gpt", day: "2026-03-10" });
    // forward period in May with no May forward
    expect(() => valueForward(contract("y", 5n, "2026-05-01", "2026-05-31", "10"), m)).toThrow(/no forward for gpt 2026-05/);
    // another class has no data at all
    expect(() => valueForward(contract("z", 5n, "2026-05-01", "2026-05-31", "10", "claude"), m)).toThrow(/claude 2026-05/);
  });

  it("averaging period: running average of observed spot and the forward, discounted from the day after the window", () => {
    // window 2026-03-01..10 (10 days), as-of 2026-03-05.
    // Observed (before the as-of day): 03-01..04 = 10, 10, 12, 12 → 44. The as-of day's spot (100) is NOT observed yet.
    // Remaining 03-05..10 = 6 days × March forward 11 = 66 → price (44 + 66) / 10 = 11.
    // Q = 1e6, K = 10 → undiscounted (11 − 10) × 1 = 1.
    // Pay 2026-03-11, 6 days after as-of: x = 0.04 × 6/365 = 0.000657534246575342…
    //   exp(−x) = 1 − 0.000657534246575342 + 0.000000216175642710 − 0.000000000047380963 + 0.0000000000000078 = 0.999342681881694192…
    // value = 0.999342681881694 → 0.999343
    const m = market("2026-03-05", "0.04", fwds([["2026-03", "11"]]), spots([["2026-03-01", "10"], ["2026-03-02", "10"], ["2026-03-03", "12"], ["2026-03-04", "12"], ["2026-03-05", "100"]]));
    const mark = valueForward(contract("a", 1_000_000n, "2026-03-01", "2026-03-10", "10"), m);
    const p = mark.periods[0];
    expect([p.state, p.observedDays, p.observedSpotSum.toString(), p.forwardPrice!.toString(), p.price.toString(), iso(p.payDate)]).toEqual([
      "averaging",
      4,
      "44",
      "11",
      "11",
      "2026-03-11",
    ]);
    expect(p.discountFactor.sub("0.999342681881694192").abs().lt("1e-17")).toBe(true);
    expect(p.valueUsd.sub("0.999342681881694192").abs().lt("1e-17")).toBe(true);
    expect(markRows(mark)[0]).toEqual({ id: "a", period: "2026-03", state: "averaging", quantityTokens: "1000000", price: "11.000000", discountFactor: "0.999343", valueUsd: "0.999343" });
  });

  it("the as-of day itself is not yet observed: state boundaries and the days that count", () => {
    const sp = spots([["2026-03-01", "20"], ["2026-03-10", "40"]]);
    const f = fwds([["2026-03", "11"]]);
    const c = contract("b", 10_000_000n, "2026-03-01", "2026-03-10", "10");
    // as-of = first window day: nothing observed → forward, price = forward 11 (the 20 on 03-01 is ignored)
    const first = valueForward(c, market("2026-03-01", "0", f, sp)).periods[0];
    expect([first.state, first.observedDays, first.price.toString()]).toEqual(["forward", 0, "11"]);
    // as-of = last window day: 03-01..09 observed (20 carried forward, 9 × 20 = 180), 03-10 (spot 40) is not: + 1 × 11 → 191/10
    const last = valueForward(c, market("2026-03-10", "0", f, sp)).periods[0];
    expect([last.state, last.observedDays, last.price.toString()]).toEqual(["averaging", 9, "19.1"]);
    // as-of = day after the window: all 10 days observed → realised: (9 × 20 + 40) / 10 = 22, no forward needed
    const after = valueForward(c, market("2026-03-11", "0", [], sp)).periods[0];
    expect([after.state, after.observedDays, after.price.toString(), after.discountFactor.toString()]).toEqual(["realised", 10, "22", "1"]);
  });

  it("forward period: forward price, discounted exp(−r·T) with T from as-of to the day after the window", () => {
    // June 2026, Q = 30e6, forward 12, K = 10 → undiscounted 2 × 30 = 60.
    // as-of 2026-03-05 → pay 2026-07-01: 27 (to Apr 1) + 30 + 31 + 30 = 118 days; x = 0.04 × 118/365 = 0.0129315068493150685
    //   exp(−x) = 1 − 0.0129315068493151 + 0.0000836119346969 − 0.0000003604094354 + 0.0000000011651593 − 0.0000000000030135 = 0.98715174583810
    // value = 60 × 0.98715174583810 = 59.229104750286 → 59.229105. No spot is needed.
    const mark = valueForward(contract("f", 30_000_000n, "2026-06-01", "2026-06-30", "10"), market("2026-03-05", "0.04", fwds([["2026-06", "12"]]), []));
    const p = mark.periods[0];
    expect([p.state, p.observedDays, p.price.toString(), iso(p.payDate)]).toEqual(["forward", 0, "12", "2026-07-01"]);
    expect(p.discountFactor.sub("0.98715174583810").abs().lt("1e-14")).toBe(true);
    expect(markRows(mark).map((r) => [r.period, r.discountFactor, r.valueUsd])).toEqual([
      ["2026-06", "0.987152", "59.229105"],
      ["TOTAL", "", "59.229105"],
    ]);
  });

  // 2026-10-15..2026-12-31, Q = 78e6 (17e6 / 30e6 / 31e6), K = 10, as-of 2026-11-10.
  // Spot: 10-14 = 9, 10-20 = 11, 11-05 = 13, 11-10 = 50 (as-of day: not observed). Forwards: Nov 12, Dec 12.5.
  const midMonth = (rate: string) =>
    valueForward(
      contract("m", 78_000_000n, "2026-10-15", "2026-12-31", "10"),
      market("2026-11-10", rate, fwds([["2026-11", "12"], ["2026-12", "12.5"]]), spots([["2026-10-14", "9"], ["2026-10-20", "11"], ["2026-11-05", "13"], ["2026-11-10", "50"]])),
    );

  it("window starting mid-month: realised October, averaging November, forward December", () => {
    // Oct (realised): 15..19 = 9 (carried from the 14th) × 5 = 45, 20..31 = 11 × 12 = 132 → 177 / 17 = 10.4117647058…
    //   value (177/17 − 10) × 17 = 177 − 170 = 7; DF 1.
    // Nov (averaging): 1..4 = 11 × 4 = 44, 5..9 = 13 × 5 = 65 → observed 109; 10..30 = 21 days × 12 = 252 → 361/30 = 12.0333…
    //   undiscounted (361/30 − 10) × 30 = 61; pay Dec 1, 21 days: DF = 0.99770127625831896 (see discountFactor) → 60.859777851757457
    // Dec (forward): 12.5, (12.5 − 10) × 31 = 77.5; pay 2027-01-01, 52 days: x = 0.04 × 52/365 = 0.0056986301369863
    //   exp(−x) = 1 − 0.0056986301369863 + 0.0000162371927191 − 0.0000000308432519 + 0.0000000000439411 − 0.0000000000000501 = 0.99431757625637
    //   → 77.5 × 0.99431757625637 = 77.059612159869
    // TOTAL: price (177 + 361 + 387.5) / 78 = 925.5/78 = 11.8653846…; value 7 + 60.859777851757 + 77.059612159869 = 144.919390011626
    const rows = markRows(midMonth("0.04"));
    expect(rows.map((r) => [r.period, r.state, r.quantityTokens, r.price, r.discountFactor, r.valueUsd])).toEqual([
      ["2026-10", "realised", "17000000", "10.411765", "1.000000", "7.000000"],
      ["2026-11", "averaging", "30000000", "12.033333", "0.997701", "60.859778"],
      ["2026-12", "forward", "31000000", "12.500000", "0.994318", "77.059612"],
      ["TOTAL", "total", "78000000", "11.865385", "", "144.919390"],
    ]);
    const mark = midMonth("0.04");
    expect(mark.periods[1].observedDays).toBe(9);
    expect(mark.periods[1].valueUsd.sub("60.859777851757457").abs().lt("1e-14")).toBe(true);
    expect(mark.periods[2].valueUsd.sub("77.059612159869").abs().lt("1e-11")).toBe(true);
    expect(mark.total.valueUsd.sub("144.919390011626").abs().lt("1e-11")).toBe(true);
  });

  it("zero rate: every discount factor is 1 and values are undiscounted", () => {
    // 7 + 61 + 77.5 = 145.5
    const rows = markRows(midMonth("0"));
    expect(rows.map((r) => [r.period, r.discountFactor, r.valueUsd])).toEqual([
      ["2026-10", "1.000000", "7.000000"],
      ["2026-11", "1.000000", "61.000000"],
      ["2026-12", "1.000000", "77.500000"],
      ["TOTAL", "", "145.500000"],
    ]);
  });

  it("uses the largest-remainder integer quantity for value, and TOTAL sums unrounded period values, rounded once", () => {
    // Window 2026-01-29..2026-02-03: Jan 29–31 and Feb 1–3 (3 days each), Q = 2 → 1 token each. K = 10.
    // Spot 10, 10, 11 in each month → average 31/3 = 10.3333…; each value (1/3) × 1 / 1e6 = 0.000000333… → 0.000000.
    // TOTAL = 0.000000666… rounded once = 0.000001 (summing the rounded rows would give 0.000000).
    const sp = spots([
      ["2026-01-29", "10"], ["2026-01-30", "10"], ["2026-01-31", "11"],
      ["2026-02-01", "10"], ["2026-02-02", "10"], ["2026-02-03", "11"],
    ]);
    const rows = markRows(valueForward(contract("t", 2n, "2026-01-29", "2026-02-03", "10"), market("2026-03-01", "0.04", [], sp)));
    expect(rows.map((r) => [r.period, r.state, r.quantityTokens, r.price, r.valueUsd])).toEqual([
      ["2026-01", "realised", "1", "10.333333", "0.000000"],
      ["2026-02", "realised", "1", "10.333333", "0.000000"],
      ["TOTAL", "total", "2", "10.333333", "0.000001"],
    ]);
    // Q = 3 over Jan 31 + Feb 1 (1.5 / 1.5 → 2 / 1): spot 13 then 16, K = 10 → 3 × 2 + 6 × 1 = 12 micro-dollars;
    // with exact quantities it would be 3 × 1.5 + 6 × 1.5 = 13.5.
    const m2 = market("2026-03-01", "0", [], spots([["2026-01-31", "13"], ["2026-02-01", "16"]]));
    const mk = valueForward(contract("u", 3n, "2026-01-31", "2026-02-01", "10"), m2);
    expect(mk.periods.map((p) => p.valueUsd.toString())).toEqual(["0.000006", "0.000006"]);
    expect(mk.total.valueUsd.toString()).toBe("0.000012");
    // quantity-weighted TOTAL price: (2 × 13 + 1 × 16) / 3 = 14
    expect(mk.total.price.toString()).toBe("14");
  });
});
