import Decimal from "decimal.js";
import { DAY_MS } from "./time";

export type DailyTotals = {
  seriesId: number;
  /** midnight UTC */
  day: Date;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
  /** sum of the rows' reported cost; null when no row reported one */
  costUsd: Decimal | null;
  rows: number;
  /** rows that reported a cost */
  costRows: number;
};

/**
 * Daily totals per series of the usage rows an import writes, accumulated while the file streams so the
 * database does not re-read the rows. Token sums stay exact doubles up to 2^53; `exact` turns false if a sum
 * ever goes past that, and the caller then totals in SQL instead.
 */
export class DailyRollup {
  private readonly days = new Map<number, DailyTotals>();
  exact = true;

  add(seriesId: number, periodMs: number, input: number, output: number, cached: number, requests: number, costUsd: string | null) {
    const day = Math.floor(periodMs / DAY_MS);
    const key = seriesId * 65_536 + day;
    let t = this.days.get(key);
    if (!t) {
      t = { seriesId, day: new Date(day * DAY_MS), inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, requests: 0, costUsd: null, rows: 0, costRows: 0 };
      this.days.set(key, t);
    }
    t.inputTokens += input;
    t.outputTokens += output;
    t.cachedInputTokens += cached;
    t.requests += requests;
    t.rows++;
    if (costUsd !== null) {
      t.costUsd = t.costUsd ? t.costUsd.plus(costUsd) : new Decimal(costUsd);
      t.costRows++;
    }
    if (t.inputTokens > Number.MAX_SAFE_INTEGER || t.outputTokens > Number.MAX_SAFE_INTEGER || t.cachedInputTokens > Number.MAX_SAFE_INTEGER || t.requests > Number.MAX_SAFE_INTEGER)
      this.exact = false;
  }

  get size() {
    return this.days.size;
  }

  values(): IterableIterator<DailyTotals> {
    return this.days.values();
  }
}
