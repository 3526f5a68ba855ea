/**
 * A model class's index price (the curve's spot): the **list price blended by the organization's own token mix**.
 *
 * Definition. For a model class and a day D:
 *
 *     index(D) = Σ_m listCost_m(D) / Σ_m (input_m + output_m) × 1,000,000          [USD per 1M tokens]
 *
 * where m runs over the class's models with usage in the trailing window (in the service: the 30 UTC days up to
 * and including D), input_m is all input tokens (cached ones included, as usage files report them), and
 * listCost_m(D) prices that window's tokens at the model's list price **in force on D**:
 *
 *     (input − cachedInput) × inputPrice + cachedInput × (cachedInputPrice, else inputPrice) + output × outputPrice
 *
 * — the same formula spend at list price uses (lib/services/usage.ts, LIST_COST). Models with usage but no list
 * price on D are left out of both sums and reported as `unpriced`.
 *
 * Why this definition. Spend is charged at list prices on the organization's own input/output/cached mix, and
 * forecasts cost tokens (input + output) at the curve. A spot defined any other way — a provider's 1:1 or 3:1
 * "blended" price, a broker's basket of models — differs from what the organization pays by the mix alone (an
 * output-heavy mix costs several times an input-heavy one at the same list prices), so "tokens × spot" would not
 * reproduce spend and a hedge struck on it would not hedge the bill. With this index, tokens × spot equals list
 * spend for the recent mix (exactly, when the mix and prices hold), and it moves when list prices move. It is
 * *list*, not realised: negotiated discounts are a contract matter, not part of the index.
 *
 * Pure and exact: tokens are bigint, money is decimal.js; round only when storing or showing.
 */
import { Decimal, dec, TOKENS_PER_PRICE_UNIT, ZERO, type DecimalLike } from "./money";

type Qty = bigint | number | string;

/** One model's tokens over the window. `input` includes the cached input tokens. */
export type TokenMix = { input: Qty; cachedInput: Qty; output: Qty };

/** List price in force, USD per 1M tokens; a null cached rate means cached input is charged at the input rate. */
export type ListPrice = { input: DecimalLike; cachedInput: DecimalLike | null; output: DecimalLike };

export type ModelUsage = { model: string; tokens: TokenMix; price: ListPrice | null };

export type IndexWeight = {
  model: string;
  /** input + output tokens of this model in the window */
  tokens: bigint;
  /** this model's share of the class's priced tokens (0..1) */
  share: Decimal;
  listCostUsd: Decimal;
  /** this model's own list cost per 1M tokens on its mix */
  blendedUsdPerMTokens: Decimal;
};

export type ListBlendedIndex = {
  priceUsdPerMTokens: Decimal;
  /** priced input + output tokens behind the index */
  totalTokens: bigint;
  listCostUsd: Decimal;
  /** the class's token mix as shares of total tokens: uncached input, cached input and output (sum to 1) */
  mix: { input: Decimal; cachedInput: Decimal; output: Decimal };
  /** per model, largest share first */
  weights: IndexWeight[];
  /** models that had usage but no list price in force */
  unpriced: string[];
};

const big = (v: Qty, what: string): bigint => {
  const b = BigInt(v);
  if (b < 0n) throw new RangeError(`${what} is negative (${b})`);
  return b;
};

function checked(t: TokenMix, model: string) {
  const input = big(t.input, `${model}: input tokens`);
  const cachedInput = big(t.cachedInput, `${model}: cached input tokens`);
  const output = big(t.output, `${model}: output tokens`);
  if (cachedInput > input) throw new RangeError(`${model}: cached input tokens (${cachedInput}) exceed input tokens (${input})`);
  return { input, cachedInput, output };
}

/** List cost in USD of one model's tokens at one list price (exact). */
export function listCostUsd(t: TokenMix, p: ListPrice, model = "model"): Decimal {
  const { input, cachedInput, output } = checked(t, model);
  const cachedRate = p.cachedInput === null ? dec(p.input) : dec(p.cachedInput);
  return dec(input - cachedInput)
    .mul(dec(p.input))
    .add(dec(cachedInput).mul(cachedRate))
    .add(dec(output).mul(dec(p.output)))
    .div(TOKENS_PER_PRICE_UNIT);
}

/** The class's list-blended index for the given per-model usage and prices in force; null when no priced tokens. */
export function listBlendedIndex(models: ModelUsage[]): ListBlendedIndex | null {
  let total = 0n;
  let uncached = 0n;
  let cached = 0n;
  let out = 0n;
  let cost = ZERO;
  const rows: { model: string; tokens: bigint; cost: Decimal }[] = [];
  const unpriced: string[] = [];
  for (const m of models) {
    const t = checked(m.tokens, m.model);
    const tokens = t.input + t.output;
    if (tokens === 0n) continue;
    if (!m.price) {
      unpriced.push(m.model);
      continue;
    }
    const c = listCostUsd(t, m.price, m.model);
    total += tokens;
    uncached += t.input - t.cachedInput;
    cached += t.cachedInput;
    out += t.output;
    cost = cost.add(c);
    rows.push({ model: m.model, tokens, cost: c });
  }
  if (total === 0n) return null;
  const T = dec(total);
  return {
    priceUsdPerMTokens: cost.mul(TOKENS_PER_PRICE_UNIT).div(T),
    totalTokens: total,
    listCostUsd: cost,
    mix: { input: dec(uncached).div(T), cachedInput: dec(cached).div(T), output: dec(out).div(T) },
    weights: rows
      .map((r) => ({ model: r.model, tokens: r.tokens, share: dec(r.tokens).div(T), listCostUsd: r.cost, blendedUsdPerMTokens: r.cost.mul(TOKENS_PER_PRICE_UNIT).div(dec(r.tokens)) }))
      .sort((a, b) => (a.tokens === b.tokens ? a.model.localeCompare(b.model) : a.tokens > b.tokens ? -1 : 1)),
    unpriced,
  };
}

/** How the index is stored with a curve (ForwardCurve.params.index) and shown: strings, rounded for display. */
export type IndexJson = {
  definition: "LIST_BLENDED_ORG_MIX";
  windowDays: number;
  windowFrom: string;
  windowTo: string;
  priceUsdPerMTokens: string;
  totalTokens: string;
  listCostUsd: string;
  mix: { input: string; cachedInput: string; output: string };
  weights: { model: string; share: string; tokens: string; blendedUsdPerMTokens: string }[];
  unpriced: string[];
};

const share = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toString();

export function indexToJson(ix: ListBlendedIndex, window: { days: number; from: string; to: string }): IndexJson {
  return {
    definition: "LIST_BLENDED_ORG_MIX",
    windowDays: window.days,
    windowFrom: window.from,
    windowTo: window.to,
    priceUsdPerMTokens: ix.priceUsdPerMTokens.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(6),
    totalTokens: ix.totalTokens.toString(),
    listCostUsd: ix.listCostUsd.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(6),
    mix: { input: share(ix.mix.input), cachedInput: share(ix.mix.cachedInput), output: share(ix.mix.output) },
    weights: ix.weights.map((w) => ({ model: w.model, share: share(w.share), tokens: w.tokens.toString(), blendedUsdPerMTokens: w.blendedUsdPerMTokens.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(6) })),
    unpriced: ix.unpriced,
  };
}
