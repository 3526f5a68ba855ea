import { describe, expect, it } from "vitest";
import { capacityCoverage, creditRuleText, dailyPeaks, deliveredVsReserved, nearestRank, peakBasis, reservedInMonth, serviceCreditPct, type Reservation, type UsagePoint } from "./capacity";

const at = (iso: string) => new Date(`${iso}Z`);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

// A hand-made hourly series of one class over four days (the fourth has no usage at all):
//   01-01: 10:00 6,000  11:00 1,200   → busiest hour 6,000, day 7,200
//   01-02: 09:00 3,000  14:00 12,000  → busiest hour 12,000, day 15,000
//   01-03: 08:00 600                  → busiest hour 600, day 600
//   01-04: —                          → 0
// daily peaks 0, 600, 6,000, 12,000 → P90 nearest rank ⌈0.9·4⌉ = 4th smallest = 12,000 tokens in an hour
// → 200 tokens per minute; history 22,800 tokens over 4 days = 5,700 a day.
const hourly: UsagePoint[] = [
  { start: at("2026-01-01T10:00:00"), tokens: 6000n },
  { start: at("2026-01-01T11:00:00"), tokens: 1200n },
  { start: at("2026-01-02T09:00:00"), tokens: 3000n },
  { start: at("2026-01-02T14:00:00"), tokens: 12000n },
  { start: at("2026-01-03T08:00:00"), tokens: 600n },
  // outside the window: ignored
  { start: at("2025-12-31T23:00:00"), tokens: 999999n },
];
const from = day("2026-01-01");
const to = day("2026-01-04");

describe("peak demand from usage history", () => {
  it("takes the busiest hour of each day, zero for a day without usage", () => {
    expect(dailyPeaks(hourly, "HOUR", from, to)).toEqual([6000n, 12000n, 600n, 0n]);
    expect(dailyPeaks(hourly, "DAY", from, to)).toEqual([7200n, 15000n, 600n, 0n]);
  });

  it("P90 is the nearest rank", () => {
    expect(nearestRank([0n, 600n, 6000n, 12000n], 0.9)).toBe(12000n);
    // ten values: ⌈9⌉ = 9th smallest
    expect(nearestRank([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n].map((x) => x * 100n), 0.9)).toBe(900n);
    expect(nearestRank([], 0.9)).toBe(0n);
  });

  it("hourly: P90 busiest hour / 60, rounded up", () => {
    expect(peakBasis(hourly, "HOUR", from, to)).toEqual({ granularity: "HOUR", days: 4, p90PeriodTokens: 12000n, peakTokensPerMinute: 200n, historyTokens: 22800n });
    expect(peakBasis([{ start: at("2026-01-01T00:00:00"), tokens: 61n }], "HOUR", from, from).peakTokensPerMinute).toBe(2n);
  });

  it("daily only: P90 busiest day / 1440", () => {
    const daily = [{ start: day("2026-01-01"), tokens: 14400n }, { start: day("2026-01-02"), tokens: 7200n }];
    // peaks 14,400 and 7,200 → ⌈1.8⌉ = 2nd = 14,400 → 10 per minute
    expect(peakBasis(daily, "DAY", from, day("2026-01-02"))).toMatchObject({ granularity: "DAY", p90PeriodTokens: 14400n, peakTokensPerMinute: 10n, historyTokens: 21600n });
  });
});

describe("reserved capacity in a month", () => {
  const reservations: Reservation[] = [
    { contractId: "a", reference: "A", windowStart: day("2026-02-01"), windowEnd: day("2026-03-15"), reservedTokensPerMinute: 250n },
    { contractId: "b", reference: "B", windowStart: day("2026-02-10"), windowEnd: day("2026-04-30"), reservedTokensPerMinute: 200n },
    { contractId: "c", reference: "C", windowStart: day("2026-06-01"), windowEnd: day("2026-06-10"), reservedTokensPerMinute: 500n },
  ];
  it("is the least daily sum over the month", () => {
    // Feb: 250 on the 1st–9th, 450 from the 10th → 250; Mar: 450 to the 15th, 200 after → 200
    expect(reservedInMonth(reservations, "2026-02").reservedTokensPerMinute).toBe(250n);
    expect(reservedInMonth(reservations, "2026-03").reservedTokensPerMinute).toBe(200n);
    expect(reservedInMonth(reservations, "2026-03").contracts).toEqual([
      { contractId: "a", reference: "A", reservedTokensPerMinute: 250n, wholeMonth: false },
      { contractId: "b", reference: "B", reservedTokensPerMinute: 200n, wholeMonth: true },
    ]);
    expect(reservedInMonth(reservations, "2026-05")).toEqual({ reservedTokensPerMinute: 0n, contracts: [] });
  });

  it("forecast peak (history peak × forecast growth) against reservations", () => {
    // Feb forecast: 319,200 tokens over 28 days = 11,400 a day = 2 × the history's 5,700 → 12,000 × 2 / 60 = 400
    const forecast = new Map([["2026-02", { tokens: 319200n, days: 28 }]]);
    const r = capacityCoverage({ classId: "c", name: "general", granularity: "HOUR", points: hourly, historyFrom: from, historyTo: to, forecast, reservations }, ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    expect(r.basis?.peakTokensPerMinute).toBe(200n);
    const rows = r.months.map((m) => [m.month, m.growth?.toString() ?? null, m.forecastPeakTokensPerMinute, m.reservedTokensPerMinute, m.shortfallTokensPerMinute, m.status]);
    expect(rows).toEqual([
      ["2026-02", "2", 400n, 250n, 150n, "SHORT"],
      // no forecast: held flat at today's 200
      ["2026-03", null, 200n, 200n, 0n, "COVERED"],
      ["2026-04", null, 200n, 200n, 0n, "COVERED"],
      // no contract reserves any day of May: shared capacity, not a shortfall
      ["2026-05", null, 200n, 0n, 200n, "UNRESERVED"],
      // C reserves 500 but only to June 10: nothing is held from the 11th → short
      ["2026-06", null, 200n, 0n, 200n, "SHORT"],
    ]);
  });

  it("no reservation in the horizon, no demand, no history", () => {
    const base = { classId: "c", name: "x", historyFrom: from, historyTo: to, forecast: new Map(), reservations: [] };
    expect(capacityCoverage({ ...base, granularity: "HOUR", points: hourly }, ["2026-02"]).months[0]).toMatchObject({ status: "UNRESERVED", forecastPeakTokensPerMinute: 200n, shortfallTokensPerMinute: 200n });
    expect(capacityCoverage({ ...base, granularity: "HOUR", points: [] }, ["2026-02"]).months[0]).toMatchObject({ status: "NO_DEMAND", forecastPeakTokensPerMinute: 0n });
    expect(capacityCoverage({ ...base, granularity: null, points: [] }, ["2026-02"]).months[0]).toMatchObject({ status: "NO_HISTORY", forecastPeakTokensPerMinute: null });
  });
});

describe("delivered vs reserved", () => {
  it("draws each day's usage down in booking order, up to each daily reservation", () => {
    const contracts = [
      { contractId: "b", reference: "B", bookedAt: at("2026-01-02T00:00:00"), windowStart: day("2026-01-30"), windowEnd: day("2026-02-02"), reservedTokensPerMinute: 2n },
      { contractId: "a", reference: "A", bookedAt: at("2026-01-01T00:00:00"), windowStart: day("2026-01-30"), windowEnd: day("2026-02-02"), reservedTokensPerMinute: 1n },
    ];
    // A: 1,440 a day, B: 2,880 a day; 01-30 5,000 → A 1,440, B 2,880; 01-31 2,000 → A 1,440, B 560; 02-01 nothing;
    // 02-02 is not over (before = 02-02)
    const usage = new Map([["2026-01-30", 5000n], ["2026-01-31", 2000n], ["2026-02-02", 9999n]]);
    const r = deliveredVsReserved(contracts, usage, day("2026-02-02"));
    const plain = (id: string) => r.get(id)!.map((m) => ({ ...m, utilisationPct: m.utilisationPct?.toFixed(4) ?? null }));
    expect(plain("a")).toEqual([
      { month: "2026-01", days: 2, reservedTokens: 2880n, deliveredTokens: 2880n, unusedTokens: 0n, utilisationPct: "100.0000" },
      { month: "2026-02", days: 1, reservedTokens: 1440n, deliveredTokens: 0n, unusedTokens: 1440n, utilisationPct: "0.0000" },
    ]);
    expect(plain("b")).toEqual([
      // 3,440 / 5,760 = 59.7222…%
      { month: "2026-01", days: 2, reservedTokens: 5760n, deliveredTokens: 3440n, unusedTokens: 2320n, utilisationPct: "59.7222" },
      { month: "2026-02", days: 1, reservedTokens: 2880n, deliveredTokens: 0n, unusedTokens: 2880n, utilisationPct: "0.0000" },
    ]);
    expect(deliveredVsReserved([], usage, day("2026-02-02")).size).toBe(0);
  });
});

describe("service-credit rule", () => {
  const rule = {
    tiers: [
      { metric: "UPTIME" as const, belowPct: "99.9", creditPct: "10" },
      { metric: "UPTIME" as const, belowPct: "99", creditPct: "25" },
      { metric: "LATENCY_P95" as const, aboveMs: 2000, creditPct: "5" },
    ],
    monthlyCapPct: "30",
  };
  it("deepest tier per metric, metrics add up, capped", () => {
    expect(serviceCreditPct(rule, { uptimePct: "99.5", latencyP95Ms: 1500 }).creditPct.toString()).toBe("10");
    expect(serviceCreditPct(rule, { uptimePct: "98.5", latencyP95Ms: 2500 }).creditPct.toString()).toBe("30");
    expect(serviceCreditPct({ ...rule, monthlyCapPct: "28" }, { uptimePct: "98", latencyP95Ms: 3000 }).creditPct.toString()).toBe("28");
    // at the threshold is not a breach; unmeasured metrics earn nothing
    expect(serviceCreditPct(rule, { uptimePct: "99.9", latencyP95Ms: 2000 }).creditPct.toString()).toBe("0");
    expect(serviceCreditPct(rule, {}).breached).toEqual([]);
    expect(creditRuleText(rule)).toBe("uptime below 99.9%: 10%; uptime below 99%: 25%; p95 latency above 2000 ms: 5% of the month's contract value (deepest tier per metric; capped at 30% a month)");
  });
});
