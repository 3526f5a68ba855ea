import Decimal from "decimal.js";
import type { Allocation, AllocationBasis, Benchmark } from "@/lib/domain/chargeback";
import { fmtUsd } from "@/lib/format";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** 2026-10 → "October 2026", 2026-Q4 → "Q4 2026". */
export function periodLabel(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `Q${q[2]} ${q[1]}`;
  const [y, m] = period.split("-");
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

export const BENCHMARK_LABEL: Record<Benchmark, string> = { SPOT: "Spot benchmark", LIST: "List-price benchmark" };
export const BENCHMARK_TEXT: Record<Benchmark, string> = {
  SPOT: "each usage day at its model class's spot: the spot of the latest forward curve built on or before that day",
  LIST: "each usage day at the catalog list price in force that day",
};
export const ALLOCATION_TEXT: Record<Allocation, string> = {
  USAGE: "pro rata to each team's usage of the class in the month",
  FORECAST_AT_BOOKING: "pro rata to each team's forecast when the contract was booked",
};
export const BASIS_SHORT: Record<AllocationBasis, string> = {
  USAGE: "shared pro rata to usage",
  FORECAST_AT_BOOKING: "shared pro rata to forecasts at booking",
  ALL_USAGE: "shared pro rata to all-class spend (nobody used the class)",
  UNALLOCATED: "not allocated (no usage that month)",
};

/**
 * The verdict in words: a negative hedge effect lowered the charge. `who` is "your team" or "the organization".
 */
export function verdict(hedgeUsd: string, hedged: boolean, who: string, period: string): string {
  const h = new Decimal(hedgeUsd);
  if (!hedged && h.isZero()) return `No contract settled for ${periodLabel(period)}: the hedged charge equals the spot benchmark.`;
  if (h.isZero()) return `Hedging made no difference to ${who} in ${periodLabel(period)}.`;
  return h.isNeg() ? `Hedging saved ${who} ${fmtUsd(h.abs())} in ${periodLabel(period)}.` : `Hedging cost ${who} ${fmtUsd(h)} in ${periodLabel(period)}.`;
}

/** USD per 1M tokens, 4 decimals. */
export const fmtRate = (v: string | null) => (v === null ? "—" : `${fmtUsd(v, 4)} / 1M`);

/** A signed amount for a "difference" column: +$1.00 / −$1.00. */
export const fmtSigned = (v: string) => {
  const d = new Decimal(v);
  return d.isZero() ? fmtUsd(d) : `${d.isNeg() ? "−" : "+"}${fmtUsd(d.abs())}`;
};

/** Axis ticks: $1.6M, $450K, $900 (display only) — the one money-at-scale format. */
export { fmtUsdCompact } from "@/lib/format";
