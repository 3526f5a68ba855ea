import { describe, expect, it } from "vitest";
import { Decimal, moneyString } from "./money";
import { parseDay } from "./time";
import { marketSnapshot, spotSeries, valueForward, type AveragePriceForward, type SpotObservation } from "./valuation";
import {
  allocateCredits,
  csvCell,
  dailyMedianSpots,
  lifecycle,
  median,
  settleCredits,
  settleFinancial,
  statementCsv,
  statementRow,
  type ClassUsage,
  type CreditContract,
} from "./settlement";

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
const shown = (xs: { month: string; avgSpotUsdPerMTokens: Decimal | null; amountUsd: Decimal; quantityTokens: bigint }[]) =>
  xs.map((x) => [x.month, x.quantityTokens, x.avgSpotUsdPerMTokens && moneyString(x.avgSpotUsdPerMTokens), moneyString(x.amountUsd)]);

// March 2026 spot: 8 from Feb 25 (carried into Mar 1–10), 12 on Mar 11 (Mar 11–20), 11 on Mar 21 (Mar 21–31).
// Sum over March = 10 × 8 + 10 × 12 + 11 × 11 = 80 + 120 + 121 = 321; average = 321 / 31 = 10.35483870967741935…
const marchSpot = spotSeries(spots([["2026-02-25", "8"], ["2026-03-11", "12"], ["2026-03-21", "11"]]));

describe("settleFinancial", () => {
  it("settles a full month against the average carried-forward spot", () => {
    // Q = 31M over March → q = 31M; amount = (321/31 − 10) × 31 = 321 − 310 = 11 USD
    const r = settleFinancial(contract("c", 31_000_000n, "2026-03-01", "2026-03-31", "10"), day("2026-04-01"), marchSpot);
    expect(shown(r.settled)).toEqual([["2026-03", 31_000_000n, "10.354839", "11.000000"]]);
    expect(r.waitingForSpot).toEqual([]);
  });

  it("settles the partial first month of a window starting mid-month, leaving the next month until it ends", () => {
    // Window 2026-03-17..2026-04-30: N = 15 + 30 = 45 days, Q = 45M → 1M a day; March q = 15M.
    // Spot 9 on Mar 16 (before the window: carried into Mar 17–23, 7 days), 13 on Mar 24 (Mar 24–31, 8 days):
    // sum = 63 + 104 = 167, avg = 167/15 = 11.1333…; amount = (167/15 − 10) × 15 = 167 − 150 = 17 USD.
    const s = spotSeries(spots([["2026-03-16", "9"], ["2026-03-24", "13"]]));
    const c = contract("c", 45_000_000n, "2026-03-17", "2026-04-30", "10");
    expect(shown(settleFinancial(c, day("2026-04-01"), s).settled)).toEqual([["2026-03", 15_000_000n, "11.133333", "17.000000"]]);
    // the as-of day itself is not observed: on Mar 31 March is not yet due, on Apr 30 April is not either
    expect(settleFinancial(c, day("2026-03-31"), s).settled).toEqual([]);
    expect(settleFinancial(c, day("2026-04-30"), s).settled.map((p) => p.month)).toEqual(["2026-03"]);
    // from May 1 both: April is all carried-forward 13 → (13 − 10) × 30 = 90 USD
    expect(shown(settleFinancial(c, day("2026-05-01"), s).settled)).toEqual([
      ["2026-03", 15_000_000n, "11.133333", "17.000000"],
      ["2026-04", 30_000_000n, "13.000000", "90.000000"],
    ]);
  });

  it("pays the other way when spot averaged below the strike", () => {
    // K = 12, q = 31M: (321/31 − 12) × 31 = 321 − 372 = −51 USD
    expect(shown(settleFinancial(contract("c", 31_000_000n, "2026-03-01", "2026-03-31", "12"), day("2026-04-01"), marchSpot).settled)).toEqual([
      ["2026-03", 31_000_000n, "10.354839", "-51.000000"],
    ]);
    // K = 10.5, q = 1M: 10.3548387096774193… − 10.5 = −0.1451612903225806… → −0.145161 (half-even, 6 dp)
    const r = settleFinancial(contract("c", 1_000_000n, "2026-03-01", "2026-03-31", "10.5"), day("2026-04-01"), marchSpot);
    expect(moneyString(r.settled[0].amountUsd)).toBe("-0.145161");
  });

  it("waits for a month with a window day before the class's first observation, and reports the day", () => {
    // first observation Mar 5: Mar 1–4 have no spot; April is fully carried forward from it
    const s = spotSeries(spots([["2026-03-05", "10"]]));
    const r = settleFinancial(contract("c", 61_000_000n, "2026-03-01", "2026-04-30", "9"), day("2026-05-01"), s);
    expect(r.waitingForSpot).toEqual([{ month: "2026-03", day: "2026-03-01" }]);
    expect(shown(r.settled)).toEqual([["2026-04", 30_000_000n, "10.000000", "30.000000"]]);
  });

  it("equals the realised period of the mark-to-market (same periods, quantities and spot)", () => {
    const c = contract("c", 100_000_000n, "2026-02-15", "2026-04-30", "10.25");
    const obs = spots([["2026-02-10", "9.5"], ["2026-03-03", "10.75"], ["2026-03-19", "11.125"], ["2026-04-02", "9.875"]]);
    const asOf = day("2026-05-01");
    const mark = valueForward(c, marketSnapshot({ asOf, rate: "0.04", forwards: [], spots: obs }));
    const settled = settleFinancial(c, asOf, spotSeries(obs)).settled;
    expect(settled.map((p) => moneyString(p.amountUsd))).toEqual(mark.periods.map((p) => moneyString(p.valueUsd)));
    expect(settled.map((p) => p.quantityTokens)).toEqual(mark.periods.map((p) => p.quantityTokens));
  });
});

describe("daily spot from quotes", () => {
  it("is the median mid per class and UTC day; an even count averages the middle two", () => {
    expect(median(["8", "10", "9"]).toString()).toBe("9");
    expect(median(["8.1", "8.2"]).toString()).toBe("8.15");
    const obs = dailyMedianSpots([
      { modelClass: "gpt", at: new Date("2026-03-02T09:00:00Z"), mid: "8" },
      { modelClass: "gpt", at: new Date("2026-03-02T23:59:59Z"), mid: "10" },
      { modelClass: "gpt", at: new Date("2026-03-02T12:00:00Z"), mid: "12.5" },
      { modelClass: "gpt", at: new Date("2026-03-01T00:00:00Z"), mid: "7" },
      { modelClass: "gpt", at: new Date("2026-03-03T01:00:00Z"), mid: "6" },
      { modelClass: "gpt", at: new Date("2026-03-03T02:00:00Z"), mid: "7.5" },
      { modelClass: "claude", at: new Date("2026-03-02T10:00:00Z"), mid: "20" },
    ]);
    expect(obs.map((o) => [o.modelClass, o.date.toISOString().slice(0, 10), o.price.toString()])).toEqual([
      ["claude", "2026-03-02", "20"],
      ["gpt", "2026-03-01", "7"],
      ["gpt", "2026-03-02", "10"],
      ["gpt", "2026-03-03", "6.75"],
    ]);
  });
});

describe("service credits", () => {
  const credit = (id: string, bookedAt: string, q: bigint, start: string, end: string, strike = "2.5", modelClass = "gpt"): CreditContract => ({
    ...contract(id, q, start, end, strike, modelClass),
    bookedAt: new Date(bookedAt),
  });
  const usage = (from: string, to: string, tokens: bigint, modelClass = "gpt"): ClassUsage[] => {
    const out: ClassUsage[] = [];
    for (let d = day(from); d <= day(to); d = new Date(d.getTime() + 86_400_000)) out.push({ modelClass, day: d, tokens });
    return out;
  };
  // B was booked first (Jan 5): 2026-03-16..04-15 (N = 31: March 16 days → 1.6B, April 15 days → 1.5B of 3.1B).
  // A was booked later (Jan 10): all of March, 3.1B.
  const A = credit("A", "2026-01-10T12:00:00Z", 3_100_000_000n, "2026-03-01", "2026-03-31");
  const B = credit("B", "2026-01-05T12:00:00Z", 3_100_000_000n, "2026-03-16", "2026-04-15");
  const C = credit("C", "2026-01-01T00:00:00Z", 31_000_000n, "2026-03-01", "2026-03-31", "30", "claude");
  const used = [
    ...usage("2026-03-01", "2026-03-15", 100_000_000n), // only A covers: A uses 1.5B
    ...usage("2026-03-16", "2026-03-31", 250_000_000n), // both cover, B first
    ...usage("2026-04-01", "2026-04-15", 50_000_000n), // only B's April: 0.75B of 1.5B
    ...usage("2026-04-16", "2026-04-20", 1_000_000_000n), // after every window: nobody's
    { modelClass: "claude", day: day("2026-03-05"), tokens: 10_000_000n },
  ];

  it("allocates overlapping contracts' credits in booking order, day by day; unused credits are forfeited", () => {
    // Mar 16–21: B takes 6 × 250M = 1.5B; Mar 22: B's last 100M, A 150M (A: 1.5B + 150M = 1.65B);
    // Mar 23–27: A 5 × 250M = 1.25B (2.9B); Mar 28: A's last 200M, 50M uncovered; Mar 29–31 uncovered.
    // April: B 15 × 50M = 750M of 1.5B → 750M forfeited. Claude is a separate class: C uses 10M of 31M.
    const r = allocateCredits([A, B, C], used);
    expect(r.map((u) => [u.contractId, u.month, u.deliveredTokens, u.usedTokens, u.forfeitedTokens])).toEqual([
      ["C", "2026-03", 31_000_000n, 10_000_000n, 21_000_000n],
      ["B", "2026-03", 1_600_000_000n, 1_600_000_000n, 0n],
      ["B", "2026-04", 1_500_000_000n, 750_000_000n, 750_000_000n],
      ["A", "2026-03", 3_100_000_000n, 3_100_000_000n, 0n],
    ]);
    // had A been booked first it would have absorbed the shared days first: A 1.5B + Mar 16–21 (1.5B) + 100M
    // of Mar 22 = 3.1B, B gets 150M on Mar 22 and 9 × 250M on Mar 23–31 = 2.4B → capped at its 1.6B
    const swapped = allocateCredits([{ ...A, bookedAt: new Date("2026-01-01T00:00:00Z") }, B], used);
    expect(swapped.map((u) => [u.contractId, u.month, u.usedTokens])).toEqual([
      ["A", "2026-03", 3_100_000_000n],
      ["B", "2026-03", 1_600_000_000n],
      ["B", "2026-04", 750_000_000n],
    ]);
  });

  it("breaks a booking-time tie by id, and leaves credits unused on days without usage", () => {
    const t = "2026-01-01T00:00:00Z";
    const r = allocateCredits([credit("b", t, 100n, "2026-03-01", "2026-03-01"), credit("a", t, 100n, "2026-03-01", "2026-03-01")], [{ modelClass: "gpt", day: day("2026-03-01"), tokens: 150n }]);
    expect(r.map((u) => [u.contractId, u.usedTokens, u.forfeitedTokens])).toEqual([["a", 100n, 0n], ["b", 50n, 50n]]);
    expect(allocateCredits([A], []).map((u) => [u.usedTokens, u.forfeitedTokens])).toEqual([[0n, 3_100_000_000n]]);
  });

  it("settles due months at the strike value of the credits used", () => {
    const uses = allocateCredits([A, B, C], used);
    // Apr 1: March is due for A and B, B's April is not. A: 3.1B × 2.5 / 1e6 = 7750; B March: 1.6B × 2.5 / 1e6 = 4000
    expect(settleCredits(A, uses, day("2026-04-01")).map((s) => [s.month, s.creditsUsedTokens, s.creditsForfeitedTokens, s.avgSpotUsdPerMTokens, moneyString(s.amountUsd)])).toEqual([
      ["2026-03", 3_100_000_000n, 0n, null, "7750.000000"],
    ]);
    expect(settleCredits(B, uses, day("2026-04-01")).map((s) => s.month)).toEqual(["2026-03"]);
    // Apr 16: B's April too: 750M × 2.5 / 1e6 = 1875; C (claude, K = 30): 10M × 30 / 1e6 = 300
    expect(settleCredits(B, uses, day("2026-04-16")).map((s) => moneyString(s.amountUsd))).toEqual(["4000.000000", "1875.000000"]);
    expect(settleCredits(C, uses, day("2026-04-16")).map((s) => [s.creditsUsedTokens, s.creditsForfeitedTokens, moneyString(s.amountUsd)])).toEqual([[10_000_000n, 21_000_000n, "300.000000"]]);
  });
});

describe("lifecycle", () => {
  it("starts delivery on the window's first day and settles once every period has settled", () => {
    expect(lifecycle("BOOKED", day("2026-03-01"), day("2026-02-28"), 2, 0)).toEqual({ deliveryStarted: false, completed: false });
    expect(lifecycle("BOOKED", day("2026-03-01"), day("2026-03-01"), 2, 0)).toEqual({ deliveryStarted: true, completed: false });
    expect(lifecycle("BOOKED", day("2026-03-01"), day("2026-06-01"), 2, 2)).toEqual({ deliveryStarted: true, completed: true });
    expect(lifecycle("DELIVERING", day("2026-03-01"), day("2026-04-01"), 2, 1)).toEqual({ deliveryStarted: false, completed: false });
    expect(lifecycle("DELIVERING", day("2026-03-01"), day("2026-05-01"), 2, 2)).toEqual({ deliveryStarted: false, completed: true });
  });
});

describe("statement CSV", () => {
  it("neutralises text a spreadsheet would run as a formula, but keeps negative numbers", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+CMD")).toBe("'+CMD");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("-12.500000")).toBe("-12.500000");
    expect(csvCell("+5")).toBe("+5");
    expect(csvCell("FWD-2026-001")).toBe("FWD-2026-001");
    expect(csvCell("a,b")).toBe("\"a,b\"");
    expect(csvCell(null)).toBe("");
  });

  it("has the documented columns and one line per settled month", () => {
    const s = settleFinancial(contract("c", 31_000_000n, "2026-03-01", "2026-03-31", "12"), day("2026-04-01"), marchSpot).settled;
    expect(statementCsv("=cmd|' /C calc'!A0", s.map((x) => statementRow(x, "12")))).toBe(
      "contract_reference,month,quantity_tokens,avg_spot_usd_per_mtok,strike_usd_per_mtok,amount_usd,credits_used_tokens,credits_forfeited_tokens\n" +
        "'=cmd|' /C calc'!A0,2026-03,31000000,10.354839,12.000000,-51.000000,,\n",
    );
  });
});
