/**
 * Forward curve builder: pure, deterministic, decimal money.
 *
 * Input: forward quotes and spot observations for one model class, an as-of time and per-org parameters.
 * Output: one point per delivery month for the next `months` months (the month after as-of first).
 *
 * Method (documented for users on the market page):
 * 1. Quotes older than maxQuoteAgeDays, or delivering before the curve's first month, are ignored. Exact
 *    duplicates (same source, month, as-of, bid, ask, mid) count once.
 * 2. A quote's mid is (bid + ask) / 2 when both are given, else its mid.
 * 3. Outlier screen (robust, median/MAD). Forwards are grouped by delivery month, spot observations form one
 *    group. A quote is compared with the quotes of its group made in the outlierWindowDays before it, and
 *    separately with those made in the outlierWindowDays after it (itself included; a side with fewer than
 *    outlierMinQuotes quotes has no say): with M a side's median mid and MAD the median of |mid − M|, the
 *    side finds the quote out of line when |mid − M| > k × 1.4826 × max(MAD, floor% × M) (defaults k = 3.5,
 *    floor 5%, 3 quotes, 7 days); it is out of line when every side with a say finds it so. An out-of-line quote is
 *    still kept when the whole market moved with it: other sources' quotes of the class made within 12 hours
 *    of it sit, at their median, about as far from their own groups' medians. Otherwise it is excluded. The floor keeps
 *    a tight group from rejecting ordinary noise (with the defaults nothing within ±25.9% of the median is
 *    excluded). Judging a quote against its contemporaries, rather than against the whole 60-day group, and
 *    checking for a market-wide move keep a real repricing (every quote after a list-price cut is lower) from
 *    being screened out. Excluded quotes are returned with the reason; they carry no weight.
 * 4. Weight = 2^(−age/halfLife) × 1 / (1 + spread / 5%) — a quote with a 5% spread counts half as much as a
 *    tight one; quotes without a bid/ask are treated as if their spread were the "wide" threshold. A quoted
 *    month's price is the weighted mean of its remaining quotes' mids.
 * 5. Spot (t = 0) is the class's index when the caller gives one (the list price blended by the organization's
 *    own usage mix, lib/domain/index-price.ts); otherwise the weighted mean of the remaining spot observations.
 *    Either way the observed spot is returned too, so the basis between them can be shown.
 * 6. Between quoted months (and between spot and the first quoted month) prices are interpolated
 *    log-linearly: ln P is linear in months, so a constant monthly percentage change — monotone, never
 *    negative.
 * 7. After the last quoted month the log-slope of the last two anchors continues, capped at ±10% per month;
 *    with a single anchor the curve stays flat. Before the first anchor with no spot, it is flat too.
 *    A curve needs market data: with no forward quote and no spot observation there is no curve, index or not.
 * Flags: stale — the newest quote behind the point is older than staleDays; wide — the weighted relative
 * spread is above wideSpreadPct; thin — fewer than thinMinQuotes quotes stand behind it (for interpolated
 * and extrapolated points, the weaker of the anchors they come from; the index is exact and current, so a
 * point between it and a quoted month takes the quoted month's flags, and a curve with nothing but the index
 * and spot observations is flat, stale and thin). `excludedQuotes` on a quoted point counts the outliers
 * screened out of its month.
 */
import Decimal from "decimal.js";
import { DAY_MS, monthKey } from "./time";

export type CurveParams = {
  staleDays: number;
  wideSpreadPct: number;
  thinMinQuotes: number;
  halfLifeDays: number;
  maxQuoteAgeDays: number;
} & Partial<ScreenParams>;

/** Outlier screen parameters (step 3 above). */
export type ScreenParams = {
  /** exclude beyond k robust standard deviations (1.4826 × MAD) from the median */
  outlierK: number;
  /** MAD floor as a percentage of the median */
  outlierMadFloorPct: number;
  /** fewer quotes than this in the reference set: no screening */
  outlierMinQuotes: number;
  /** reference set: quotes of the same group made within ± this many days */
  outlierWindowDays: number;
};
export const DEFAULT_SCREEN: ScreenParams = { outlierK: 3.5, outlierMadFloorPct: 5, outlierMinQuotes: 3, outlierWindowDays: 7 };
export const screenParams = (p: Partial<ScreenParams>): ScreenParams => ({
  outlierK: p.outlierK ?? DEFAULT_SCREEN.outlierK,
  outlierMadFloorPct: p.outlierMadFloorPct ?? DEFAULT_SCREEN.outlierMadFloorPct,
  outlierMinQuotes: p.outlierMinQuotes ?? DEFAULT_SCREEN.outlierMinQuotes,
  outlierWindowDays: p.outlierWindowDays ?? DEFAULT_SCREEN.outlierWindowDays,
});

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
  /** outliers screened out of this month's quotes (quoted points only; 0 elsewhere) */
  excludedQuotes: number;
};

/** A quote the outlier screen left out, with the numbers behind the decision. */
export type ExcludedQuote = {
  quote: QuoteInput;
  /** delivery month, or null for a spot observation */
  deliveryMonth: string | null;
  mid: Decimal;
  median: Decimal;
  /** (mid − median) / median × 100 */
  deviationPct: Decimal;
  /** largest deviation allowed, % of the median */
  limitPct: Decimal;
  /** quotes in the reference set (same group, same side, within the window) */
  referenceQuotes: number;
  /** how far other sources' quotes of the class made within 12 hours sat from their own medians (median, %); null if too few */
  marketMovePct: Decimal | null;
  reason: string;
};

export type Curve = {
  asOf: Date;
  /** the curve's spot: the index when one was given, else the observed spot */
  spot: Decimal | null;
  spotBasis: "LIST_INDEX" | "OBSERVED" | null;
  /** weighted mean of the (screened) spot observations, whatever the spot is */
  observedSpot: Decimal | null;
  observedSpotCount: number;
  points: CurvePoint[];
  excluded: ExcludedQuote[];
};

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

type Anchor = { t: number; price: Decimal; quoteCount: number; newestAgeDays: number | null; spreadPct: Decimal | null; excluded: number; index?: boolean };

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

const MAD_SCALE = new Decimal("1.4826");

function median(sorted: Decimal[]): Decimal {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : sorted[n / 2 - 1].plus(sorted[n / 2]).div(2);
}
const byValue = (a: Decimal, b: Decimal) => a.cmp(b);
const fmtPrice = (d: Decimal) => d.toDecimalPlaces(d.abs().lt(1) ? 6 : 4).toString();

type Side = "before" | "after";
type Judgement = { side: Side; median: Decimal; dev: Decimal; limit: Decimal; count: number };
export type ScreenGroup = { deliveryMonth: string | null; quotes: QuoteInput[] };

/** Quotes of the class made within this long of an out-of-line quote (the same session) show whether the whole market moved. */
const MARKET_MOVE_WINDOW_MS = DAY_MS / 2;

/**
 * Median/MAD screen of one class's quotes, in groups (each delivery month; the spot observations): returns each
 * group's kept quotes (input order) and the excluded ones with their reason. Pure.
 *
 * Within its group, a quote is judged against the quotes made in the window days before it and, separately, in
 * the window days after it (each side includes the quote itself and any quote made at the same time; a side with
 * fewer than outlierMinQuotes quotes has no say). It is out of line when every side with a say finds it so.
 * An out-of-line quote is still kept when the market moved with it: other sources' quotes of the class made
 * within 12 hours of it (any month, and spot; at least outlierMinQuotes with a say on the same side) sit, at their
 * median, about as far from their own groups' medians (within the quote's limit). So a repricing — every source
 * drops at once — is kept from its first day, in thin far months too, and confirmed by later quotes of its month;
 * a one-off quote (or one desk's batch of them) is out of line with its month and with the rest of the market.
 */
export function screenOutliers(groups: ScreenGroup[], p: Partial<ScreenParams> = {}): { kept: QuoteInput[][]; excluded: ExcludedQuote[] } {
  const s = screenParams(p);
  const windowMs = s.outlierWindowDays * DAY_MS;
  const floor = new Decimal(s.outlierMadFloorPct).div(100);
  const k = new Decimal(s.outlierK);
  type Row = { g: number; q: QuoteInput; mid: Decimal; t: number; sides: Partial<Record<Side, Judgement>>; out: boolean };
  const rows: Row[] = [];
  groups.forEach((group, g) => {
    const mids = group.quotes.map(quoteMid);
    const times = group.quotes.map((q) => q.asOf.getTime());
    const judge = (i: number, side: Side): Judgement | undefined => {
      const ref: Decimal[] = [];
      for (let j = 0; j < mids.length; j++) {
        const dt = times[j] - times[i];
        if (side === "before" ? dt <= 0 && dt >= -windowMs : dt >= 0 && dt <= windowMs) ref.push(mids[j]);
      }
      if (ref.length < s.outlierMinQuotes) return undefined;
      const m = median(ref.sort(byValue));
      if (m.lte(0)) return undefined;
      const mad = median(ref.map((x) => x.minus(m).abs()).sort(byValue));
      return { side, median: m, dev: mids[i].minus(m), limit: k.mul(MAD_SCALE).mul(Decimal.max(mad, m.mul(floor))), count: ref.length };
    };
    group.quotes.forEach((q, i) => {
      const sides: Partial<Record<Side, Judgement>> = {};
      if (group.quotes.length >= s.outlierMinQuotes) {
        sides.before = judge(i, "before");
        sides.after = judge(i, "after");
      }
      const said = Object.values(sides).filter((j) => j !== undefined);
      rows.push({ g, q, mid: mids[i], t: times[i], sides, out: said.length > 0 && said.every((j) => j.dev.abs().gt(j.limit)) });
    });
  });
  const rel = (j: Judgement) => j.dev.div(j.median);
  /** other sources' quotes of the class made within 12 hours of r: median relative deviation from their groups' medians */
  const marketMove = (r: Row, side: Side): Decimal | null => {
    const moves: Decimal[] = [];
    for (const o of rows) {
      // other sources only: one desk's batch of bad quotes must not vouch for itself
      if (o.q.source === r.q.source || Math.abs(o.t - r.t) > MARKET_MOVE_WINDOW_MS) continue;
      const j = o.sides[side];
      if (j) moves.push(rel(j));
    }
    return moves.length >= s.outlierMinQuotes ? median(moves.sort(byValue)) : null;
  };
  const kept: QuoteInput[][] = groups.map(() => []);
  const excluded: ExcludedQuote[] = [];
  for (const r of rows) {
    const said = Object.values(r.sides).filter((j) => j !== undefined);
    const explained =
      r.out &&
      said.some((j) => {
        const m = marketMove(r, j.side);
        return m !== null && rel(j).minus(m).abs().lte(j.limit.div(j.median));
      });
    if (!r.out || explained) {
      kept[r.g].push(r.q);
      continue;
    }
    // report the most lenient side: the one the quote comes closest to passing
    const j = said.reduce((a, b) => (b.dev.abs().div(b.limit).lt(a.dev.abs().div(a.limit)) ? b : a));
    const lenientMove = marketMove(r, j.side);
    const devPct = rel(j).mul(100);
    const limitPct = j.limit.div(j.median).mul(100);
    const deliveryMonth = groups[r.g].deliveryMonth;
    const what = deliveryMonth ? `${deliveryMonth} quotes` : "spot observations";
    const signed = (d: Decimal) => `${d.isNeg() ? "−" : "+"}${d.abs().toFixed(1)}%`;
    excluded.push({
      quote: r.q,
      deliveryMonth,
      mid: r.mid,
      median: j.median,
      deviationPct: devPct,
      limitPct,
      referenceQuotes: j.count,
      marketMovePct: lenientMove ? lenientMove.mul(100) : null,
      reason:
        `mid ${fmtPrice(r.mid)} is ${devPct.abs().toFixed(0)}% ${j.dev.isNeg() ? "below" : "above"} the median ${fmtPrice(j.median)} of the ${what} made within ` +
        `${s.outlierWindowDays} days ${j.side} it (${j.count} quotes; limit ±${limitPct.toFixed(1)}%)` +
        (lenientMove ? `; other sources' quotes within 12 hours of it: ${signed(lenientMove.mul(100))} from their medians` : ""),
    });
  }
  return { kept, excluded };
}

function logInterp(a: Anchor, b: Anchor, t: number): Decimal {
  const lambda = new Decimal(t - a.t).div(b.t - a.t);
  return a.price.ln().mul(new Decimal(1).minus(lambda)).plus(b.price.ln().mul(lambda)).exp();
}

export function buildCurve(input: { asOf: Date; forwards: QuoteInput[]; spots: QuoteInput[]; params: CurveParams; months?: number; index?: Decimal | null }): Curve {
  const { asOf, params: p } = input;
  const months = input.months ?? 12;
  const first = addMonths(monthKey(asOf), 1);
  const live = (q: QuoteInput) => q.asOf.getTime() <= asOf.getTime() && asOf.getTime() - q.asOf.getTime() <= p.maxQuoteAgeDays * DAY_MS;
  const forwards = dedupe(input.forwards.filter((q) => live(q) && q.deliveryMonth !== null && q.deliveryMonth >= first));
  const byMonth = new Map<string, QuoteInput[]>();
  for (const q of forwards) {
    const t = monthsBetween(first, q.deliveryMonth!) + 1;
    if (t > months) continue;
    byMonth.set(q.deliveryMonth!, [...(byMonth.get(q.deliveryMonth!) ?? []), q]);
  }
  const monthGroups = [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b));
  const screen = screenOutliers([{ deliveryMonth: null, quotes: dedupe(input.spots.filter(live)) }, ...monthGroups.map(([deliveryMonth, quotes]) => ({ deliveryMonth, quotes }))], p);
  const excluded = screen.excluded;
  const excludedIn = (month: string | null) => excluded.filter((e) => e.deliveryMonth === month).length;

  const spotQ = weightedQuote(screen.kept[0], asOf, p);
  const index = input.index ?? null;
  const anchors: Anchor[] = [];
  const empty = { asOf, spot: null, spotBasis: null, observedSpot: null, observedSpotCount: 0, points: [], excluded } satisfies Curve;
  if (!byMonth.size && !spotQ) return empty;
  if (index) anchors.push({ t: 0, price: index, quoteCount: 0, newestAgeDays: 0, spreadPct: null, excluded: 0, index: true });
  else if (spotQ) anchors.push({ t: 0, price: spotQ.price, quoteCount: spotQ.quoteCount, newestAgeDays: spotQ.newestAgeDays, spreadPct: spotQ.spreadPct, excluded: excludedIn(null) });
  monthGroups.forEach(([month], i) => {
    const w = weightedQuote(screen.kept[i + 1], asOf, p)!;
    anchors.push({ t: monthsBetween(first, month) + 1, price: w.price, quoteCount: w.quoteCount, newestAgeDays: w.newestAgeDays, spreadPct: w.spreadPct, excluded: excludedIn(month) });
  });
  if (!anchors.length) return empty;

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
      points.push({ deliveryMonth: month, price: exact.price, kind: "QUOTED", quoteCount: exact.quoteCount, newestQuoteAgeDays: exact.newestAgeDays, spreadPct: exact.spreadPct, excludedQuotes: exact.excluded, ...flags(exact.quoteCount, exact.newestAgeDays, exact.spreadPct) });
      continue;
    }
    const before = [...anchors].reverse().find((a) => a.t < t);
    const after = anchors.find((a) => a.t > t);
    if (before && after) {
      // the index is exact and current: a point between it and a quoted month is as good as that month
      const from = before.index ? [after] : [before, after];
      const count = Math.min(...from.map((a) => a.quoteCount));
      const age = Math.max(...from.map((a) => a.newestAgeDays ?? Infinity));
      const spread = Decimal.max(...from.map((a) => a.spreadPct ?? 0));
      points.push({ deliveryMonth: month, price: logInterp(before, after, t), kind: "INTERPOLATED", quoteCount: 0, newestQuoteAgeDays: Number.isFinite(age) ? age : null, spreadPct: spread, excludedQuotes: 0, ...flags(count, Number.isFinite(age) ? age : null, spread) });
    } else {
      const from = before ?? after!;
      const price = before ? from.price.mul(new Decimal(slope * (t - from.t)).exp()) : from.price;
      // from the index alone (no forward quote at all) the curve is an assumption: stale and thin
      const age = from.index ? null : from.newestAgeDays;
      points.push({ deliveryMonth: month, price, kind: "EXTRAPOLATED", quoteCount: 0, newestQuoteAgeDays: age, spreadPct: from.spreadPct, excludedQuotes: 0, ...flags(from.quoteCount, age, from.spreadPct) });
    }
  }
  return {
    asOf,
    spot: index ?? spotQ?.price ?? null,
    spotBasis: index ? "LIST_INDEX" : spotQ ? "OBSERVED" : null,
    observedSpot: spotQ?.price ?? null,
    observedSpotCount: spotQ?.quoteCount ?? 0,
    points,
    excluded,
  };
}
