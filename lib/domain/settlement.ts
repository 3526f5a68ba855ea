/**
 * Settlement of booked forwards, one row per contract × calendar month of its window: pure, deterministic,
 * decimal money. The periods, their integer quantities and the carried-forward daily spot are exactly those of
 * the mark-to-market (valuation.ts: periodsOf, spotSeries), so a realised period's mark and its settlement agree.
 *
 * - Due. A period settles once the as-of day (a UTC day, not yet observed) is after its last window day.
 * - Spot. The daily spot of a class is the median mid of that day's spot observations (both middle values
 *   averaged when there is an even number), carried forward over days without one. A due period with a window
 *   day before the class's first observation waits: it is reported, never settled on a guess.
 * - FINANCIAL. avg = mean of the daily spot over the period's window days; amount = (avg − K) × q / 1e6 USD,
 *   positive when spot averaged above the strike (paid to the holder). The amount uses the unrounded average,
 *   as the mark does; both are rounded to 6 decimals (half-even) only when stored or shown.
 * - SERVICE_CREDITS. A period delivers q tokens of credits usable on its window days. Usage of the class is
 *   consumed day by day, in date order; each day's usage goes to the overlapping contracts in booking order
 *   (bookedAt, then id), each absorbing what its period's remaining credits allow. Used = credits absorbed,
 *   forfeited = delivered − used (unused credits lapse at the period's end), amount = used × K / 1e6 (the value
 *   of the credits used, at strike). Because usage is taken in date order and earlier bookings come first, a
 *   period's use depends only on its own days and on earlier-booked contracts: it does not change when later
 *   contracts are booked or later days are imported.
 */
import { csvCell } from "./csv";
import Decimal from "decimal.js";
import { MONEY_DP, TOKENS_PER_PRICE_UNIT, dec, moneyString, type DecimalLike } from "./money";
import { addDays, utcDay } from "./time";
import { periodsOf, type AveragePriceForward, type Period, type SpotLookup, type SpotObservation } from "./valuation";

/** Same headroom as the mark: 40 significant digits until a number is stored or shown. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const d40 = (v: DecimalLike): Decimal => new D(typeof v === "bigint" ? v.toString() : v);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export type SettlementKind = "FINANCIAL" | "SERVICE_CREDITS";

/** One settled month. Money at full precision: round with moneyString when storing or showing. */
export type PeriodSettlement = Period & {
  /** FINANCIAL: mean daily spot over the period's window days; null for service credits. */
  avgSpotUsdPerMTokens: Decimal | null;
  /** FINANCIAL: (avg − K) × q / 1e6; SERVICE_CREDITS: used × K / 1e6. */
  amountUsd: Decimal;
  creditsUsedTokens: bigint | null;
  creditsForfeitedTokens: bigint | null;
};

/** A due period that cannot settle yet: `day` is its first window day without a spot. */
export type WaitingForSpot = { month: string; day: string };

/** True once the as-of day is after the period's last window day. */
export const isDue = (p: Pick<Period, "lastDay">, asOf: Date): boolean => p.lastDay.getTime() < asOf.getTime();

export type SpotQuote = { modelClass: string; at: Date; mid: DecimalLike };

/** The median of non-empty decimals; an even count averages the two middle values. */
export function median(values: readonly DecimalLike[]): Decimal {
  if (!values.length) throw new RangeError("median of no values");
  const xs = values.map(d40).sort((a, b) => a.comparedTo(b));
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : xs[mid - 1].add(xs[mid]).div(2);
}

/** One spot observation per class and UTC day: the median mid of that day's quotes (input for spotSeries). */
export function dailyMedianSpots(quotes: Iterable<SpotQuote>): SpotObservation[] {
  const groups = new Map<string, { modelClass: string; date: Date; mids: DecimalLike[] }>();
  for (const q of quotes) {
    const date = utcDay(q.at);
    const key = `${q.modelClass}\u0000${date.getTime()}`;
    const g = groups.get(key) ?? { modelClass: q.modelClass, date, mids: [] };
    g.mids.push(q.mid);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.modelClass === b.modelClass ? a.date.getTime() - b.date.getTime() : a.modelClass < b.modelClass ? -1 : 1))
    .map((g) => ({ modelClass: g.modelClass, date: g.date, price: median(g.mids) }));
}

/**
 * The due periods of a FINANCIAL contract: settled against the average carried-forward spot, or waiting when
 * a window day precedes the class's first observation. Periods not yet due are left out.
 */
export function settleFinancial(contract: AveragePriceForward, asOf: Date, spotOn: SpotLookup): { settled: PeriodSettlement[]; waitingForSpot: WaitingForSpot[] } {
  const k = d40(contract.strikePerMTokens);
  const settled: PeriodSettlement[] = [];
  const waitingForSpot: WaitingForSpot[] = [];
  for (const p of periodsOf(contract)) {
    if (!isDue(p, asOf)) continue;
    let sum = d40(0);
    let missing: Date | null = null;
    for (let i = 0; i < p.days && !missing; i++) {
      const day = addDays(p.firstDay, i);
      const spot = spotOn(contract.modelClass, day);
      if (spot === null) missing = day;
      else sum = sum.add(d40(spot));
    }
    if (missing) {
      waitingForSpot.push({ month: p.month, day: isoDay(missing) });
      continue;
    }
    const avg = sum.div(p.days);
    const amountUsd = avg.sub(k).mul(d40(p.quantityTokens)).div(TOKENS_PER_PRICE_UNIT);
    settled.push({ ...p, avgSpotUsdPerMTokens: avg, amountUsd, creditsUsedTokens: null, creditsForfeitedTokens: null });
  }
  return { settled, waitingForSpot };
}

export type CreditContract = AveragePriceForward & { bookedAt: Date };
export type ClassUsage = { modelClass: string; day: Date; tokens: bigint };
/** One contract × month of credits: delivered = the period quantity; used + forfeited = delivered. */
export type CreditUse = { contractId: string; month: string; deliveredTokens: bigint; usedTokens: bigint; forfeitedTokens: bigint };

const bookingOrder = (a: CreditContract, b: CreditContract) => a.bookedAt.getTime() - b.bookedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Allocates each class's daily usage to its SERVICE_CREDITS contracts (see header): day by day in date order,
 * within a day to the contracts whose period covers it in booking order. Returns one CreditUse per contract ×
 * period, in booking order then month. Usage on days no contract covers, or beyond the credits, is left over.
 */
export function allocateCredits(contracts: readonly CreditContract[], usage: Iterable<ClassUsage>): CreditUse[] {
  const slots = [...contracts].sort(bookingOrder).flatMap((c) =>
    periodsOf(c).map((p) => ({ contractId: c.id, modelClass: c.modelClass, month: p.month, from: p.firstDay.getTime(), to: p.lastDay.getTime(), delivered: p.quantityTokens, used: 0n })),
  );
  const byClassDay = new Map<string, Map<number, bigint>>();
  for (const u of usage) {
    if (u.tokens <= 0n) continue;
    const days = byClassDay.get(u.modelClass) ?? new Map<number, bigint>();
    const t = utcDay(u.day).getTime();
    days.set(t, (days.get(t) ?? 0n) + u.tokens);
    byClassDay.set(u.modelClass, days);
  }
  for (const [modelClass, days] of byClassDay) {
    const classSlots = slots.filter((s) => s.modelClass === modelClass);
    for (const t of [...days.keys()].sort((a, b) => a - b)) {
      let left = days.get(t)!;
      for (const s of classSlots) {
        if (left === 0n) break;
        if (t < s.from || t > s.to) continue;
        const take = s.delivered - s.used < left ? s.delivered - s.used : left;
        s.used += take;
        left -= take;
      }
    }
  }
  return slots.map((s) => ({ contractId: s.contractId, month: s.month, deliveredTokens: s.delivered, usedTokens: s.used, forfeitedTokens: s.delivered - s.used }));
}

/** The due periods of a SERVICE_CREDITS contract from its allocation (allocateCredits rows of this contract). */
export function settleCredits(contract: AveragePriceForward, uses: readonly CreditUse[], asOf: Date): PeriodSettlement[] {
  const k = d40(contract.strikePerMTokens);
  return periodsOf(contract)
    .filter((p) => isDue(p, asOf))
    .map((p) => {
      const u = uses.find((x) => x.contractId === contract.id && x.month === p.month);
      if (!u) throw new RangeError(`contract ${contract.id}: no credit allocation for ${p.month}`);
      return { ...p, avgSpotUsdPerMTokens: null, amountUsd: d40(u.usedTokens).mul(k).div(TOKENS_PER_PRICE_UNIT), creditsUsedTokens: u.usedTokens, creditsForfeitedTokens: u.forfeitedTokens };
    });
}

/**
 * What the job does to a contract's status: a BOOKED contract starts delivering once the as-of day reaches its
 * window start; a delivering contract is settled once every period of its window has a settlement.
 */
export function lifecycle(status: "BOOKED" | "DELIVERING", windowStart: Date, asOf: Date, periods: number, settledPeriods: number): { deliveryStarted: boolean; completed: boolean } {
  const deliveryStarted = status === "BOOKED" && asOf.getTime() >= windowStart.getTime();
  const delivering = status === "DELIVERING" || deliveryStarted;
  return { deliveryStarted, completed: delivering && settledPeriods >= periods };
}

/** A statement row as stored and shown: money as 6-decimal strings, tokens as integer strings. */
export type StatementRow = {
  month: string;
  quantityTokens: string;
  avgSpotUsdPerMTokens: string | null;
  strikeUsdPerMTokens: string;
  amountUsd: string;
  creditsUsedTokens: string | null;
  creditsForfeitedTokens: string | null;
};

export const STATEMENT_COLUMNS = [
  "contract_reference",
  "month",
  "quantity_tokens",
  "avg_spot_usd_per_mtok",
  "strike_usd_per_mtok",
  "amount_usd",
  "credits_used_tokens",
  "credits_forfeited_tokens",
] as const;

/** One CSV cell, neutralised against formula injection (shared by every export: lib/domain/csv.ts). */
export { csvCell };

/** The statement as CSV: STATEMENT_COLUMNS, then one line per settled month. */
export function statementCsv(reference: string, rows: readonly StatementRow[]): string {
  const lines = [STATEMENT_COLUMNS.join(",")];
  for (const r of rows)
    lines.push([reference, r.month, r.quantityTokens, r.avgSpotUsdPerMTokens, r.strikeUsdPerMTokens, r.amountUsd, r.creditsUsedTokens, r.creditsForfeitedTokens].map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

/** A PeriodSettlement as a StatementRow (rounded half-even to the stored 6 decimals). */
export const statementRow = (s: PeriodSettlement, strike: DecimalLike): StatementRow => ({
  month: s.month,
  quantityTokens: s.quantityTokens.toString(),
  avgSpotUsdPerMTokens: s.avgSpotUsdPerMTokens === null ? null : moneyString(s.avgSpotUsdPerMTokens, MONEY_DP),
  strikeUsdPerMTokens: moneyString(dec(strike), MONEY_DP),
  amountUsd: moneyString(s.amountUsd, MONEY_DP),
  creditsUsedTokens: s.creditsUsedTokens?.toString() ?? null,
  creditsForfeitedTokens: s.creditsForfeitedTokens?.toString() ?? null,
});
