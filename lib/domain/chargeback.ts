/**
 * Internal chargebacks: each team's usage priced at the spot benchmark, and the org's hedged cost shared back to
 * the teams so that, month by month, the teams' charges add up to what the organization paid — to the cent.
 * Pure and exact: tokens are bigint, money is decimal (40 significant digits) or integer units of it; rounding
 * happens once, at the end, by the rule below. Services load usage, curves, prices, settlements and forecasts and
 * pass them in: daily usage (`chargebacks`), or usage already priced per team × model × month by the monthly read
 * model (`chargebacksOfPriced`), whose sums `priceMonths` defines.
 *
 * Units. A class's price is USD per 1M tokens of input + output (cached input included in input), as for the
 * curve's spot index (index-price.ts).
 *
 * 1. Spot benchmark (per team × model × month). Each usage day priced at the benchmark:
 *    - SPOT (default): the class's spot on that day = the spot of the latest forward curve of the class built on
 *      or before the day. Days before the class's first curve fall back to the list price (counted, and said).
 *    - LIST: the catalog list price in force that day (input, cached input and output at their own rates).
 *    Usage with neither a curve nor a list price is unpriced (counted, and said); it carries no benchmark.
 *
 * 2. The org's cost of a class in a month = its benchmark cost S (all teams) + the hedge result H, where H is the
 *    sum over the contracts' settlements of the month (contracts BOOKED, DELIVERING or SETTLED):
 *    - FINANCIAL: the org buys all its usage at spot and the contract pays (avg − K) × q: H_c = − settlement amount
 *      (a gain lowers the cost, a loss raises it).
 *    - SERVICE_CREDITS: the org paid q × K for q tokens of credits; used credits replace usage it would have bought
 *      at the benchmark: H_c = used × K (the settlement amount) + forfeited × K − used × S / U, with U the class's
 *      tokens in the month (the credits replace tokens at the class's average benchmark rate that month).
 *      Forfeited credits are a cost of the hedge, shared like the rest of H.
 *    So the org's cost = hedged part at contract prices + unhedged remainder at spot, and H is the difference
 *    the hedge made. A month without settlements has H = 0: every team is charged exactly its benchmark.
 *
 * 3. Allocation. Each team pays its own usage at the benchmark (step 1) plus a share of each contract's H_c:
 *    - USAGE (default): pro rata to the team's tokens of the class in the month — the same hedge adjustment per
 *      1M tokens for every team of the class, so a team's rate = its benchmark rate + (hedged blended rate − the
 *      class's average benchmark rate). Settlement gains, losses and forfeited credits are shared alike.
 *    - FORECAST_AT_BOOKING: pro rata to each team's forecast (P50 input + output tokens over the contract's
 *      window days in the month) in the forecast in force when the contract was booked — the teams whose demand
 *      the hedge was bought for bear its result, forfeited credits included.
 *    When the chosen rule has no weights (nobody used the class that month; no forecast at booking) the other rule
 *    is used; failing both, the teams' benchmark spend across all classes that month; failing that (no usage at
 *    all) the result stays unallocated and is shown as such.
 *
 * 4. Rounding (to the cent, half-even). Every team × model × month benchmark is rounded to cents; class, team and
 *    org benchmarks are sums of those cents. Per class × month the hedge result H is rounded to cents once; each
 *    team's exact share is rounded to cents and what is left (a few cents at most, either sign) goes to the team
 *    with the largest share (ties: larger usage, then team id). A team's charge = its benchmark cents + its hedge
 *    cents, so the teams' charges (+ any unallocated result) equal the org's cost in cents exactly — which differs
 *    from the unrounded cost by at most half a cent per benchmark line plus half a cent (reported as exact too).
 */
import Decimal from "decimal.js";
import { TOKENS_PER_PRICE_UNIT, type DecimalLike } from "./money";
import { priceInForce, type PriceVersion } from "./pricing";
import { monthKey } from "./time";
import { spotSeries } from "./valuation";

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const d40 = (v: DecimalLike): Decimal => new D(typeof v === "bigint" ? v.toString() : v instanceof Decimal ? v.toString() : v);
const ZERO40 = d40(0);
/** Cents, half-even (the statement's unit). */
export const toCents = (v: DecimalLike): Decimal => d40(v).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);

export const BENCHMARKS = ["SPOT", "LIST"] as const;
export type Benchmark = (typeof BENCHMARKS)[number];
export const ALLOCATIONS = ["USAGE", "FORECAST_AT_BOOKING"] as const;
export type Allocation = (typeof ALLOCATIONS)[number];
/** How one contract's result was shared: the rule used, a fallback, or not at all. */
export type AllocationBasis = Allocation | "ALL_USAGE" | "UNALLOCATED";

/** One team × model × UTC day of usage. */
export type UsageDay = {
  teamId: string;
  modelId: string;
  modelClassId: string;
  day: Date;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
};

export type CurveSpot = { modelClassId: string; asOf: Date; spotUsdPerMTokens: DecimalLike };
export type ClassSpotLookup = (modelClassId: string, day: Date) => Decimal | null;

/** Spot of a class on a day: the spot of the latest curve built on or before it; null before the first curve. */
export const curveSpotLookup = (curves: Iterable<CurveSpot>): ClassSpotLookup =>
  spotSeries([...curves].map((c) => ({ modelClass: c.modelClassId, date: c.asOf, price: c.spotUsdPerMTokens })));

/** One contract × month settlement (as stored by the settlement job). */
export type HedgeSettlement = {
  contractId: string;
  reference: string;
  modelClassId: string;
  month: string;
  settlement: "FINANCIAL" | "SERVICE_CREDITS";
  strikeUsdPerMTokens: DecimalLike;
  quantityTokens: bigint;
  /** FINANCIAL: (avg − K) × q / 1e6, positive = paid to the org; SERVICE_CREDITS: used × K / 1e6 */
  amountUsd: DecimalLike;
  creditsUsedTokens: bigint | null;
  creditsForfeitedTokens: bigint | null;
  /** team → forecast P50 tokens for the period at booking (FORECAST_AT_BOOKING); empty when none existed */
  forecastTokens?: ReadonlyMap<string, bigint>;
};

/** A held contract's month that has not settled yet: the month is treated as unhedged until it does. */
export type PendingHedge = { contractId: string; reference: string; modelClassId: string; month: string; settlement: "FINANCIAL" | "SERVICE_CREDITS" };

/**
 * One team × model × month of usage priced at both benchmarks: the sums the monthly read model stores
 * (lib/services/usage-rollup.ts, in SQL numeric), defined by `priceMonths`. Values are in USD per 1M tokens ×
 * tokens (÷ 1e6 = USD), exact.
 */
export type PricedMonth = ModelMonthTokens & {
  /** SPOT: Σ over the days with a curve of (input + output) × that day's spot */
  spotValue: DecimalLike;
  /** SPOT: Σ over the days before the class's first curve of their list value, how many had a list price, the tokens of those without */
  preCurveListValue: DecimalLike;
  preCurveDays: number;
  spotUnpricedTokens: bigint;
  /** LIST: Σ over all days of their list value at the price in force, and the tokens of days without one */
  listValue: DecimalLike;
  listUnpricedTokens: bigint;
};

/** What allocation needs besides the priced usage. */
export type AllocationInput = {
  months: readonly string[];
  benchmark: Benchmark;
  allocation: Allocation;
  settlements: readonly HedgeSettlement[];
  pending?: readonly PendingHedge[];
  /** months whose team × model lines the result lists (all by default); every month is priced and allocated */
  detailMonths?: readonly string[];
};

export type ChargebackInput = AllocationInput & {
  usage: Iterable<UsageDay>;
  spotOn: ClassSpotLookup;
  /** modelId → effective-dated list prices */
  listPrices: ReadonlyMap<string, readonly PriceVersion[]>;
};

/** One team × model × month's token sums. */
type ModelMonthTokens = {
  month: string;
  teamId: string;
  modelId: string;
  modelClassId: string;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedInputTokens: bigint;
};

export type ModelLine = ModelMonthTokens & {
  /** input + output */
  tokens: bigint;
  benchmarkExactUsd: Decimal;
  /** cents */
  benchmarkUsd: Decimal;
  /** SPOT benchmark only: usage days before the class's first curve, priced at list */
  listPricedDays: number;
  /** tokens with no benchmark price at all (no curve and no list price) */
  unpricedTokens: bigint;
};

export type ContractResult = {
  contractId: string;
  reference: string;
  settlement: "FINANCIAL" | "SERVICE_CREDITS";
  strikeUsdPerMTokens: Decimal;
  quantityTokens: bigint;
  /** FINANCIAL: amount received (negative = paid); SERVICE_CREDITS: credits used, at strike */
  settlementUsd: Decimal;
  creditsUsedTokens: bigint | null;
  creditsForfeitedTokens: bigint | null;
  /** forfeited credits at strike (a cost of the hedge) */
  forfeitedUsd: Decimal;
  /** the benchmark value of the usage the used credits replaced */
  replacedUsd: Decimal;
  /** H_c: what the contract added to the org's cost (negative = saved), exact */
  resultUsd: Decimal;
  basis: AllocationBasis;
  /** team → fraction of this contract's result (sums to 1 unless unallocated) */
  shares: Map<string, Decimal>;
};

export type TeamClassLine = {
  month: string;
  teamId: string;
  modelClassId: string;
  tokens: bigint;
  /** cents: Σ of the team's model lines */
  benchmarkUsd: Decimal;
  hedgeExactUsd: Decimal;
  /** cents, after the remainder rule */
  hedgeUsd: Decimal;
  /** cents: benchmark + hedge */
  chargeUsd: Decimal;
};

export type ClassMonth = {
  month: string;
  modelClassId: string;
  tokens: bigint;
  benchmarkExactUsd: Decimal;
  /** cents: Σ team benchmark lines */
  benchmarkUsd: Decimal;
  hedgeExactUsd: Decimal;
  /** cents: round(H) */
  hedgeUsd: Decimal;
  /** cents: part of hedgeUsd no team could carry */
  unallocatedUsd: Decimal;
  /** cents: benchmarkUsd + hedgeUsd = Σ team charges + unallocated */
  costUsd: Decimal;
  costExactUsd: Decimal;
  contracts: ContractResult[];
  pending: PendingHedge[];
};

export type ChargebackResult = { months: string[]; models: ModelLine[]; lines: TeamClassLine[]; classMonths: ClassMonth[] };

const key = (...parts: string[]) => parts.join("\u0000");
const cmpId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Splits `totalCents` (already rounded) over exact shares: each share rounded to cents, the remainder to the
 * largest |share| (ties: larger tiebreak, then id). Returns id → cents; Σ = totalCents exactly.
 */
export function roundShares(totalCents: Decimal, exact: ReadonlyMap<string, Decimal>, tiebreak: ReadonlyMap<string, bigint> = new Map()): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  if (!exact.size) return out;
  let sum = ZERO40;
  for (const [id, v] of exact) {
    const c = toCents(v);
    out.set(id, c);
    sum = sum.add(c);
  }
  const tb = (id: string) => tiebreak.get(id) ?? 0n;
  // the first in the order |share| desc, tiebreak desc, id asc — one pass, not a sort (thousands of teams)
  let largest = "";
  let top: Decimal | null = null;
  for (const [id, v] of exact) {
    const a = v.abs();
    const c = top === null ? 1 : a.comparedTo(top) || (tb(id) === tb(largest) ? -cmpId(id, largest) : tb(id) > tb(largest) ? 1 : -1);
    if (c > 0) {
      largest = id;
      top = a;
    }
  }
  out.set(largest, out.get(largest)!.add(d40(totalCents).sub(sum)));
  return out;
}

/** Normalised weights (id → fraction) from non-negative amounts; null when they sum to zero. */
function fractions(weights: ReadonlyMap<string, Decimal>): Map<string, Decimal> | null {
  let total = ZERO40;
  for (const w of weights.values()) if (w.gt(0)) total = total.add(w);
  if (total.isZero()) return null;
  const out = new Map<string, Decimal>();
  for (const [id, w] of weights) if (w.gt(0)) out.set(id, w.div(total));
  return out;
}

type TokenSums = { input: bigint; cached: bigint; output: bigint };
/** Σ list value (USD per 1M × tokens) of token sums per price version: list cost is linear in tokens. */
function listValueOf(byVersion: ReadonlyMap<PriceVersion, TokenSums>): Decimal {
  let v = ZERO40;
  for (const [p, t] of byVersion) {
    const cachedRate = p.cachedInputUsdPerMTokens ?? p.inputUsdPerMTokens;
    v = v.add(d40((t.input - t.cached).toString()).mul(d40(p.inputUsdPerMTokens)).add(d40(t.cached.toString()).mul(d40(cachedRate))).add(d40(t.output.toString()).mul(d40(p.outputUsdPerMTokens))));
  }
  return v;
}

/**
 * Step 1's inputs: each team × model × month of `months` priced at both benchmarks, day by day (the definition of
 * the read model's sums). Spot-priced days are summed as integers — tokens × spot in micro-dollars per 1M tokens
 * (spots have at most 6 decimals) — and list-priced days as token sums per price version; both are exactly the
 * Decimal sums, without a Decimal per usage day.
 */
export function priceMonths(usage: Iterable<UsageDay>, monthList: readonly string[], spotOn: ClassSpotLookup, listPrices: ReadonlyMap<string, readonly PriceVersion[]>): PricedMonth[] {
  const months = new Set(monthList);
  type Acc = PricedMonth & { spotMicros: bigint; spotExact: Decimal; preCurve: Map<PriceVersion, TokenSums>; all: Map<PriceVersion, TokenSums> };
  const accs = new Map<string, Acc>();
  const microsOf = new Map<Decimal, bigint | null>();
  const micros = (spot: Decimal) => {
    let m = microsOf.get(spot);
    if (m === undefined) {
      const scaled = d40(spot).mul(1_000_000);
      m = scaled.isInteger() ? BigInt(scaled.toFixed(0)) : null;
      microsOf.set(spot, m);
    }
    return m;
  };
  const addTo = (byVersion: Map<PriceVersion, TokenSums>, p: PriceVersion, u: UsageDay) => {
    const acc = byVersion.get(p) ?? { input: 0n, cached: 0n, output: 0n };
    acc.input += u.inputTokens;
    acc.cached += u.cachedInputTokens;
    acc.output += u.outputTokens;
    byVersion.set(p, acc);
  };
  for (const u of usage) {
    const month = monthKey(u.day);
    if (!months.has(month)) continue;
    const k = key(month, u.teamId, u.modelId);
    let a = accs.get(k);
    if (!a) {
      a = {
        month, teamId: u.teamId, modelId: u.modelId, modelClassId: u.modelClassId, inputTokens: 0n, outputTokens: 0n, cachedInputTokens: 0n,
        spotValue: ZERO40, preCurveListValue: ZERO40, preCurveDays: 0, spotUnpricedTokens: 0n, listValue: ZERO40, listUnpricedTokens: 0n,
        spotMicros: 0n, spotExact: ZERO40, preCurve: new Map(), all: new Map(),
      };
      accs.set(k, a);
    }
    a.inputTokens += u.inputTokens;
    a.outputTokens += u.outputTokens;
    a.cachedInputTokens += u.cachedInputTokens;
    const tokens = u.inputTokens + u.outputTokens;
    const p = priceInForce(listPrices.get(u.modelId) ?? [], u.day);
    if (p && u.cachedInputTokens > u.inputTokens) throw new RangeError("cached input tokens exceed input tokens");
    if (p) addTo(a.all, p, u);
    else a.listUnpricedTokens += tokens;
    const spot = spotOn(u.modelClassId, u.day);
    if (spot) {
      const m = micros(spot);
      if (m !== null) a.spotMicros += tokens * m;
      else a.spotExact = a.spotExact.add(d40(tokens).mul(d40(spot)));
    } else if (p) {
      addTo(a.preCurve, p, u);
      a.preCurveDays++;
    } else a.spotUnpricedTokens += tokens;
  }
  return [...accs.values()].map(({ spotMicros, spotExact, preCurve, all, ...m }) => ({
    ...m,
    spotValue: spotExact.add(d40(spotMicros.toString()).div(1_000_000)),
    preCurveListValue: listValueOf(preCurve),
    listValue: listValueOf(all),
  }));
}

/** The chargebacks of `months` from daily usage (see header). Lines, models and class-months are sorted by month, then ids. */
export function chargebacks(input: ChargebackInput): ChargebackResult {
  return chargebacksOfPriced(input, priceMonths(input.usage, input.months, input.spotOn, input.listPrices));
}

/**
 * A value in USD per 1M × tokens as an integer count of 1e-12 of it (1e-18 USD): exact for up to 12 decimals,
 * which prices (6 decimals) times tokens never exceed. Strings (the read model's numerics) are split, not parsed.
 */
const VALUE_DP = 12;
export function benchmarkUnits(v: DecimalLike): bigint {
  const m = typeof v === "string" ? /^(-?)(\d+)(?:\.(\d{0,12}))?$/.exec(v) : null;
  if (m) return BigInt(`${m[1]}${m[2]}${(m[3] ?? "").padEnd(VALUE_DP, "0")}`);
  const scaled = d40(v).mul(new D(10).pow(VALUE_DP));
  if (!scaled.isInteger()) throw new RangeError(`a priced value has more than ${VALUE_DP} decimals: ${String(v)}`);
  return BigInt(scaled.toFixed(0));
}
/** USD units (1e-18) → Decimal USD, exact. */
const usdOf = (units: bigint): Decimal => new D(`${units.toString()}e-${VALUE_DP + 6}`);
const CENT_UNITS = 10n ** BigInt(VALUE_DP + 6 - 2);
/** USD units → cents, half-even (as toCents), as an integer count of cents. */
function centsOf(units: bigint): bigint {
  const neg = units < 0n;
  const a = neg ? -units : units;
  let q = a / CENT_UNITS;
  const r = a % CENT_UNITS;
  if (r * 2n > CENT_UNITS || (r * 2n === CENT_UNITS && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}
const usdOfCents = (cents: bigint): Decimal => new D(`${cents.toString()}e-2`);

/**
 * One team × class × month at the chosen benchmark, what allocation needs: tokens, the exact benchmark (Σ of its
 * team × model lines, in units of 1e-18 USD) and the Σ of those lines each rounded to cents. `benchmarkLines`
 * makes them from priced team × model × months; the service may aggregate them in SQL with the same rule.
 */
export type BenchmarkLine = { month: string; teamId: string; modelClassId: string; tokens: bigint; units: bigint; cents: bigint };

/**
 * Step 1: each team × model × month at the chosen benchmark — the team × class × month lines, and the team × model
 * lines of `detailMonths` (all months by default) — on integers (1e-18 USD and cents), exactly as the Decimal sums.
 */
export function benchmarkLines(input: Pick<AllocationInput, "months" | "benchmark" | "detailMonths">, priced: Iterable<PricedMonth>): { lines: BenchmarkLine[]; models: ModelLine[] } {
  const months = new Set(input.months);
  const spotBenchmark = input.benchmark === "SPOT";
  const detail = input.detailMonths ? new Set(input.detailMonths) : null;
  const models: ModelLine[] = [];
  const lines = new Map<string, BenchmarkLine>();
  for (const p of priced) {
    if (!months.has(p.month)) continue;
    const units = spotBenchmark ? benchmarkUnits(p.spotValue) + benchmarkUnits(p.preCurveListValue) : benchmarkUnits(p.listValue);
    const cents = centsOf(units);
    const tokens = p.inputTokens + p.outputTokens;
    if (!detail || detail.has(p.month))
      models.push({
        month: p.month, teamId: p.teamId, modelId: p.modelId, modelClassId: p.modelClassId,
        inputTokens: p.inputTokens, outputTokens: p.outputTokens, cachedInputTokens: p.cachedInputTokens, tokens,
        benchmarkExactUsd: usdOf(units), benchmarkUsd: usdOfCents(cents),
        listPricedDays: spotBenchmark ? p.preCurveDays : 0, unpricedTokens: spotBenchmark ? p.spotUnpricedTokens : p.listUnpricedTokens,
      });
    const lk = key(p.month, p.modelClassId, p.teamId);
    const l = lines.get(lk);
    if (l) {
      l.tokens += tokens;
      l.units += units;
      l.cents += cents;
    } else lines.set(lk, { month: p.month, teamId: p.teamId, modelClassId: p.modelClassId, tokens, units, cents });
  }
  return { lines: [...lines.values()], models };
}

/**
 * The chargebacks of `months` from usage already priced per team × model × month (`priceMonths`, or the read
 * model). Step 1 and the sums over it run on integers (1e-18 USD and cents), exactly as the Decimal sums.
 */
export function chargebacksOfPriced(input: AllocationInput, priced: Iterable<PricedMonth>): ChargebackResult {
  const { lines, models } = benchmarkLines(input, priced);
  return allocate(input, lines, models);
}

/**
 * Steps 2–4 from the team × class × month benchmark lines (and the team × model lines to list): hedge results,
 * their allocation and the rounding. Lines, models and class-months are sorted by month, then ids.
 */
export function allocate(input: AllocationInput, benchmark: Iterable<BenchmarkLine>, models: readonly ModelLine[]): ChargebackResult {
  const months = new Set(input.months);
  // team × class × month lines; class × month totals and each team's benchmark spend per month (the last
  // allocation fallback), as integers; the lines of each class × month, for the usage weights of its contracts
  type ClassSums = { month: string; modelClassId: string; tokens: bigint; units: bigint; cents: bigint };
  const lines = new Map<string, TeamClassLine>();
  const classSums = new Map<string, ClassSums>();
  const spendUnits = new Map<string, Map<string, bigint>>();
  const linesOfClassMonth = new Map<string, TeamClassLine[]>();
  for (const l of benchmark) {
    if (!months.has(l.month)) continue;
    const line: TeamClassLine = { month: l.month, teamId: l.teamId, modelClassId: l.modelClassId, tokens: l.tokens, benchmarkUsd: usdOfCents(l.cents), hedgeExactUsd: ZERO40, hedgeUsd: ZERO40, chargeUsd: ZERO40 };
    lines.set(key(l.month, l.modelClassId, l.teamId), line);
    const ck = key(l.month, l.modelClassId);
    const c = classSums.get(ck) ?? { month: l.month, modelClassId: l.modelClassId, tokens: 0n, units: 0n, cents: 0n };
    c.tokens += l.tokens;
    c.units += l.units;
    c.cents += l.cents;
    classSums.set(ck, c);
    const list = linesOfClassMonth.get(ck);
    if (list) list.push(line);
    else linesOfClassMonth.set(ck, [line]);
    let spend = spendUnits.get(l.month);
    if (!spend) spendUnits.set(l.month, (spend = new Map()));
    spend.set(l.teamId, (spend.get(l.teamId) ?? 0n) + l.units);
  }
  const classes = new Map<string, ClassMonth>();
  const classMonth = (month: string, modelClassId: string) => {
    const k = key(month, modelClassId);
    let c = classes.get(k);
    if (!c) {
      const sums = classSums.get(k);
      const exact = sums ? usdOf(sums.units) : ZERO40;
      const cents = sums ? usdOfCents(sums.cents) : ZERO40;
      c = { month, modelClassId, tokens: sums?.tokens ?? 0n, benchmarkExactUsd: exact, benchmarkUsd: cents, hedgeExactUsd: ZERO40, hedgeUsd: ZERO40, unallocatedUsd: ZERO40, costUsd: ZERO40, costExactUsd: ZERO40, contracts: [], pending: [] };
      classes.set(k, c);
    }
    return c;
  };
  for (const c of classSums.values()) classMonth(c.month, c.modelClassId);
  /** Each team's benchmark spend in a month, as Decimal weights: only asked for the rare last fallback. */
  const teamMonthSpend = (month: string) => new Map([...(spendUnits.get(month) ?? new Map<string, bigint>())].map(([t, u]) => [t, usdOf(u)]));
  const lineOf = (month: string, modelClassId: string, teamId: string) => {
    const k = key(month, modelClassId, teamId);
    let line = lines.get(k);
    if (!line) {
      // a team charged for a hedge of a class it did not use this month (forecast or fallback allocation)
      line = { month, teamId, modelClassId, tokens: 0n, benchmarkUsd: ZERO40, hedgeExactUsd: ZERO40, hedgeUsd: ZERO40, chargeUsd: ZERO40 };
      lines.set(k, line);
    }
    return line;
  };

  // 2. hedge result per contract, 3. its allocation
  for (const s of input.settlements) {
    if (!months.has(s.month)) continue;
    const c = classMonth(s.month, s.modelClassId);
    const k = d40(s.strikeUsdPerMTokens);
    const amount = d40(s.amountUsd);
    let forfeitedUsd = ZERO40;
    let replacedUsd = ZERO40;
    let resultUsd: Decimal;
    if (s.settlement === "FINANCIAL") resultUsd = amount.neg();
    else {
      forfeitedUsd = d40(s.creditsForfeitedTokens ?? 0n).mul(k).div(TOKENS_PER_PRICE_UNIT);
      replacedUsd = c.tokens === 0n ? ZERO40 : c.benchmarkExactUsd.mul(d40(s.creditsUsedTokens ?? 0n)).div(d40(c.tokens));
      resultUsd = amount.add(forfeitedUsd).sub(replacedUsd);
    }
    const usage = new Map<string, Decimal>();
    for (const line of linesOfClassMonth.get(key(s.month, s.modelClassId)) ?? []) usage.set(line.teamId, d40(line.tokens));
    const forecast = new Map<string, Decimal>([...(s.forecastTokens ?? new Map<string, bigint>())].map(([t, v]) => [t, d40(v)]));
    const order: [AllocationBasis, ReadonlyMap<string, Decimal>][] =
      input.allocation === "USAGE" ? [["USAGE", usage], ["FORECAST_AT_BOOKING", forecast]] : [["FORECAST_AT_BOOKING", forecast], ["USAGE", usage]];
    order.push(["ALL_USAGE", teamMonthSpend(s.month)]);
    let basis: AllocationBasis = "UNALLOCATED";
    let shares = new Map<string, Decimal>();
    for (const [b, w] of order) {
      const f = fractions(w);
      if (f) {
        basis = b;
        shares = f;
        break;
      }
    }
    c.contracts.push({
      contractId: s.contractId, reference: s.reference, settlement: s.settlement, strikeUsdPerMTokens: k, quantityTokens: s.quantityTokens, settlementUsd: amount,
      creditsUsedTokens: s.creditsUsedTokens, creditsForfeitedTokens: s.creditsForfeitedTokens, forfeitedUsd, replacedUsd, resultUsd, basis, shares,
    });
  }
  for (const p of input.pending ?? []) if (months.has(p.month)) classMonth(p.month, p.modelClassId).pending.push(p);

  // 4. rounding: H once per class × month, team shares to cents, remainder to the largest share
  for (const c of classes.values()) {
    c.contracts.sort((a, b) => cmpId(a.reference, b.reference) || cmpId(a.contractId, b.contractId));
    c.pending.sort((a, b) => cmpId(a.reference, b.reference));
    let allocatedExact = ZERO40;
    const exact = new Map<string, Decimal>();
    for (const r of c.contracts) {
      c.hedgeExactUsd = c.hedgeExactUsd.add(r.resultUsd);
      if (r.basis === "UNALLOCATED") continue;
      allocatedExact = allocatedExact.add(r.resultUsd);
      for (const [teamId, f] of r.shares) exact.set(teamId, (exact.get(teamId) ?? ZERO40).add(r.resultUsd.mul(f)));
    }
    c.hedgeUsd = toCents(c.hedgeExactUsd);
    const allocatedCents = exact.size ? toCents(allocatedExact) : ZERO40;
    c.unallocatedUsd = c.hedgeUsd.sub(allocatedCents);
    const tokensOf = new Map<string, bigint>();
    for (const teamId of exact.keys()) tokensOf.set(teamId, lines.get(key(c.month, c.modelClassId, teamId))?.tokens ?? 0n);
    for (const [teamId, cents] of roundShares(allocatedCents, exact, tokensOf)) {
      const line = lineOf(c.month, c.modelClassId, teamId);
      line.hedgeExactUsd = exact.get(teamId)!;
      line.hedgeUsd = cents;
    }
    c.costUsd = c.benchmarkUsd.add(c.hedgeUsd);
    c.costExactUsd = c.benchmarkExactUsd.add(c.hedgeExactUsd);
  }
  for (const line of lines.values()) line.chargeUsd = line.benchmarkUsd.add(line.hedgeUsd);

  // each sort key built once (hundreds of thousands of lines in a large org)
  const byMonth = <T extends { month: string }>(xs: Iterable<T>, id: (x: T) => string) =>
    [...xs].map((x) => ({ k: key(x.month, id(x)), x })).sort((a, b) => cmpId(a.k, b.k)).map((e) => e.x);
  return {
    months: [...months].sort(),
    models: byMonth(models, (m) => key(m.teamId, m.modelClassId, m.modelId)),
    lines: byMonth(lines.values(), (l) => key(l.teamId, l.modelClassId)),
    classMonths: byMonth(classes.values(), (c) => c.modelClassId),
  };
}

export type Totals = { tokens: bigint; benchmarkUsd: Decimal; hedgeUsd: Decimal; chargeUsd: Decimal };

/** Σ of team × class lines (cents), optionally one team's, over some months. */
export function totalsOf(lines: Iterable<TeamClassLine>, filter: (l: TeamClassLine) => boolean = () => true): Totals {
  const t: Totals = { tokens: 0n, benchmarkUsd: ZERO40, hedgeUsd: ZERO40, chargeUsd: ZERO40 };
  for (const l of lines) {
    if (!filter(l)) continue;
    t.tokens += l.tokens;
    t.benchmarkUsd = t.benchmarkUsd.add(l.benchmarkUsd);
    t.hedgeUsd = t.hedgeUsd.add(l.hedgeUsd);
    t.chargeUsd = t.chargeUsd.add(l.chargeUsd);
  }
  return t;
}

/** Months of a period: YYYY-MM → itself, YYYY-Qn → its three months. */
export function periodMonths(period: string): string[] {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!q) return [period];
  const first = (Number(q[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${q[1]}-${String(first + i).padStart(2, "0")}`);
}

/** The `n` months ending with `last` (YYYY-MM), oldest first. */
export function monthsEnding(last: string, n: number): string[] {
  const [y, m] = last.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => monthKey(new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1))));
}
