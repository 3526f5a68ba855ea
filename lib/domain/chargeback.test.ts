import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "./money";
import { addDays, parseDay } from "./time";
import {
  chargebacks,
  chargebacksOfPriced,
  curveSpotLookup,
  priceMonths,
  monthsEnding,
  periodMonths,
  roundShares,
  totalsOf,
  type ChargebackInput,
  type HedgeSettlement,
  type UsageDay,
} from "./chargeback";
import type { PriceVersion } from "./pricing";

const day = parseDay;
/** Daily usage rows for a team: [first day, last day, input, output] (cached 0). */
const daily = (teamId: string, from: string, to: string, input: bigint, output: bigint, modelId = "gpt-4.1", modelClassId = "chat"): UsageDay[] => {
  const out: UsageDay[] = [];
  for (let d = day(from); d <= day(to); d = addDays(d, 1)) out.push({ teamId, modelId, modelClassId, day: d, inputTokens: input, outputTokens: output, cachedInputTokens: 0n });
  return out;
};
const noList = new Map<string, PriceVersion[]>();
const base = (over: Partial<ChargebackInput>): ChargebackInput => ({
  months: ["2026-10"], benchmark: "SPOT", allocation: "USAGE", usage: [], spotOn: curveSpotLookup([]), listPrices: noList, settlements: [], ...over,
});
const usd = (v: Decimal) => v.toFixed(2);
const lineOf = (r: ReturnType<typeof chargebacks>, teamId: string, month = r.months[0]) => {
  const l = r.lines.find((x) => x.teamId === teamId && x.month === month)!;
  return { tokens: l.tokens, benchmark: usd(l.benchmarkUsd), hedge: usd(l.hedgeUsd), charge: usd(l.chargeUsd) };
};

// October 2026: spot 10 from the curve of Sep 28 (Oct 1–15), 12 from the curve of Oct 16 (Oct 16–31)
const octoberSpot = curveSpotLookup([
  { modelClassId: "chat", asOf: day("2026-09-28"), spotUsdPerMTokens: "10" },
  { modelClassId: "chat", asOf: day("2026-10-16"), spotUsdPerMTokens: "12" },
]);
const financial = (amountUsd: string, over: Partial<HedgeSettlement> = {}): HedgeSettlement => ({
  contractId: "c1", reference: "TH-2026-00001", modelClassId: "chat", month: "2026-10", settlement: "FINANCIAL", strikeUsdPerMTokens: "10",
  quantityTokens: 10_000_000n, amountUsd, creditsUsedTokens: null, creditsForfeitedTokens: null, ...over,
});

describe("one class, one financial contract, two teams", () => {
  // A: 1M tokens a day all month → 15M × 10 + 16M × 12 = 150 + 192 = 342 USD; B: 3M on Oct 20 → 3M × 12 = 36 USD.
  // S = 378, U = 34M. The contract paid the org 24.50 (avg 12.45 vs strike 10 on 10M): H = −24.50, org cost 353.50.
  // Usage shares: A −24.5 × 31/34 = −22.338… → −22.34; B −24.5 × 3/34 = −2.161… → −2.16; together −24.50.
  const usage = [...daily("A", "2026-10-01", "2026-10-31", 800_000n, 200_000n), ...daily("B", "2026-10-20", "2026-10-20", 2_000_000n, 1_000_000n)];
  const r = chargebacks(base({ usage, spotOn: octoberSpot, settlements: [financial("24.500000")] }));

  it("prices each team's days at the curve's spot and shares the settlement gain pro rata to usage", () => {
    expect(lineOf(r, "A")).toEqual({ tokens: 31_000_000n, benchmark: "342.00", hedge: "-22.34", charge: "319.66" });
    expect(lineOf(r, "B")).toEqual({ tokens: 3_000_000n, benchmark: "36.00", hedge: "-2.16", charge: "33.84" });
    const c = r.classMonths[0];
    expect([usd(c.benchmarkUsd), usd(c.hedgeUsd), usd(c.costUsd), c.costExactUsd.toString(), usd(c.unallocatedUsd)]).toEqual(["378.00", "-24.50", "353.50", "353.5", "0.00"]);
    expect([c.contracts[0].basis, c.contracts[0].resultUsd.toString()]).toEqual(["USAGE", "-24.5"]);
    expect(c.contracts[0].shares.get("A")!.toFixed(6)).toBe("0.911765"); // 31/34
    // the teams' charges add up to the org's cost
    expect(usd(totalsOf(r.lines).chargeUsd)).toBe("353.50");
  });

  it("a loss raises the charge the same way; without a settlement spot = hedged", () => {
    const loss = chargebacks(base({ usage, spotOn: octoberSpot, settlements: [financial("-17.000000")] }));
    // +17 × 31/34 = 15.50 and +17 × 3/34 = 1.50 exactly
    expect(lineOf(loss, "A")).toMatchObject({ hedge: "15.50", charge: "357.50" });
    expect(lineOf(loss, "B")).toMatchObject({ hedge: "1.50", charge: "37.50" });
    const none = chargebacks(base({ usage, spotOn: octoberSpot }));
    for (const l of none.lines) expect(l.chargeUsd.eq(l.benchmarkUsd)).toBe(true);
    expect(usd(none.classMonths[0].costUsd)).toBe("378.00");
  });

  it("settlements of other months and pending months change nothing, pending ones are listed", () => {
    const r2 = chargebacks(base({
      usage, spotOn: octoberSpot, settlements: [financial("99", { month: "2026-09" })],
      pending: [{ contractId: "c2", reference: "TH-2026-00002", modelClassId: "chat", month: "2026-10", settlement: "FINANCIAL" }],
    }));
    expect(lineOf(r2, "A")).toMatchObject({ hedge: "0.00", charge: "342.00" });
    expect(r2.classMonths[0].pending.map((p) => p.reference)).toEqual(["TH-2026-00002"]);
  });
});

describe("service credits with forfeiture", () => {
  // November at a flat spot of 10. A uses 6M tokens, B 2M: S = 80, U = 8M.
  // 9M credits at K = 8: 8M used (amount 64), 1M forfeited (8 USD, a cost of the hedge), and the used credits
  // replaced 8M tokens the org would have bought at 10 (80 USD): H = 64 + 8 − 80 = −8. Org cost = 72 = 9M × 8.
  const spot = curveSpotLookup([{ modelClassId: "chat", asOf: day("2026-10-01"), spotUsdPerMTokens: "10" }]);
  const usage = [...daily("A", "2026-11-01", "2026-11-06", 800_000n, 200_000n), ...daily("B", "2026-11-01", "2026-11-02", 600_000n, 400_000n)];
  const credits: HedgeSettlement = {
    contractId: "c1", reference: "TH-2026-00003", modelClassId: "chat", month: "2026-11", settlement: "SERVICE_CREDITS", strikeUsdPerMTokens: "8",
    quantityTokens: 9_000_000n, amountUsd: "64.000000", creditsUsedTokens: 8_000_000n, creditsForfeitedTokens: 1_000_000n,
    forecastTokens: new Map([["A", 1_000_000n], ["B", 3_000_000n]]),
  };

  it("pro rata to usage: the forfeited credits are shared with the saving", () => {
    const r = chargebacks(base({ months: ["2026-11"], usage, spotOn: spot, settlements: [credits] }));
    const k = r.classMonths[0].contracts[0];
    expect([k.forfeitedUsd.toString(), k.replacedUsd.toString(), k.resultUsd.toString(), k.basis]).toEqual(["8", "80", "-8", "USAGE"]);
    expect(lineOf(r, "A")).toEqual({ tokens: 6_000_000n, benchmark: "60.00", hedge: "-6.00", charge: "54.00" });
    expect(lineOf(r, "B")).toEqual({ tokens: 2_000_000n, benchmark: "20.00", hedge: "-2.00", charge: "18.00" });
    expect(usd(r.classMonths[0].costUsd)).toBe("72.00");
  });

  it("pro rata to the forecast at booking: B asked for 3/4 of the capacity and carries 3/4 of the result", () => {
    const r = chargebacks(base({ months: ["2026-11"], allocation: "FORECAST_AT_BOOKING", usage, spotOn: spot, settlements: [credits] }));
    expect(lineOf(r, "A")).toMatchObject({ hedge: "-2.00", charge: "58.00" });
    expect(lineOf(r, "B")).toMatchObject({ hedge: "-6.00", charge: "14.00" });
    expect(r.classMonths[0].contracts[0].basis).toBe("FORECAST_AT_BOOKING");
  });

  it("credits used on part of the usage replace it at the month's average benchmark rate", () => {
    // 4M of the 8M covered: replaced = 80 × 4/8 = 40; 5M bought at 8: amount 32, forfeited 1M = 8; H = 32 + 8 − 40 = 0
    const r = chargebacks(base({ months: ["2026-11"], usage, spotOn: spot, settlements: [{ ...credits, quantityTokens: 5_000_000n, amountUsd: "32", creditsUsedTokens: 4_000_000n }] }));
    expect(r.classMonths[0].contracts[0].resultUsd.toString()).toBe("0");
    expect(lineOf(r, "A")).toMatchObject({ charge: "60.00" });
  });
});

describe("a month with no usage", () => {
  const forfeited: HedgeSettlement = {
    contractId: "c9", reference: "TH-2026-00009", modelClassId: "chat", month: "2026-12", settlement: "SERVICE_CREDITS", strikeUsdPerMTokens: "8",
    quantityTokens: 5_000_000n, amountUsd: "0", creditsUsedTokens: 0n, creditsForfeitedTokens: 5_000_000n,
  };

  it("has no lines and costs nothing", () => {
    const r = chargebacks(base({ months: ["2026-12"], usage: daily("A", "2026-11-01", "2026-11-30", 1n, 1n) }));
    expect(r).toEqual({ months: ["2026-12"], models: [], lines: [], classMonths: [] });
    expect(usd(totalsOf(r.lines).chargeUsd)).toBe("0.00");
  });

  it("credits forfeited in it go to the forecast at booking, else to the month's other usage, else stay unallocated", () => {
    // 5M × 8 = 40 USD forfeited; nobody used the class
    const byForecast = chargebacks(base({ months: ["2026-12"], settlements: [{ ...forfeited, forecastTokens: new Map([["A", 3n], ["B", 1n]]) }] }));
    expect(byForecast.classMonths[0].contracts[0].basis).toBe("FORECAST_AT_BOOKING");
    expect(lineOf(byForecast, "A")).toEqual({ tokens: 0n, benchmark: "0.00", hedge: "30.00", charge: "30.00" });
    expect(lineOf(byForecast, "B")).toEqual({ tokens: 0n, benchmark: "0.00", hedge: "10.00", charge: "10.00" });

    const other = daily("B", "2026-12-01", "2026-12-01", 1_000_000n, 0n, "embed-3", "embeddings");
    const spot = curveSpotLookup([{ modelClassId: "embeddings", asOf: day("2026-11-01"), spotUsdPerMTokens: "0.1" }]);
    const byAll = chargebacks(base({ months: ["2026-12"], usage: other, spotOn: spot, settlements: [forfeited] }));
    expect(byAll.classMonths.find((c) => c.modelClassId === "chat")!.contracts[0].basis).toBe("ALL_USAGE");
    expect(byAll.lines.map((l) => [l.teamId, l.modelClassId, usd(l.chargeUsd)])).toEqual([["B", "chat", "40.00"], ["B", "embeddings", "0.10"]]);

    const lost = chargebacks(base({ months: ["2026-12"], settlements: [forfeited] }));
    expect(lost.lines).toEqual([]);
    expect([usd(lost.classMonths[0].unallocatedUsd), usd(lost.classMonths[0].costUsd)]).toEqual(["40.00", "40.00"]);
  });
});

describe("benchmarks", () => {
  const prices = new Map<string, PriceVersion[]>([["gpt-4.1", [{ effectiveFrom: day("2024-01-01"), inputUsdPerMTokens: "2", outputUsdPerMTokens: "8", cachedInputUsdPerMTokens: "0.5" }]]]);
  const oneDay: UsageDay = { teamId: "A", modelId: "gpt-4.1", modelClassId: "chat", day: day("2026-10-02"), inputTokens: 1_000_000n, outputTokens: 500_000n, cachedInputTokens: 400_000n };

  it("LIST prices input, cached input and output at their own list rates", () => {
    // 0.6M × 2 + 0.4M × 0.5 + 0.5M × 8 = 1.2 + 0.2 + 4 = 5.40
    const r = chargebacks(base({ benchmark: "LIST", usage: [oneDay], spotOn: octoberSpot, listPrices: prices }));
    expect(lineOf(r, "A").benchmark).toBe("5.40");
  });

  it("SPOT falls back to list before the class's first curve, and says so; no price at all is unpriced", () => {
    const r = chargebacks(base({ usage: [oneDay], spotOn: curveSpotLookup([{ modelClassId: "chat", asOf: day("2026-10-05"), spotUsdPerMTokens: "4" }]), listPrices: prices }));
    expect(r.models[0]).toMatchObject({ listPricedDays: 1, unpricedTokens: 0n });
    expect(lineOf(r, "A").benchmark).toBe("5.40");
    const spot = chargebacks(base({ usage: [{ ...oneDay, day: day("2026-10-05") }], spotOn: curveSpotLookup([{ modelClassId: "chat", asOf: day("2026-10-05"), spotUsdPerMTokens: "4" }]), listPrices: prices }));
    expect(lineOf(spot, "A").benchmark).toBe("6.00"); // 1.5M × 4
    const unpriced = chargebacks(base({ usage: [oneDay] }));
    expect(unpriced.models[0]).toMatchObject({ unpricedTokens: 1_500_000n });
    expect(lineOf(unpriced, "A").benchmark).toBe("0.00");
  });
});

describe("rounding", () => {
  it("puts the remainder on the largest share", () => {
    // −0.10 over three equal teams: −0.03 each, −0.01 left → the first by id (equal shares and usage)
    const usage = ["A", "B", "C"].flatMap((t) => daily(t, "2026-10-01", "2026-10-01", 1_000_000n, 0n));
    const r = chargebacks(base({ usage, spotOn: octoberSpot, settlements: [financial("0.1")] }));
    expect(r.lines.map((l) => usd(l.hedgeUsd))).toEqual(["-0.04", "-0.03", "-0.03"]);
    // 2/3 and 1/3 of 0.05: 0.0333… → 0.03, 0.0166… → 0.02; together 0.05 already
    expect([...roundShares(new Decimal("0.05"), new Map([["x", new Decimal(0.05).mul(2).div(3)], ["y", new Decimal(0.05).div(3)]]))].map(([k, v]) => [k, v.toFixed(2)])).toEqual([["x", "0.03"], ["y", "0.02"]]);
  });

  it("any usage split: the teams' charges add up to the org's cost to the cent (property)", () => {
    const team = fc.record({
      teamId: fc.constantFrom("A", "B", "C", "D", "E"),
      modelId: fc.constantFrom("m1", "m2"),
      dayOfMonth: fc.integer({ min: 1, max: 30 }),
      input: fc.bigInt({ min: 0n, max: 50_000_000_000n }),
      output: fc.bigInt({ min: 0n, max: 9_000_000_000n }),
    });
    const micro = fc.bigInt({ min: -900_000_000_000n, max: 900_000_000_000n }).map((v) => new Decimal(v.toString()).div(1_000_000).toFixed(6));
    const price = fc.integer({ min: 1, max: 90_000_000 }).map((v) => new Decimal(v).div(1_000_000).toFixed(6));
    fc.assert(
      fc.property(
        fc.array(team, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), price), { minLength: 1, maxLength: 4 }),
        fc.array(micro, { maxLength: 3 }),
        fc.option(fc.tuple(fc.bigInt({ min: 1n, max: 40_000_000_000n }), fc.bigInt({ min: 0n, max: 40_000_000_000n }), price)),
        fc.constantFrom("USAGE" as const, "FORECAST_AT_BOOKING" as const),
        (rows, curves, amounts, credit, allocation) => {
          const usage = rows.map((r) => ({ teamId: r.teamId, modelId: r.modelId, modelClassId: "chat", day: day(`2026-11-${String(r.dayOfMonth).padStart(2, "0")}`), inputTokens: r.input, outputTokens: r.output, cachedInputTokens: 0n }));
          const spotOn = curveSpotLookup(curves.map(([d, p], i) => ({ modelClassId: "chat", asOf: day(`2026-10-${String(d).padStart(2, "0")}`), spotUsdPerMTokens: p })).filter((c, i, all) => all.findIndex((x) => x.asOf.getTime() === c.asOf.getTime()) === i));
          const settlements: HedgeSettlement[] = amounts.map((a, i) => ({ ...financial(a), contractId: `f${i}`, reference: `F${i}`, month: "2026-11", forecastTokens: new Map([["B", BigInt(i + 1)], ["E", 7n]]) }));
          if (credit) {
            const [used, forfeited, k] = credit;
            settlements.push({ ...financial("0"), contractId: "cr", reference: "CR", month: "2026-11", settlement: "SERVICE_CREDITS", strikeUsdPerMTokens: k, quantityTokens: used + forfeited, amountUsd: new Decimal(used.toString()).mul(k).div(1e6).toFixed(6), creditsUsedTokens: used, creditsForfeitedTokens: forfeited });
          }
          const r = chargebacks(base({ months: ["2026-11"], usage, spotOn, settlements, allocation }));
          const lineCount = r.models.length;
          for (const c of r.classMonths) {
            const lines = r.lines.filter((l) => l.modelClassId === c.modelClassId && l.month === c.month);
            const t = totalsOf(lines);
            expect(t.chargeUsd.add(c.unallocatedUsd).eq(c.costUsd)).toBe(true);
            expect(t.hedgeUsd.add(c.unallocatedUsd).eq(c.hedgeUsd)).toBe(true);
            expect(c.hedgeUsd.eq(c.hedgeExactUsd.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN))).toBe(true);
            expect(c.costUsd.sub(c.costExactUsd).abs().lte(new Decimal("0.005").mul(lineCount + 1))).toBe(true);
            for (const l of lines) {
              expect(l.chargeUsd.decimalPlaces()).toBeLessThanOrEqual(2);
              expect(l.chargeUsd.eq(l.benchmarkUsd.add(l.hedgeUsd))).toBe(true);
            }
            if (!c.contracts.length) for (const l of lines) expect(l.chargeUsd.eq(l.benchmarkUsd)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("roundShares always sums to the total (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { minLength: 1, maxLength: 12 }), (raw) => {
        const exact = new Map(raw.map((v, i) => [`t${i}`, new Decimal(v.toString()).div(7_000_000)]));
        const total = [...exact.values()].reduce((a, b) => a.add(b), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
        const out = roundShares(total, exact);
        expect([...out.values()].reduce((a, b) => a.add(b), new Decimal(0)).eq(total)).toBe(true);
      }),
    );
  });
});

describe("periods", () => {
  it("months of a month or a quarter, and the 12 months ending with one", () => {
    expect(periodMonths("2026-10")).toEqual(["2026-10"]);
    expect(periodMonths("2026-Q4")).toEqual(["2026-10", "2026-11", "2026-12"]);
    expect(periodMonths("2027-Q1")).toEqual(["2027-01", "2027-02", "2027-03"]);
    expect(monthsEnding("2026-02", 12)).toEqual(["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]);
  });
});

describe("spot benchmark summed as integers", () => {
  it("equals the day-by-day Decimal sum exactly, for any spots of up to 6 decimals and any token counts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 29 }), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom("a", "b")), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 99_999_999 }), { minLength: 3, maxLength: 3 }),
        (rows, spotMicros) => {
          const spots = spotMicros.map((m) => new Decimal(m).div(1_000_000).toFixed(6));
          const spotOn = curveSpotLookup([
            { modelClassId: "chat", asOf: day("2026-09-30"), spotUsdPerMTokens: spots[0] },
            { modelClassId: "chat", asOf: day("2026-10-10"), spotUsdPerMTokens: spots[1] },
            { modelClassId: "chat", asOf: day("2026-10-20"), spotUsdPerMTokens: spots[2] },
          ]);
          // one row per team × day (as the loader gives), so duplicates of a day are merged first
          const merged = new Map<string, UsageDay>();
          for (const [d, i, o, team] of rows) {
            const k = `${team}|${d}`;
            const prev = merged.get(k);
            merged.set(k, { teamId: team, modelId: "gpt-4.1", modelClassId: "chat", day: addDays(day("2026-10-01"), d), inputTokens: (prev?.inputTokens ?? 0n) + i, outputTokens: (prev?.outputTokens ?? 0n) + o, cachedInputTokens: 0n });
          }
          const usage = [...merged.values()];
          const r = chargebacks(base({ usage, spotOn }));
          for (const team of ["a", "b"]) {
            // the reference at ample precision (the domain computes at 40 significant digits)
            const D = Decimal.clone({ precision: 80 });
            let expected = new D(0);
            for (const u of usage.filter((x) => x.teamId === team)) expected = expected.add(new D((u.inputTokens + u.outputTokens).toString()).mul(spotOn("chat", u.day)!.toString()).div(1_000_000));
            const line = r.models.find((m) => m.teamId === team);
            if (!line) continue;
            expect(line.benchmarkExactUsd.toFixed(12)).toBe(expected.toFixed(12));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("priceMonths: a team × model × month priced at both benchmarks (what the monthly read model stores)", () => {
  // list: from Sep 1 input 2, cached 0.5, output 8; from Oct 10 input 1 (cached at the input rate), output 4
  const prices = new Map<string, PriceVersion[]>([["gpt-4.1", [
    { effectiveFrom: day("2026-09-01"), inputUsdPerMTokens: "2", outputUsdPerMTokens: "8", cachedInputUsdPerMTokens: "0.5" },
    { effectiveFrom: day("2026-10-10"), inputUsdPerMTokens: "1", outputUsdPerMTokens: "4", cachedInputUsdPerMTokens: null },
  ]]]);
  // the class's first curve is Oct 5 (spot 10.000001), then Oct 20 (spot 12)
  const spotOn = curveSpotLookup([
    { modelClassId: "chat", asOf: day("2026-10-05"), spotUsdPerMTokens: "10.000001" },
    { modelClassId: "chat", asOf: day("2026-10-20"), spotUsdPerMTokens: "12" },
  ]);
  const u = (d: string, input: bigint, output: bigint, cached = 0n, modelId = "gpt-4.1"): UsageDay => ({ teamId: "A", modelId, modelClassId: "chat", day: day(d), inputTokens: input, outputTokens: output, cachedInputTokens: cached });
  // Oct 1: 1M in (0.4M cached) + 1M out before any curve, list 0.6 × 2 + 0.4 × 0.5 + 1 × 8 = 9.4 per 1M
  // Oct 12: 2M in + 0 out at spot 10.000001 → 20.000002; list 2 × 1 = 2
  // Oct 25: 1M in + 1M out at spot 12 → 24; list 1 + 4 = 5. Nov 2 is outside the month asked for.
  const usage = [u("2026-10-01", 1_000_000n, 1_000_000n, 400_000n), u("2026-10-12", 2_000_000n, 0n), u("2026-10-25", 1_000_000n, 1_000_000n), u("2026-11-02", 5n, 5n)];

  it("sums exactly, in USD per 1M × tokens, and counts the list-priced and unpriced days", () => {
    const [m, ...rest] = priceMonths(usage, ["2026-10"], spotOn, prices);
    expect(rest).toEqual([]);
    expect([m.inputTokens, m.outputTokens, m.cachedInputTokens]).toEqual([4_000_000n, 2_000_000n, 400_000n]);
    // spot: 2M × 10.000001 + 2M × 12 = 20,000,002 + 24,000,000; before the first curve: 9,400,000 at list
    expect(new Decimal(m.spotValue.toString()).toFixed()).toBe("44000002");
    expect([new Decimal(m.preCurveListValue.toString()).toFixed(), m.preCurveDays, m.spotUnpricedTokens]).toEqual(["9400000", 1, 0n]);
    // list: 9.4M + 2M + 5M
    expect([new Decimal(m.listValue.toString()).toFixed(), m.listUnpricedTokens]).toEqual(["16400000", 0n]);
  });

  it("a model without a list price: its days before the first curve are unpriced for spot, all of them for list", () => {
    const [m] = priceMonths([u("2026-10-01", 3n, 4n, 0n, "other"), u("2026-10-06", 10n, 0n, 0n, "other")], ["2026-10"], spotOn, prices);
    expect([m.spotUnpricedTokens, m.preCurveDays, m.listUnpricedTokens, new Decimal(m.spotValue.toString()).toFixed()]).toEqual([7n, 0, 17n, "100.00001"]);
  });

  it("the benchmark chosen picks its sums; the same result as pricing the days", () => {
    const priced = priceMonths(usage, ["2026-10"], spotOn, prices);
    for (const benchmark of ["SPOT", "LIST"] as const) {
      const direct = chargebacks(base({ usage, spotOn, listPrices: prices, benchmark }));
      expect(chargebacksOfPriced({ months: ["2026-10"], benchmark, allocation: "USAGE", settlements: [] }, priced)).toEqual(direct);
    }
    const spot = chargebacksOfPriced({ months: ["2026-10"], benchmark: "SPOT", allocation: "USAGE", settlements: [] }, priced).models[0];
    // (44,000,002 + 9,400,000) / 1e6 = 53.400002 → 53.40; one day at list
    expect([spot.benchmarkExactUsd.toFixed(), spot.benchmarkUsd.toFixed(2), spot.listPricedDays]).toEqual(["53.400002", "53.40", 1]);
    const list = chargebacksOfPriced({ months: ["2026-10"], benchmark: "LIST", allocation: "USAGE", settlements: [] }, priced).models[0];
    expect([list.benchmarkExactUsd.toFixed(), list.listPricedDays]).toEqual(["16.4", 0]);
  });
});
