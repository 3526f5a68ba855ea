/**
 * Money and quantity conventions, in one place.
 *
 * - Money is decimal.js in code and Decimal(20,6) in PostgreSQL; over JSON it travels as a string.
 * - Prices are USD per 1M tokens of a model class (input + output).
 * - Token quantities are integers: bigint where they are stored or summed exactly.
 */
import Decimal from "decimal.js";

export { Decimal };

/** Money is stored with 6 decimals (Decimal(20,6)); rounding is half-even to avoid drift in sums. */
export const MONEY_DP = 6;
export const TOKENS_PER_PRICE_UNIT = new Decimal(1_000_000);
export const ZERO = new Decimal(0);

export type DecimalLike = Decimal | string | number | bigint;

export const dec = (v: DecimalLike): Decimal => (v instanceof Decimal ? v : new Decimal(typeof v === "bigint" ? v.toString() : v));

/** Cost in USD of `tokens` at `pricePerMTokens` USD per 1M tokens (exact; round only when storing or showing). */
export const costUsd = (tokens: DecimalLike, pricePerMTokens: DecimalLike): Decimal =>
  dec(tokens).mul(dec(pricePerMTokens)).div(TOKENS_PER_PRICE_UNIT);

/** Price per 1M tokens that `usd` buys for `tokens` (null when there are no tokens). */
export const pricePerMTokens = (usd: DecimalLike, tokens: DecimalLike): Decimal | null => {
  const t = dec(tokens);
  return t.isZero() ? null : dec(usd).mul(TOKENS_PER_PRICE_UNIT).div(t);
};

export const sumDecimals = (xs: Iterable<DecimalLike>): Decimal => {
  let s = ZERO;
  for (const x of xs) s = s.add(dec(x));
  return s;
};

/** Rounded to the stored 6 decimals, as a string for JSON and Prisma. */
export const moneyString = (v: DecimalLike, dp = MONEY_DP): string => dec(v).toDecimalPlaces(dp, Decimal.ROUND_HALF_EVEN).toFixed(dp);

/** True when v has more decimals than money is stored with (so callers can say so instead of rounding silently). */
export const exceedsMoneyPrecision = (v: DecimalLike, dp = MONEY_DP): boolean => dec(v).decimalPlaces() > dp;

export const sumBigInts = (xs: Iterable<bigint | number | string>): bigint => {
  let s = 0n;
  for (const x of xs) s += BigInt(x);
  return s;
};

/** Tokens as a bigint from a Prisma BigInt, a numeric string or an integral number. */
export const tokens = (v: bigint | number | string): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new RangeError(`token quantity ${v} is not a safe integer`);
    return BigInt(v);
  }
  return BigInt(v);
};

/** Percentage a/b × 100 as Decimal (null when b is zero). */
export const pct = (a: DecimalLike, b: DecimalLike): Decimal | null => {
  const d = dec(b);
  return d.isZero() ? null : dec(a).mul(100).div(d);
};
