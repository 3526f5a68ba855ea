/**
 * Hedge coverage: contracted quantity against forecast demand and the hedge policy's band, per model class ×
 * delivery month. Pure: plain values in, plain values out.
 *
 * - Tenor. Months after the as-of month: the as-of month is tenor 0, the next month tenor 1 — as the policy bands
 *   and the hedge simulation count (lib/domain/hedge.ts). The grid shows tenors 1..N.
 * - Contracted. Each contract's quantity is split over the calendar months of its window exactly as marks and
 *   settlements split it (valuation.periodsOf: by days, largest remainder, integer tokens that sum to the
 *   quantity). Booked and delivering contracts are contracted; contracts waiting for approval are counted apart
 *   (`pendingTokens`) and are not part of the coverage.
 * - Coverage % = contracted / P50 × 100, also shown against P10 and P90 (how covered the month is if demand comes
 *   in low or high). Exact decimals; rounded only when shown.
 * - Band. The policy band whose fromMonth..toMonth holds the tenor, if the tenor is within the policy's maximum
 *   tenor. minTokens = P50 × minPct / 100, maxTokens = P50 × maxPct / 100 (exact decimals).
 * - Status. "under" when coverage < band min, "over" when > band max, "within" otherwise (both ends inclusive).
 *   Without a band for the tenor: "outsideTenor". Without a forecast for the month: "noForecast". With P50 = 0:
 *   "over" when anything is contracted (every contracted token is over-hedged), else "noDemand".
 * - Gap. Under: tokens still to contract to reach the band minimum, ⌈minTokens⌉ − contracted. Over: tokens above
 *   the band maximum, contracted − ⌊maxTokens⌋. Zero otherwise.
 */
import Decimal from "decimal.js";
import { periodsOf } from "./valuation";

export type Band = { fromMonth: number; toMonth: number; minPct: number | string; maxPct: number | string };
export type MonthDemand = { p10: bigint; p50: bigint; p90: bigint };
export type CoverageStatus = "under" | "within" | "over" | "noDemand" | "noForecast" | "outsideTenor";

export type CoverageContract = {
  id: string;
  modelClass: string;
  quantityTokens: bigint;
  windowStart: Date;
  windowEnd: Date;
  /** booked or delivering ("contracted"), or waiting for approval ("pending"); others are left out by the caller */
  state: "contracted" | "pending";
};

export type CoverageClass = {
  key: string;
  bands: readonly Band[];
  maxTenorMonths: number;
  /** month (YYYY-MM) → monthly demand quantiles, tokens; months without a forecast are absent */
  demand: ReadonlyMap<string, MonthDemand>;
};

export type CoverageCell = {
  classKey: string;
  month: string;
  tenor: number;
  demand: MonthDemand | null;
  contractedTokens: bigint;
  pendingTokens: bigint;
  /** contracted / P50 × 100; null without a forecast or with P50 = 0 */
  coveragePct: Decimal | null;
  coverageAtP10Pct: Decimal | null;
  coverageAtP90Pct: Decimal | null;
  band: { minPct: Decimal; maxPct: Decimal; minTokens: Decimal | null; maxTokens: Decimal | null } | null;
  status: CoverageStatus;
  /** under: tokens to reach the band minimum; over: tokens above the band maximum; else 0 */
  gapTokens: bigint;
};

export type CoverageTotal = { classKey: string; p50Tokens: bigint; contractedTokens: bigint; pendingTokens: bigint; coveragePct: Decimal | null; under: number; over: number };

const HUNDRED = new Decimal(100);

/** "YYYY-MM" n months after `month`. */
export function monthPlus(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The policy band for a tenor (1 = the month after as-of), or null beyond the maximum tenor or outside every band. */
export function bandFor(bands: readonly Band[], maxTenorMonths: number, tenor: number): { minPct: Decimal; maxPct: Decimal } | null {
  if (tenor < 1 || tenor > maxTenorMonths) return null;
  const b = bands.find((x) => x.fromMonth <= tenor && tenor <= x.toMonth);
  return b ? { minPct: new Decimal(b.minPct), maxPct: new Decimal(b.maxPct) } : null;
}

/** Contracted and pending tokens per class and month: key `${classKey}|${month}`. */
export function allocateContracts(contracts: readonly CoverageContract[]): Map<string, { contracted: bigint; pending: bigint }> {
  const out = new Map<string, { contracted: bigint; pending: bigint }>();
  for (const c of contracts) {
    // the strike plays no part in the split; periodsOf validates the rest of the contract
    const periods = periodsOf({ id: c.id, modelClass: c.modelClass, quantityTokens: c.quantityTokens, windowStart: c.windowStart, windowEnd: c.windowEnd, strikePerMTokens: new Decimal(1) });
    for (const p of periods) {
      const key = `${c.modelClass}|${p.month}`;
      const cur = out.get(key) ?? { contracted: 0n, pending: 0n };
      if (c.state === "contracted") cur.contracted += p.quantityTokens;
      else cur.pending += p.quantityTokens;
      out.set(key, cur);
    }
  }
  return out;
}

const ceilBig = (d: Decimal) => BigInt(d.ceil().toFixed(0));
const floorBig = (d: Decimal) => BigInt(d.floor().toFixed(0));
const ratioPct = (a: bigint, b: bigint): Decimal | null => (b === 0n ? null : new Decimal(a.toString()).mul(HUNDRED).div(b.toString()));

/** One cell of the grid (see the header for the rules). */
export function coverageCell(input: {
  classKey: string;
  month: string;
  tenor: number;
  demand: MonthDemand | null;
  contractedTokens: bigint;
  pendingTokens: bigint;
  band: { minPct: Decimal; maxPct: Decimal } | null;
}): CoverageCell {
  const { demand, contractedTokens: q, band } = input;
  const coveragePct = demand ? ratioPct(q, demand.p50) : null;
  const p50 = demand ? new Decimal(demand.p50.toString()) : null;
  const minTokens = band && p50 ? p50.mul(band.minPct).div(HUNDRED) : null;
  const maxTokens = band && p50 ? p50.mul(band.maxPct).div(HUNDRED) : null;
  let status: CoverageStatus;
  let gapTokens = 0n;
  if (!band) status = "outsideTenor";
  else if (!demand) status = "noForecast";
  else if (demand.p50 === 0n) {
    status = q > 0n ? "over" : "noDemand";
    gapTokens = q;
  } else if (coveragePct!.lt(band.minPct)) {
    status = "under";
    gapTokens = ceilBig(minTokens!) - q;
  } else if (coveragePct!.gt(band.maxPct)) {
    status = "over";
    gapTokens = q - floorBig(maxTokens!);
  } else status = "within";
  return {
    classKey: input.classKey,
    month: input.month,
    tenor: input.tenor,
    demand,
    contractedTokens: q,
    pendingTokens: input.pendingTokens,
    coveragePct,
    coverageAtP10Pct: demand ? ratioPct(q, demand.p10) : null,
    coverageAtP90Pct: demand ? ratioPct(q, demand.p90) : null,
    band: band ? { ...band, minTokens, maxTokens } : null,
    status,
    gapTokens,
  };
}

/**
 * The coverage grid: every class × the `months` delivery months after `asOfMonth` (tenors 1..months), with class
 * totals over the months that have a forecast (Σ contracted / Σ P50).
 */
export function coverageGrid(input: { asOfMonth: string; months: number; classes: readonly CoverageClass[]; contracts: readonly CoverageContract[] }): { months: string[]; cells: CoverageCell[]; totals: CoverageTotal[] } {
  const alloc = allocateContracts(input.contracts);
  const months = Array.from({ length: input.months }, (_, i) => monthPlus(input.asOfMonth, i + 1));
  const cells: CoverageCell[] = [];
  const totals: CoverageTotal[] = [];
  for (const c of input.classes) {
    let p50 = 0n;
    let contracted = 0n;
    let pending = 0n;
    let under = 0;
    let over = 0;
    months.forEach((month, i) => {
      const a = alloc.get(`${c.key}|${month}`) ?? { contracted: 0n, pending: 0n };
      const cell = coverageCell({ classKey: c.key, month, tenor: i + 1, demand: c.demand.get(month) ?? null, contractedTokens: a.contracted, pendingTokens: a.pending, band: bandFor(c.bands, c.maxTenorMonths, i + 1) });
      cells.push(cell);
      if (cell.demand) {
        p50 += cell.demand.p50;
        contracted += cell.contractedTokens;
        pending += cell.pendingTokens;
      }
      if (cell.status === "under") under++;
      if (cell.status === "over") over++;
    });
    totals.push({ classKey: c.key, p50Tokens: p50, contractedTokens: contracted, pendingTokens: pending, coveragePct: ratioPct(contracted, p50), under, over });
  }
  return { months, cells, totals };
}
