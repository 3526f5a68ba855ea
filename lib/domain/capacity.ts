/**
 * Capacity under contracts' service terms: pure, deterministic, integers for tokens, decimal for ratios.
 *
 * - Peak demand of a class (tokens per minute) from its usage history over an explicit window of days: each day's
 *   peak is its busiest hour (hourly data) or the day itself (daily data only); the P90 of those daily peaks
 *   (nearest rank: the ⌈0.9·n⌉-th smallest, days without usage count as 0) divided by the minutes of the period
 *   (60 or 1440) is today's peak rate. Hourly data measures the busy hour; daily data can only give the average
 *   rate of a busy day, which understates a peak — the granularity used is returned with every figure.
 * - Forecast peak of a month = today's peak × the forecast's growth for that month: the forecast's average daily
 *   P50 tokens in the month ÷ the history's average daily tokens. A month no forecast covers is held flat (growth
 *   1, flagged). Rates are rounded up to whole tokens per minute.
 * - Reserved capacity of a month = the least, over the month's days, of the reserved throughput summed over the
 *   contracts whose window holds that day: the capacity held throughout the month (a contract ending mid-month
 *   leaves the rest of the month short).
 * - Delivered vs committed: a contract's reserved volume on a day is its tokens per minute × 1440; the class's
 *   usage of each day is drawn down over the contracts holding that day in booking order, each up to its daily
 *   reserved volume (as service credits are), so what a reservation did not carry is visible as unused.
 */
import Decimal from "decimal.js";

export type UsageGranularity = "HOUR" | "DAY";
/** A class's total tokens over one hour or one day starting at `start` (UTC). */
export type UsagePoint = { start: Date; tokens: bigint };

export const MINUTES_PER_DAY = 1440;
const MINUTES: Record<UsageGranularity, number> = { HOUR: 60, DAY: MINUTES_PER_DAY };
const DAY_MS = 86_400_000;
const dayIndex = (d: Date) => Math.floor(d.getTime() / DAY_MS);
const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The days of a month (YYYY-MM) as UTC midnights. */
export function daysOfMonth(month: string): Date[] {
  const [y, m] = month.split("-").map(Number);
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(y, m - 1, i + 1)));
}

/** Nearest-rank quantile of integers: the ⌈p·n⌉-th smallest (p in (0, 1]); 0 for no values. */
export function nearestRank(values: readonly bigint[], p: number): bigint {
  if (!values.length) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
  return sorted[rank - 1];
}

/** Each day's peak over [from, to] (inclusive UTC days): busiest hour (HOUR) or the day's total (DAY). */
export function dailyPeaks(points: readonly UsagePoint[], granularity: UsageGranularity, from: Date, to: Date): bigint[] {
  const first = dayIndex(from);
  const n = dayIndex(to) - first + 1;
  if (n <= 0) return [];
  const peaks: bigint[] = Array.from({ length: n }, () => 0n);
  const dayTotals: bigint[] = Array.from({ length: n }, () => 0n);
  for (const p of points) {
    const i = dayIndex(p.start) - first;
    if (i < 0 || i >= n) continue;
    if (granularity === "HOUR") peaks[i] = p.tokens > peaks[i] ? p.tokens : peaks[i];
    else dayTotals[i] += p.tokens;
  }
  return granularity === "HOUR" ? peaks : dayTotals;
}

export type PeakBasis = {
  granularity: UsageGranularity;
  days: number;
  /** P90 of the daily peaks, tokens in one period (hour or day) */
  p90PeriodTokens: bigint;
  /** today's peak rate: ⌈p90PeriodTokens / minutes of the period⌉ */
  peakTokensPerMinute: bigint;
  /** the history's average daily tokens (growth baseline) */
  historyTokens: bigint;
};

/** Today's peak rate from the history window (see header). */
export function peakBasis(points: readonly UsagePoint[], granularity: UsageGranularity, from: Date, to: Date): PeakBasis {
  const peaks = dailyPeaks(points, granularity, from, to);
  const p90 = nearestRank(peaks, 0.9);
  const inWindow = points.filter((p) => p.start.getTime() >= from.getTime() && dayIndex(p.start) <= dayIndex(to));
  return {
    granularity,
    days: peaks.length,
    p90PeriodTokens: p90,
    peakTokensPerMinute: ceilDiv(p90, BigInt(MINUTES[granularity])),
    historyTokens: inWindow.reduce((s, p) => s + p.tokens, 0n),
  };
}

export type Reservation = { contractId: string; reference: string; windowStart: Date; windowEnd: Date; reservedTokensPerMinute: bigint };

/** Reserved throughput held on every day of the month (the least daily sum), and the contracts reserving in it. */
export function reservedInMonth(reservations: readonly Reservation[], month: string) {
  const days = daysOfMonth(month);
  let least: bigint | null = null;
  for (const d of days) {
    const t = d.getTime();
    const sum = reservations.filter((r) => r.windowStart.getTime() <= t && r.windowEnd.getTime() >= t).reduce((s, r) => s + r.reservedTokensPerMinute, 0n);
    least = least === null || sum < least ? sum : least;
  }
  const first = days[0].getTime();
  const last = days.at(-1)!.getTime();
  const contracts = reservations
    .filter((r) => r.windowStart.getTime() <= last && r.windowEnd.getTime() >= first)
    .map((r) => ({ contractId: r.contractId, reference: r.reference, reservedTokensPerMinute: r.reservedTokensPerMinute, wholeMonth: r.windowStart.getTime() <= first && r.windowEnd.getTime() >= last }));
  return { reservedTokensPerMinute: least ?? 0n, contracts };
}

export type MonthForecast = { tokens: bigint; days: number };

export type CapacityStatus = "SHORT" | "COVERED" | "UNRESERVED" | "NO_DEMAND" | "NO_HISTORY";

export type CapacityMonth = {
  month: string;
  /** forecast average daily tokens ÷ history average daily tokens; null when no forecast covers the month (held flat) */
  growth: Decimal | null;
  forecastPeakTokensPerMinute: bigint | null;
  reservedTokensPerMinute: bigint;
  /** forecast peak − reserved when positive, else 0 */
  shortfallTokensPerMinute: bigint;
  status: CapacityStatus;
  contracts: ReturnType<typeof reservedInMonth>["contracts"];
};

export type CapacityClassInput = {
  classId: string;
  name: string;
  /** null when the class has no usage history in the window */
  granularity: UsageGranularity | null;
  points: readonly UsagePoint[];
  historyFrom: Date;
  historyTo: Date;
  /** forecast P50 tokens and days covered per month; a month missing or with 0 days is not covered */
  forecast: ReadonlyMap<string, MonthForecast>;
  reservations: readonly Reservation[];
};

/**
 * Forecast peak vs reserved throughput for each month. Status: NO_HISTORY (no usage to measure), NO_DEMAND (peak
 * 0), UNRESERVED (no contract reserves any day of the month: usage runs on the provider's shared capacity, a choice
 * rather than a breach), SHORT (reserved below the forecast peak on some day of the month — a reservation ending
 * mid-month included), COVERED.
 */
export function capacityCoverage(c: CapacityClassInput, months: readonly string[]) {
  const basis = c.granularity ? peakBasis(c.points, c.granularity, c.historyFrom, c.historyTo) : null;
  const out: CapacityMonth[] = months.map((month) => {
    const reserved = reservedInMonth(c.reservations, month);
    const f = c.forecast.get(month);
    let growth: Decimal | null = null;
    let peak: bigint | null = null;
    if (basis) {
      if (f && f.days > 0 && basis.historyTokens > 0n) {
        // (f.tokens / f.days) / (historyTokens / days)
        growth = new Decimal(f.tokens.toString()).mul(basis.days).div(new Decimal(basis.historyTokens.toString()).mul(f.days));
        peak = BigInt(new Decimal(basis.p90PeriodTokens.toString()).mul(growth).div(MINUTES[basis.granularity]).ceil().toFixed(0));
      } else peak = basis.peakTokensPerMinute;
    }
    const status: CapacityStatus = peak === null ? "NO_HISTORY" : peak === 0n ? "NO_DEMAND" : !reserved.contracts.length ? "UNRESERVED" : reserved.reservedTokensPerMinute < peak ? "SHORT" : "COVERED";
    return {
      month,
      growth,
      forecastPeakTokensPerMinute: peak,
      reservedTokensPerMinute: reserved.reservedTokensPerMinute,
      shortfallTokensPerMinute: peak !== null && peak > reserved.reservedTokensPerMinute ? peak - reserved.reservedTokensPerMinute : 0n,
      status,
      contracts: reserved.contracts,
    };
  });
  return { classId: c.classId, name: c.name, basis, months: out };
}
export type CapacityClass = ReturnType<typeof capacityCoverage>;

export type DeliveryContract = { contractId: string; reference: string; bookedAt: Date; windowStart: Date; windowEnd: Date; reservedTokensPerMinute: bigint };
export type DeliveryMonth = { month: string; days: number; reservedTokens: bigint; deliveredTokens: bigint; unusedTokens: bigint; utilisationPct: Decimal | null };

/**
 * Delivered vs reserved volume per contract and month, over the window days before `before` (see header).
 * `usageByDay` holds the class's tokens per UTC day.
 */
export function deliveredVsReserved(contracts: readonly DeliveryContract[], usageByDay: ReadonlyMap<string, bigint>, before: Date): Map<string, DeliveryMonth[]> {
  const order = [...contracts].sort((a, b) => a.bookedAt.getTime() - b.bookedAt.getTime() || (a.reference < b.reference ? -1 : 1));
  const out = new Map<string, Map<string, DeliveryMonth>>(order.map((c) => [c.contractId, new Map()]));
  if (!order.length) return new Map();
  const start = Math.min(...order.map((c) => c.windowStart.getTime()));
  const end = Math.min(Math.max(...order.map((c) => c.windowEnd.getTime())), before.getTime() - DAY_MS);
  for (let t = start; t <= end; t += DAY_MS) {
    const day = new Date(t);
    let left = usageByDay.get(day.toISOString().slice(0, 10)) ?? 0n;
    for (const c of order) {
      if (c.windowStart.getTime() > t || c.windowEnd.getTime() < t) continue;
      const reserved = c.reservedTokensPerMinute * BigInt(MINUTES_PER_DAY);
      const used = left < reserved ? left : reserved;
      left -= used;
      const months = out.get(c.contractId)!;
      const m = months.get(monthOf(day)) ?? { month: monthOf(day), days: 0, reservedTokens: 0n, deliveredTokens: 0n, unusedTokens: 0n, utilisationPct: null };
      m.days += 1;
      m.reservedTokens += reserved;
      m.deliveredTokens += used;
      m.unusedTokens = m.reservedTokens - m.deliveredTokens;
      m.utilisationPct = m.reservedTokens > 0n ? new Decimal(m.deliveredTokens.toString()).mul(100).div(m.reservedTokens.toString()) : null;
      months.set(m.month, m);
    }
  }
  return new Map([...out].map(([id, months]) => [id, [...months.values()]]));
}

export type CreditTier =
  | { metric: "UPTIME"; belowPct: string; creditPct: string }
  | { metric: "LATENCY_P95"; aboveMs: number; creditPct: string }
  | { metric: "THROUGHPUT"; belowPctOfReserved: string; creditPct: string };
export type CreditRule = { tiers: readonly CreditTier[]; monthlyCapPct: string };
export type MonthService = { uptimePct?: Decimal.Value | null; latencyP95Ms?: number | null; throughputPctOfReserved?: Decimal.Value | null };

/**
 * The credit a month earns under a service-credit rule: per metric the deepest tier breached applies (uptime
 * strictly below, latency strictly above, throughput delivered strictly below its % of the reservation); the
 * metrics add up; the total is capped at monthlyCapPct. A metric not measured (null) earns nothing.
 */
export function serviceCreditPct(rule: CreditRule, m: MonthService): { creditPct: Decimal; breached: CreditTier[] } {
  const breached: CreditTier[] = [];
  const deepest = <T extends CreditTier>(tiers: T[], hit: (t: T) => boolean, depth: (t: T) => Decimal) => {
    const hits = tiers.filter(hit).sort((a, b) => depth(b).comparedTo(depth(a)));
    if (hits.length) breached.push(hits[0]);
  };
  const tiers = rule.tiers;
  if (m.uptimePct != null) {
    const u = new Decimal(m.uptimePct);
    deepest(tiers.filter((t) => t.metric === "UPTIME"), (t) => u.lt(t.belowPct), (t) => new Decimal(100).sub(t.belowPct));
  }
  if (m.latencyP95Ms != null) {
    const l = m.latencyP95Ms;
    deepest(tiers.filter((t) => t.metric === "LATENCY_P95"), (t) => l > t.aboveMs, (t) => new Decimal(t.aboveMs));
  }
  if (m.throughputPctOfReserved != null) {
    const x = new Decimal(m.throughputPctOfReserved);
    deepest(tiers.filter((t) => t.metric === "THROUGHPUT"), (t) => x.lt(t.belowPctOfReserved), (t) => new Decimal(100).sub(t.belowPctOfReserved));
  }
  const total = breached.reduce((s, t) => s.add(t.creditPct), new Decimal(0));
  return { creditPct: Decimal.min(total, new Decimal(rule.monthlyCapPct)), breached };
}

/** A credit rule in words, for pages and exports. */
export function creditRuleText(rule: CreditRule): string {
  const tier = (t: CreditTier) =>
    t.metric === "UPTIME" ? `uptime below ${t.belowPct}%: ${t.creditPct}%` : t.metric === "LATENCY_P95" ? `p95 latency above ${t.aboveMs} ms: ${t.creditPct}%` : `throughput below ${t.belowPctOfReserved}% of reserved: ${t.creditPct}%`;
  return `${rule.tiers.map(tier).join("; ")} of the month's contract value (deepest tier per metric; capped at ${rule.monthlyCapPct}% a month)`;
}
