/**
 * Mark-to-market of cash-settled average-price forwards on token prices: pure, deterministic, decimal money.
 *
 * A contract fixes a strike K (USD per 1M tokens) on a quantity Q of a model class's tokens delivered
 * evenly over an inclusive window of UTC days. It settles in cash against the average daily spot price,
 * one settlement per calendar month of the window ("period"). Values are from the holder's side — the
 * buyer of the fixed price, who pays K — so a period is worth (price − K) × q / 1e6 USD: positive when
 * spot / forward is above the strike.
 *
 * Interpretation (the choices the analyst spec left open):
 * - Days. N = number of days in the window (both ends included). A period is the window's days inside
 *   one calendar month; `days` of them.
 * - Quantity. The exact share of a period is Q × days / N (`quantityExact`). The per-period integer
 *   quantity (`quantityTokens`) is allocated by largest remainder: each period gets floor(Q × days / N),
 *   and the tokens still missing (fewer than the number of periods) go one each to the periods with the
 *   largest remainders (Q × days mod N), the earlier period first on a tie. The integer quantities sum to
 *   Q exactly, and values use them (so a period's printed quantity, price and value agree).
 * - As-of. The as-of date is a UTC day and is not yet observed: only spot for days strictly before it
 *   counts. A period is `realised` when its last window day is before the as-of day, `forward` when its
 *   first window day is on or after it, else `averaging`.
 * - Price. Realised: the mean of the daily spot over the period's window days. Averaging: the running
 *   average — (sum of spot over the observed window days before the as-of day + forward for the month ×
 *   the remaining window days, as-of day included) / days. Forward: the month's forward.
 * - Spot. A day without an observation takes the most recent earlier observation for its class (carried
 *   forward without limit); a needed day before a class's first observation is a ValuationError. Spot
 *   observed on or after the as-of day is never used.
 * - Discounting. Realised periods are not discounted (DF = 1; they are settled or due). Others pay on the
 *   day after the period's last window day: DF = exp(−r × T), T = (pay day − as-of day) in days / 365
 *   (act/365), r continuously compounded. DF is computed with Decimal.exp and kept at full precision.
 * - Precision. Internal arithmetic is decimal with 40 significant digits. Nothing is rounded until it is
 *   shown: `markRows` rounds price, discount factor and value to 6 decimals, half-even (money.ts).
 * - Total. TOTAL value = the sum of the unrounded period values, rounded once — so it can differ from the
 *   sum of the printed period values in the 6th decimal (by at most half a micro-dollar per period).
 *   TOTAL quantity = Q; TOTAL price = quantity-weighted average of the period prices, Σ(q × price) / Q
 *   (undiscounted); TOTAL has no discount factor.
 */
import Decimal from "decimal.js";
import { MONEY_DP, TOKENS_PER_PRICE_UNIT, dec, moneyString, type DecimalLike } from "./money";
import { DAY_MS, addDays, monthKey } from "./time";

/** Decimal with headroom: every intermediate keeps 40 significant digits. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const d40 = (v: DecimalLike): Decimal => new D(typeof v === "bigint" ? v.toString() : v);
const DAYS_PER_YEAR = 365;

export type AveragePriceForward = {
  id: string;
  modelClass: string;
  /** Total tokens over the window, a positive integer. */
  quantityTokens: bigint;
  /** First day of the window, midnight UTC. */
  windowStart: Date;
  /** Last day of the window (included), midnight UTC. */
  windowEnd: Date;
  /** Fixed price, USD per 1M tokens. */
  strikePerMTokens: Decimal;
};

/** The priced product of a stored contract (its id, and the product's class, quantity, window and strike). */
export const forwardOf = (
  id: string,
  p: { modelClassId: string; quantityTokens: bigint; windowStart: Date; windowEnd: Date; strikeUsdPerMTokens: { toString(): string } },
): AveragePriceForward => ({
  id,
  modelClass: p.modelClassId,
  quantityTokens: p.quantityTokens,
  windowStart: p.windowStart,
  windowEnd: p.windowEnd,
  strikePerMTokens: new Decimal(p.strikeUsdPerMTokens.toString()),
});

/** Looks up the forward price (USD / 1M tokens) for delivery month YYYY-MM; null when there is none. */
export type ForwardLookup = (modelClass: string, month: string) => Decimal | null;
/** Spot price (USD / 1M tokens) for a UTC day, already carried forward; null before the first observation. */
export type SpotLookup = (modelClass: string, day: Date) => Decimal | null;

export type MarketSnapshot = {
  /** Valuation day, midnight UTC; its own spot is not yet observed. */
  asOf: Date;
  /** Continuously compounded annual rate, e.g. 0.04. */
  rate: Decimal;
  forward: ForwardLookup;
  spotOn: SpotLookup;
};

export type Period = {
  /** YYYY-MM */
  month: string;
  firstDay: Date;
  lastDay: Date;
  /** Window days in the period. */
  days: number;
  /** Q × days / N, exact. */
  quantityExact: Decimal;
  /** Largest-remainder integer share; the periods' shares sum to Q. */
  quantityTokens: bigint;
};

export type PeriodState = "realised" | "averaging" | "forward";

export type PeriodMark = Period & {
  state: PeriodState;
  /** Window days of the period before the as-of day (all of them when realised, none when forward). */
  observedDays: number;
  /** Sum of the carried-forward spot over the observed days. */
  observedSpotSum: Decimal;
  /** The month's forward, when used (averaging and forward periods). */
  forwardPrice: Decimal | null;
  /** Price the period settles against: average spot, running average or forward. Full precision. */
  price: Decimal;
  /** Settlement day: the day after the period's last window day. */
  payDate: Date;
  /** 1 when realised, else exp(−r × T). Full precision. */
  discountFactor: Decimal;
  /** (price − K) × quantityTokens / 1e6 × discountFactor, USD. Full precision (unrounded). */
  valueUsd: Decimal;
};

export type ForwardMark = {
  contract: AveragePriceForward;
  asOf: Date;
  periods: PeriodMark[];
  total: {
    quantityTokens: bigint;
    /** Σ(q × price) / Q, undiscounted. Full precision. */
    price: Decimal;
    /** Σ period values, unrounded; round once when showing. */
    valueUsd: Decimal;
  };
};

/** A mark row as shown (CSV / JSON): strings, money to 6 decimals half-even. */
export type MarkRow = {
  id: string;
  /** YYYY-MM, or TOTAL */
  period: string;
  state: PeriodState | "total";
  quantityTokens: string;
  price: string;
  /** Empty on the TOTAL row. */
  discountFactor: string;
  valueUsd: string;
};

export type ValuationErrorCode = "MISSING_SPOT" | "MISSING_FORWARD" | "INVALID_CONTRACT" | "INVALID_MARKET" | "DUPLICATE_OBSERVATION";

/** Missing or inconsistent market data, or a contract that cannot be valued. The message names class and date/month. */
export class ValuationError extends Error {
  constructor(
    readonly code: ValuationErrorCode,
    message: string,
    readonly detail: { contractId?: string; modelClass?: string; day?: string; month?: string } = {},
  ) {
    super(message);
    this.name = "ValuationError";
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayNumber = (d: Date) => d.getTime() / DAY_MS;
const isWholeUtcDay = (d: Date) => Number.isFinite(d.getTime()) && d.getTime() % DAY_MS === 0;

function requireDay(what: string, d: Date, detail: ValuationError["detail"] = {}) {
  if (!(d instanceof Date) || !isWholeUtcDay(d)) throw new ValuationError("INVALID_CONTRACT", `${what} must be a UTC day (midnight UTC), got ${String(d)}`, detail);
}

function checkContract(c: AveragePriceForward) {
  const detail = { contractId: c.id, modelClass: c.modelClass };
  requireDay(`contract ${c.id}: window start`, c.windowStart, detail);
  requireDay(`contract ${c.id}: window end`, c.windowEnd, detail);
  if (c.windowEnd.getTime() < c.windowStart.getTime())
    throw new ValuationError("INVALID_CONTRACT", `contract ${c.id}: window end ${isoDay(c.windowEnd)} is before window start ${isoDay(c.windowStart)}`, detail);
  if (c.quantityTokens <= 0n) throw new ValuationError("INVALID_CONTRACT", `contract ${c.id}: quantity must be a positive number of tokens, got ${c.quantityTokens}`, detail);
  if (!c.strikePerMTokens.isFinite() || c.strikePerMTokens.lte(0))
    throw new ValuationError("INVALID_CONTRACT", `contract ${c.id}: strike must be a positive price, got ${c.strikePerMTokens.toString()}`, detail);
}

/** Number of days of the inclusive window from `start` to `end`. */
export const windowDays = (start: Date, end: Date): number => Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1;

/**
 * Splits quantity `total` into integer shares proportional to `weights` (positive integers) by largest
 * remainder; ties go to the earlier share. The shares sum to `total` exactly.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly number[]): bigint[] {
  const w = weights.map((x) => BigInt(x));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) throw new RangeError("allocateLargestRemainder needs a positive total weight");
  const shares = w.map((x) => (total * x) / sum);
  const rems = w.map((x, i) => ({ i, r: (total * x) % sum }));
  let missing = total - shares.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (missing <= 0n) break;
    shares[i] += 1n;
    missing -= 1n;
  }
  return shares;
}

/** The contract's calendar-month slices of its window, with days and quantities (see header). */
export function periodsOf(contract: AveragePriceForward): Period[] {
  checkContract(contract);
  const slices: { month: string; firstDay: Date; lastDay: Date; days: number }[] = [];
  let first = contract.windowStart;
  while (first.getTime() <= contract.windowEnd.getTime()) {
    const nextMonth = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1));
    const monthEnd = addDays(nextMonth, -1);
    const last = monthEnd.getTime() < contract.windowEnd.getTime() ? monthEnd : contract.windowEnd;
    slices.push({ month: monthKey(first), firstDay: first, lastDay: last, days: windowDays(first, last) });
    first = addDays(last, 1);
  }
  const n = windowDays(contract.windowStart, contract.windowEnd);
  const ints = allocateLargestRemainder(contract.quantityTokens, slices.map((s) => s.days));
  const q = d40(contract.quantityTokens);
  return slices.map((s, i) => ({ ...s, quantityExact: q.mul(s.days).div(n), quantityTokens: ints[i] }));
}

/** exp(−rate × T), T = (payDate − asOf) in days / 365; continuously compounded, act/365, Decimal.exp. */
export function discountFactor(rate: DecimalLike, asOf: Date, payDate: Date): Decimal {
  const days = Math.round((payDate.getTime() - asOf.getTime()) / DAY_MS);
  return d40(rate).neg().mul(days).div(DAYS_PER_YEAR).exp();
}

export type SpotObservation = { modelClass: string; date: Date; price: DecimalLike };

/**
 * Daily spot lookup from observations: a day without an observation takes the most recent earlier one for
 * its class; null before the class's first observation (or for an unknown class). Observations must be on
 * UTC days; two for the same class and day are a ValuationError.
 */
export function spotSeries(observations: Iterable<SpotObservation>): SpotLookup {
  const byClass = new Map<string, { day: number; price: Decimal }[]>();
  for (const o of observations) {
    if (!isWholeUtcDay(o.date)) throw new ValuationError("INVALID_MARKET", `spot for ${o.modelClass}: ${String(o.date)} is not a UTC day`, { modelClass: o.modelClass });
    const list = byClass.get(o.modelClass) ?? [];
    list.push({ day: dayNumber(o.date), price: dec(o.price) });
    byClass.set(o.modelClass, list);
  }
  for (const [cls, list] of byClass) {
    list.sort((a, b) => a.day - b.day);
    for (let i = 1; i < list.length; i++)
      if (list[i].day === list[i - 1].day) {
        const day = isoDay(new Date(list[i].day * DAY_MS));
        throw new ValuationError("DUPLICATE_OBSERVATION", `two spot observations for ${cls} on ${day}`, { modelClass: cls, day });
      }
  }
  return (modelClass, day) => {
    const list = byClass.get(modelClass);
    if (!list) return null;
    const t = Math.floor(dayNumber(day));
    // last observation on or before t
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].day <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : list[found].price;
  };
}

export type ForwardPoint = { modelClass: string; month: string; price: DecimalLike };

/** Forward lookup by class and delivery month (YYYY-MM); two points for the same class and month are a ValuationError. */
export function forwardCurves(points: Iterable<ForwardPoint>): ForwardLookup {
  const m = new Map<string, Decimal>();
  for (const p of points) {
    const key = `${p.modelClass}\u0000${p.month}`;
    if (m.has(key)) throw new ValuationError("DUPLICATE_OBSERVATION", `two forwards for ${p.modelClass} ${p.month}`, { modelClass: p.modelClass, month: p.month });
    m.set(key, dec(p.price));
  }
  return (modelClass, month) => m.get(`${modelClass}\u0000${month}`) ?? null;
}

/** A MarketSnapshot from plain data (forwards by month, spot observations carried forward). */
export function marketSnapshot(input: { asOf: Date; rate: DecimalLike; forwards: Iterable<ForwardPoint>; spots: Iterable<SpotObservation> }): MarketSnapshot {
  return { asOf: input.asOf, rate: dec(input.rate), forward: forwardCurves(input.forwards), spotOn: spotSeries(input.spots) };
}

/** Values one contract against a market snapshot (see header). Throws ValuationError for missing market data. */
export function valueForward(contract: AveragePriceForward, market: MarketSnapshot): ForwardMark {
  requireDay("as-of", market.asOf);
  if (!market.rate.isFinite()) throw new ValuationError("INVALID_MARKET", `rate must be a finite number, got ${market.rate.toString()}`);
  const asOf = market.asOf;
  const cls = contract.modelClass;
  const k = d40(contract.strikePerMTokens);
  const detail = { contractId: contract.id, modelClass: cls };

  const spot = (day: Date): Decimal => {
    const p = market.spotOn(cls, day);
    if (p === null)
      throw new ValuationError("MISSING_SPOT", `contract ${contract.id}: no spot for ${cls} on or before ${isoDay(day)}`, { ...detail, day: isoDay(day) });
    return d40(p);
  };
  const forward = (month: string): Decimal => {
    const p = market.forward(cls, month);
    if (p === null) throw new ValuationError("MISSING_FORWARD", `contract ${contract.id}: no forward for ${cls} ${month}`, { ...detail, month });
    return d40(p);
  };

  const periods: PeriodMark[] = periodsOf(contract).map((p) => {
    const state: PeriodState = p.lastDay.getTime() < asOf.getTime() ? "realised" : p.firstDay.getTime() >= asOf.getTime() ? "forward" : "averaging";
    const observedDays = state === "realised" ? p.days : state === "forward" ? 0 : windowDays(p.firstDay, asOf) - 1;
    let observedSpotSum = d40(0);
    for (let i = 0; i < observedDays; i++) observedSpotSum = observedSpotSum.add(spot(addDays(p.firstDay, i)));
    const forwardPrice = state === "realised" ? null : forward(p.month);
    const price = forwardPrice === null ? observedSpotSum.div(p.days) : observedSpotSum.add(forwardPrice.mul(p.days - observedDays)).div(p.days);
    const payDate = addDays(p.lastDay, 1);
    const df = state === "realised" ? d40(1) : discountFactor(market.rate, asOf, payDate);
    const valueUsd = price.sub(k).mul(d40(p.quantityTokens)).div(TOKENS_PER_PRICE_UNIT).mul(df);
    return { ...p, state, observedDays, observedSpotSum, forwardPrice, price, payDate, discountFactor: df, valueUsd };
  });

  const q = d40(contract.quantityTokens);
  const weighted = periods.reduce((s, p) => s.add(p.price.mul(d40(p.quantityTokens))), d40(0));
  const valueUsd = periods.reduce((s, p) => s.add(p.valueUsd), d40(0));
  return { contract, asOf, periods, total: { quantityTokens: contract.quantityTokens, price: weighted.div(q), valueUsd } };
}

/** The mark as rows: one per period, then TOTAL (value = unrounded period values summed, rounded once). */
export function markRows(mark: ForwardMark, dp = MONEY_DP): MarkRow[] {
  const id = mark.contract.id;
  const rows: MarkRow[] = mark.periods.map((p) => ({
    id,
    period: p.month,
    state: p.state,
    quantityTokens: p.quantityTokens.toString(),
    price: moneyString(p.price, dp),
    discountFactor: moneyString(p.discountFactor, dp),
    valueUsd: moneyString(p.valueUsd, dp),
  }));
  rows.push({
    id,
    period: "TOTAL",
    state: "total",
    quantityTokens: mark.total.quantityTokens.toString(),
    price: moneyString(mark.total.price, dp),
    discountFactor: "",
    valueUsd: moneyString(mark.total.valueUsd, dp),
  });
  return rows;
}

export const MARK_COLUMNS = ["id", "period", "state", "quantity_tokens", "price", "discount_factor", "value_usd"] as const;

/** A MarkRow in MARK_COLUMNS order. */
export const markRowValues = (r: MarkRow): string[] => [r.id, r.period, r.state, r.quantityTokens, r.price, r.discountFactor, r.valueUsd];
