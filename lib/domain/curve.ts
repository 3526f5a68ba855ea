/**
 * Forward curve builder: pure, deterministic, decimal money.
 *
 * Input: forward quotes and spot observations for one model class, an as-of time and per-org parameters.
 * Output: one point per delivery month for the next `months` months (the month after as-of first).
 *
 * Method (documented for users on the market page):
 * 1. Quotes older than maxQuoteAgeDays, or delivering before the curve's first month, are ignored. Exact
 *    duplicates (same source, month, as-of, bid, ask, mid) count once.
 * 2. A quote's mid is (bid + ask) / 2 when both are given, else its mid. Weight = 2^(−age/halfLife) ×
 *    1 / (1 + spread / 5%) — a quote with a 5% spread counts half as much as a tight one; quotes without a
 *    bid/ask are treated as if their spread were the "wide" threshold.
 * 3. A quoted month's price is the weighted mean of its quotes' mids.
 * 4. Between quoted months (and between spot, at t = 0, and the first quoted month) prices are interpolated
 *    log-linearly: ln P is linear in months, so a constant monthly percentage change — monotone, never
 *    negative.
 * 5. After the last quoted month the log-slope of the last two anchors continues, capped at ±10% per month;
 *    with a single anchor the curve stays flat. Before the first anchor with no spot, it is flat too.
 * Flags: stale — the newest quote behind the point is older than staleDays; wide — the weighted relative
 * spread is above wideSpreadPct; thin — fewer than thinMinQuotes quotes stand behind it (for interpolated
 * and extrapolated points, the fewer of the anchors they come from).
 */
import Decimal from "decimal.js";
import { DAY_MS, monthKey } from "./time";

export type CurveParams = {
  staleDays: number;
  wideSpreadPct: number;
  thinMinQuotes: number;
  halfLifeDays: number;
  maxQuoteAgeDays: number;
};

export type QuoteInput = {
  source: string;
  /** YYYY-MM, required for forwards */
  deliveryMonth: string | null;
  bid: string | null;
  ask: string | null;
  mid: string | null;
  asOf: Date;
};

export type CurvePoint = {
  deliveryMonth: string;
  price: Decimal;
  kind: "QUOTED" | "INTERPOLATED" | "EXTRAPOLATED";
  quoteCount: number;
  newestQuoteAgeDays: number | null;
  spreadPct: Decimal | null;
  stale: boolean;
  wide: boolean;
  thin: boolean;
};

export type Curve = { asOf: Date; spot: Decimal | null; points: CurvePoint[] };

const MAX_MONTHLY_LOG_SLOPE = Math.log(1.1);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return monthKey(d);
}
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number);
  const [yb, mb] = b.split("-").map(Number);
  return (yb - ya) * 12 + (mb - ma);
}

export type QuoteProblem = { field: string; reason: string };

/** Row-level checks shared by CSV and API imports: a quote that fails any of them is rejected with reasons. */
export function validateQuote(q: { kind: string; deliveryMonth: string | null; bid: string | null; ask: string | null; mid: string | null; asOf: Date }): QuoteProblem[] {
  const p: QuoteProblem[] = [];
  const num = (field: string, v: string | null) => {
    if (v === null) return null;
    try {
      const d = new Decimal(v);
      if (!d.isFinite()) throw new Error();
      if (d.isNeg()) p.push({ field, reason: `negative price ${v}` });
      else if (d.isZero()) p.push({ field, reason: "price must be above zero" });
      return d;
    } catch {
      p.push({ field, reason: `not a number: "${v}"` });
      return null;
    }
  };
  const bid = num("bid", q.bid);
  const ask = num("ask", q.ask);
  num("mid", q.mid);
  if (bid && ask && ask.lt(bid)) p.push({ field: "ask", reason: `crossed market: ask ${q.ask} is below bid ${q.bid}` });
  if (q.bid === null && q.ask === null && q.mid === null) p.push({ field: "mid", reason: "give bid and ask, or a mid" });
  if ((q.bid === null) !== (q.ask === null) && q.mid === null) p.push({ field: q.bid === null ? "bid" : "ask", reason: "one-sided quote needs a mid" });
  if (q.kind === "FORWARD") {
    if (!q.deliveryMonth) p.push({ field: "delivery_month", reason: "a forward quote needs a delivery month" });
    else if (q.deliveryMonth < monthKey(q.asOf)) p.push({ field: "delivery_month", reason: `delivery ${q.deliveryMonth} is before the quote date` });
  }
  return p;
}

function quoteMid(q: QuoteInput): Decimal {
  if (q.bid !== null && q.ask !== null) return new Decimal(q.bid).plus(q.ask).div(2);
  return new Decimal(q.mid!);
}
function quoteSpread(q: QuoteInput, fallbackPct: number): Decimal {
  if (q.bid !== null && q.ask !== null) {
    const mid = quoteMid(q);
    return mid.isZero() ? new Decimal(fallbackPct) : new Decimal(q.ask).minus(q.bid).div(mid).mul(100);
  }
  return new Decimal(fallbackPct);
}

type Anchor = { t: number; price: Decimal; quoteCount: number; newestAgeDays: number | null; spreadPct: Decimal | null };

function dedupe(quotes: QuoteInput[]): QuoteInput[] {
  const seen = new Set<string>();
  return quotes.filter((q) => {
    const k = [q.source, q.deliveryMonth, q.asOf.toISOString(), q.bid, q.ask, q.mid].join("|");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Weighted mean of a group of quotes; null when the group is empty. */
export function weightedQuote(quotes: QuoteInput[], asOf: Date, p: CurveParams) {
  if (!quotes.length) return null;
  let wSum = new Decimal(0);
  let pSum = new Decimal(0);
  let sSum = new Decimal(0);
  let newest = Infinity;
  for (const q of quotes) {
    const ageDays = Math.max(0, (asOf.getTime() - q.asOf.getTime()) / DAY_MS);
    newest = Math.min(newest, ageDays);
    const spread = quoteSpread(q, p.wideSpreadPct);
    const w = new Decimal(0.5).pow(new Decimal(ageDays).div(p.halfLifeDays)).div(spread.div(5).plus(1));
    wSum = wSum.plus(w);
    pSum = pSum.plus(w.mul(quoteMid(q)));
    sSum = sSum.plus(w.mul(spread));
  }
  return { price: pSum.div(wSum), spreadPct: sSum.div(wSum), quoteCount: quotes.length, newestAgeDays: newest };
}

function logInterp(a: Anchor, b: Anchor, t: number): Decimal {
  const lambda = new Decimal(t - a.t).div(b.t - a.t);
  return a.price.ln().mul(new Decimal(1).minus(lambda)).plus(b.price.ln().mul(lambda)).exp();
}

export function buildCurve(input: { asOf: Date; forwards: QuoteInput[]; spots: QuoteInput[]; params: CurveParams; months?: number }): Curve {
  const { asOf, params: p } = input;
  const months = input.months ?? 12;
  const first = addMonths(monthKey(asOf), 1);
  const live = (q: QuoteInput) => q.asOf.getTime() <= asOf.getTime() && asOf.getTime() - q.asOf.getTime() <= p.maxQuoteAgeDays * DAY_MS;
  const forwards = dedupe(input.forwards.filter((q) => live(q) && q.deliveryMonth !== null && q.deliveryMonth >= first));
  const spots = dedupe(input.spots.filter(live));

  const spotQ = weightedQuote(spots, asOf, p);
  const anchors: Anchor[] = [];
  if (spotQ) anchors.push({ t: 0, price: spotQ.price, quoteCount: spotQ.quoteCount, newestAgeDays: spotQ.newestAgeDays, spreadPct: spotQ.spreadPct });
  const byMonth = new Map<string, QuoteInput[]>();
  for (const q of forwards) {
    const t = monthsBetween(first, q.deliveryMonth!) + 1;
    if (t > months) continue;
    byMonth.set(q.deliveryMonth!, [...(byMonth.get(q.deliveryMonth!) ?? []), q]);
  }
  for (const [month, qs] of [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const w = weightedQuote(qs, asOf, p)!;
    anchors.push({ t: monthsBetween(first, month) + 1, price: w.price, quoteCount: w.quoteCount, newestAgeDays: w.newestAgeDays, spreadPct: w.spreadPct });
  }
  if (!anchors.length) return { asOf, spot: null, points: [] };

  const flags = (count: number, age: number | null, spread: Decimal | null) => ({
    stale: age === null || age > p.staleDays,
    wide: spread !== null && spread.gt(p.wideSpreadPct),
    thin: count < p.thinMinQuotes,
  });
  const last = anchors[anchors.length - 1];
  const prev = anchors.length > 1 ? anchors[anchors.length - 2] : null;
  let slope = 0;
  if (prev) {
    const s = last.price.div(prev.price).ln().div(last.t - prev.t).toNumber();
    slope = Math.max(-MAX_MONTHLY_LOG_SLOPE, Math.min(MAX_MONTHLY_LOG_SLOPE, s));
  }

  const points: CurvePoint[] = [];
  for (let t = 1; t <= months; t++) {
    const month = addMonths(first, t - 1);
    const exact = anchors.find((a) => a.t === t);
    if (exact) {
      points.push({ deliveryMonth: month, price: exact.price, kind: "QUOTED", quoteCount: exact.quoteCount, newestQuoteAgeDays: exact.newestAgeDays, spreadPct: exact.spreadPct, ...flags(exact.quoteCount, exact.newestAgeDays, exact.spreadPct) });
      continue;
    }
    const before = [...anchors].reverse().find((a) => a.t < t);
    const after = anchors.find((a) => a.t > t);
    if (before && after) {
      const count = Math.min(before.quoteCount, after.quoteCount);
      const age = Math.max(before.newestAgeDays ?? Infinity, after.newestAgeDays ?? Infinity);
      const spread = Decimal.max(before.spreadPct ?? 0, after.spreadPct ?? 0);
      points.push({ deliveryMonth: month, price: logInterp(before, after, t), kind: "INTERPOLATED", quoteCount: 0, newestQuoteAgeDays: Number.isFinite(age) ? age : null, spreadPct: spread, ...flags(count, Number.isFinite(age) ? age : null, spread) });
    } else {
      const from = before ?? after!;
      const price = before ? from.price.mul(new Decimal(slope * (t - from.t)).exp()) : from.price;
      points.push({ deliveryMonth: month, price, kind: "EXTRAPOLATED", quoteCount: 0, newestQuoteAgeDays: from.newestAgeDays, spreadPct: from.spreadPct, ...flags(from.quoteCount, from.newestAgeDays, from.spreadPct) });
    }
  }
  return { asOf, spot: spotQ?.price ?? null, points };
}
