/**
 * Every pricing rule of the product, pure. Services load prices and curves for an explicit as-of date and
 * pass them in; nothing here reads a database.
 *
 * - List cost of usage: input tokens that were not cached at the input rate, cached input tokens at the
 *   cached-input rate when the catalog lists one (else the input rate), output tokens at the output rate —
 *   all at the price version in force on the usage day (effective-dated: the latest version whose
 *   effectiveFrom is on or before the day).
 * - Cost of a forecast at a curve: a month's P50 tokens (input + output, the class unit) × that month's
 *   curve price per 1M tokens (the spot for the as-of month, the forward point for later months).
 *
 * The usage explorer aggregates the same list-cost rule in SQL numeric for speed (lib/services/usage.ts);
 * tests/pricing-sql.test.ts holds the two equal.
 */
import Decimal from "decimal.js";
import { costUsd, dec, type DecimalLike, ZERO } from "./money";

export type PriceVersion = {
  effectiveFrom: Date;
  inputUsdPerMTokens: DecimalLike;
  outputUsdPerMTokens: DecimalLike;
  cachedInputUsdPerMTokens?: DecimalLike | null;
};

export type TokenUsage = { inputTokens: bigint; cachedInputTokens: bigint; outputTokens: bigint };

/** The price version in force on `day` (versions in any order), or null before the first one. */
export function priceInForce<P extends PriceVersion>(versions: readonly P[], day: Date): P | null {
  let best: P | null = null;
  for (const v of versions) {
    if (v.effectiveFrom.getTime() <= day.getTime() && (!best || v.effectiveFrom.getTime() > best.effectiveFrom.getTime())) best = v;
  }
  return best;
}

/** List cost in USD of one usage record at one price version (exact; round only to show or store). */
export function listCostUsd(u: TokenUsage, p: PriceVersion): Decimal {
  if (u.cachedInputTokens > u.inputTokens) throw new RangeError("cached input tokens exceed input tokens");
  const cachedRate = p.cachedInputUsdPerMTokens ?? p.inputUsdPerMTokens;
  return costUsd(u.inputTokens - u.cachedInputTokens, p.inputUsdPerMTokens)
    .add(costUsd(u.cachedInputTokens, cachedRate))
    .add(costUsd(u.outputTokens, p.outputUsdPerMTokens));
}

/** List cost of a usage day at the catalog as it stood that day; null when no price was in force yet. */
export function listCostOnDay(u: TokenUsage, versions: readonly PriceVersion[], day: Date): Decimal | null {
  const p = priceInForce(versions, day);
  return p ? listCostUsd(u, p) : null;
}

/** Month (YYYY-MM) → price per 1M tokens of one class, as of one curve date. */
export type CurvePrices = ReadonlyMap<string, Decimal>;

/**
 * Cost of monthly token quantities of one class at a curve: Σ tokens × price / 1e6 per month. Months the curve
 * does not cover are returned separately rather than priced at zero.
 */
export function costAtCurve(monthlyTokens: ReadonlyMap<string, bigint>, curve: CurvePrices): { byMonth: Map<string, Decimal>; uncovered: string[] } {
  const byMonth = new Map<string, Decimal>();
  const uncovered: string[] = [];
  for (const [month, t] of monthlyTokens) {
    const price = curve.get(month);
    if (!price) uncovered.push(month);
    else byMonth.set(month, costUsd(t, price));
  }
  return { byMonth, uncovered };
}

/** Adds several classes' monthly costs into one month → USD map. */
export function addMonthly(into: Map<string, Decimal>, more: ReadonlyMap<string, Decimal>): Map<string, Decimal> {
  for (const [m, v] of more) into.set(m, (into.get(m) ?? ZERO).add(v));
  return into;
}

/** Blended price per 1M tokens a cost represents (USD × 1e6 / tokens). */
export const blendedPrice = (usd: DecimalLike, tokensTotal: bigint): Decimal | null =>
  tokensTotal === 0n ? null : dec(usd).mul(1_000_000).div(tokensTotal.toString());
