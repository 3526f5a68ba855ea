/**
 * Hedge effectiveness of a forward designated as a cash-flow hedge of a class's forecast usage (ASC 815 / IFRS 9
 * practice): pure, deterministic, decimal money.
 *
 * The hedged item is the cost of the class's usage over the contract's window, up to the contracted quantity of
 * each month; the risk hedged is the price of that usage. The baseline of both sides is the forward F0 of each
 * month on the designation day (a hypothetical at-market forward), so a strike away from the market at designation
 * is not ineffectiveness by itself.
 *
 * - Prospective (critical terms, at designation): every hedged month's quantity is within the forecast P50
 *   usage of the class for that month's window days, and the forecast covers the month. Underlying (the class)
 *   and timing (calendar months of the window) match by construction of the hedged item.
 * - Retrospective (dollar offset, per settled month). With q the month's contracted tokens, u the class's usage
 *   over the month's window days, h = min(u, q) the usage actually hedged, I the contract's index average for
 *   the month (its settlement price) and P the realised price of the usage (USD per 1M tokens):
 *     contract change      ΔC = (I − F0) × q / 1e6      (gain to the holder when prices rose)
 *     hedged cost change   ΔH = (P − F0) × h / 1e6      (extra cost of the usage when prices rose)
 *     ratio                ΔC / ΔH, effective within 80%–125% inclusive.
 *   When ΔH = 0 the ratio is undefined: effective only when ΔC = 0 too (nothing moved). Realised price and index
 *   are undiscounted on both sides: a settled month is paid, so time value does not enter.
 * - Sources of ineffectiveness: ΔC − ΔH = (I − F0) × (q − h) / 1e6 + (I − P) × h / 1e6, i.e. a volume shortfall
 *   (usage below the contracted quantity) plus basis between the contract's index and the realised price; the
 *   basis part is attributed to drift substitution in a month where a new model version of the class took effect.
 * - Cumulative (IFRS 9 "lower of"): the cash-flow hedge reserve holds the smaller in absolute terms of the
 *   cumulative ΔC and the cumulative ΔH when they offset (same sign), nothing when they do not; the rest of the
 *   cumulative ΔC is ineffectiveness recognised in profit or loss.
 */
import Decimal from "decimal.js";
import { MONEY_DP, TOKENS_PER_PRICE_UNIT, moneyString, type DecimalLike } from "./money";

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const d40 = (v: DecimalLike): Decimal => new D(typeof v === "bigint" ? v.toString() : v);

export const EFFECTIVE_MIN = new Decimal("0.8");
export const EFFECTIVE_MAX = new Decimal("1.25");

export type ProspectiveMonth = {
  /** YYYY-MM */
  month: string;
  hedgedTokens: bigint;
  /** Forecast P50 tokens of the class over the month's window days; null when no forecast covers the month. */
  forecastP50Tokens: bigint | null;
};

export type ProspectiveCriterion = { criterion: "UNDERLYING" | "TIMING" | "NOTIONAL"; passed: boolean; reason: string };
export type ProspectiveResult = { method: "CRITICAL_TERMS"; passed: boolean; criteria: ProspectiveCriterion[] };

/** Critical-terms match at designation (see header). */
export function prospectiveTest(modelClass: string, months: readonly ProspectiveMonth[]): ProspectiveResult {
  const uncovered = months.filter((m) => m.forecastP50Tokens === null).map((m) => m.month);
  const over = months.filter((m) => m.forecastP50Tokens !== null && m.hedgedTokens > m.forecastP50Tokens);
  const criteria: ProspectiveCriterion[] = [
    { criterion: "UNDERLYING", passed: true, reason: `The contract settles on the ${modelClass} index, the price of the hedged usage of ${modelClass}` },
    months.length === 0
      ? { criterion: "TIMING", passed: false, reason: "No month of the window is left to hedge" }
      : uncovered.length
        ? { criterion: "TIMING", passed: false, reason: `No forecast usage for ${uncovered.join(", ")}: the forecast transaction is not documented for those months` }
        : { criterion: "TIMING", passed: true, reason: `Monthly settlement periods ${months[0].month} to ${months.at(-1)!.month} coincide with the forecast usage months` },
    over.length
      ? { criterion: "NOTIONAL", passed: false, reason: `Contracted quantity above forecast P50 usage in ${over.map((m) => `${m.month} (${m.hedgedTokens} > ${m.forecastP50Tokens})`).join(", ")}: the excess is not highly probable` }
      : { criterion: "NOTIONAL", passed: uncovered.length === 0 && months.length > 0, reason: uncovered.length || !months.length ? "Cannot be compared without a forecast for every month" : "Contracted quantity is within forecast P50 usage in every month" },
  ];
  return { method: "CRITICAL_TERMS", passed: criteria.every((c) => c.passed), criteria };
}

export type RetrospectiveMonth = {
  /** YYYY-MM */
  month: string;
  /** Contracted tokens of the month (q). */
  hedgedTokens: bigint;
  /** F0: the month's forward on the designation day, USD per 1M tokens. */
  forwardAtDesignation: DecimalLike;
  /** I: the contract's index average for the month (its settlement price), USD per 1M tokens. */
  indexPrice: DecimalLike;
  /** u: the class's usage over the month's window days. */
  usageTokens: bigint;
  /** P: realised cost per 1M tokens of that usage; null when there was no usage. */
  realisedPrice: DecimalLike | null;
  /** A model substitution (new model version of the class) that took effect in the month, described; else null. */
  drift: string | null;
};

export type IneffectivenessCause = "VOLUME_SHORTFALL" | "BASIS" | "DRIFT_SUBSTITUTION";
export type IneffectivenessSource = { cause: IneffectivenessCause; amountUsd: Decimal; detail: string };

export type MonthEffectiveness = {
  month: string;
  hedgedTokens: bigint;
  usageTokens: bigint;
  /** h = min(u, q) */
  hedgedUsageTokens: bigint;
  forwardAtDesignation: Decimal;
  indexPrice: Decimal;
  realisedPrice: Decimal | null;
  /** ΔC, full precision */
  contractChangeUsd: Decimal;
  /** ΔH, full precision */
  hedgedItemChangeUsd: Decimal;
  /** ΔC / ΔH; null when ΔH = 0 */
  ratio: Decimal | null;
  effective: boolean;
  /** ΔC − ΔH, split by cause (non-zero parts only, largest first) */
  sources: IneffectivenessSource[];
  /** Why the month failed, in words; null when effective. */
  explanation: string | null;
  cumulative: {
    contractChangeUsd: Decimal;
    hedgedItemChangeUsd: Decimal;
    ratio: Decimal | null;
    effective: boolean;
    /** cash-flow hedge reserve (lower of) */
    reserveUsd: Decimal;
    /** cumulative ΔC − reserve: recognised in profit or loss */
    ineffectivenessUsd: Decimal;
  };
};

const inBand = (r: Decimal) => r.gte(EFFECTIVE_MIN) && r.lte(EFFECTIVE_MAX);
const usd = (v: Decimal) => moneyString(v, 2);
const pctText = (r: Decimal) => `${r.mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toFixed(1)}%`;

/** Dollar-offset judgement on a pair of changes: ratio (null when ΔH = 0) and whether it is in 80–125%. */
function offset(dc: Decimal, dh: Decimal): { ratio: Decimal | null; effective: boolean } {
  if (dh.isZero()) return { ratio: null, effective: dc.isZero() };
  const ratio = dc.div(dh);
  return { ratio, effective: inBand(ratio) };
}

/** IFRS 9 lower-of test on cumulative changes: the reserve, and the ineffectiveness left in profit or loss. */
export function lowerOf(cumContract: Decimal, cumItem: Decimal): { reserveUsd: Decimal; ineffectivenessUsd: Decimal } {
  const offsetting = !cumContract.isZero() && !cumItem.isZero() && cumContract.isNeg() === cumItem.isNeg();
  const reserve = offsetting ? (cumContract.abs().lte(cumItem.abs()) ? cumContract : cumItem) : d40(0);
  return { reserveUsd: reserve, ineffectivenessUsd: cumContract.sub(reserve) };
}

/** The monthly retrospective dollar-offset table, in month order, with cumulative columns (see header). */
export function retrospectiveTest(months: readonly RetrospectiveMonth[]): MonthEffectiveness[] {
  let cumC = d40(0);
  let cumH = d40(0);
  return [...months]
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map((m) => {
      const q = m.hedgedTokens;
      const h = m.usageTokens < q ? m.usageTokens : q;
      const f0 = d40(m.forwardAtDesignation);
      const idx = d40(m.indexPrice);
      const realised = m.realisedPrice === null ? null : d40(m.realisedPrice);
      const dc = idx.sub(f0).mul(d40(q)).div(TOKENS_PER_PRICE_UNIT);
      const dh = h === 0n || realised === null ? d40(0) : realised.sub(f0).mul(d40(h)).div(TOKENS_PER_PRICE_UNIT);
      const { ratio, effective } = offset(dc, dh);

      const sources: IneffectivenessSource[] = [];
      const volume = idx.sub(f0).mul(d40(q - h)).div(TOKENS_PER_PRICE_UNIT);
      if (!volume.isZero())
        sources.push({ cause: "VOLUME_SHORTFALL", amountUsd: volume, detail: `usage ${m.usageTokens} tokens against ${q} contracted: ${q - h} tokens hedged no usage` });
      if (realised !== null && h > 0n) {
        const basis = idx.sub(realised).mul(d40(h)).div(TOKENS_PER_PRICE_UNIT);
        if (!basis.isZero()) {
          const prices = `contract index ${moneyString(idx)} vs realised price ${moneyString(realised)} USD per 1M tokens`;
          sources.push(m.drift ? { cause: "DRIFT_SUBSTITUTION", amountUsd: basis, detail: `${m.drift}: ${prices}` } : { cause: "BASIS", amountUsd: basis, detail: prices });
        }
      }
      sources.sort((a, b) => b.amountUsd.abs().comparedTo(a.amountUsd.abs()));

      let explanation: string | null = null;
      if (!effective) {
        const head =
          ratio === null
            ? `Hedged cost did not change while the contract moved ${usd(dc)} USD`
            : `Dollar offset ${pctText(ratio)} is outside 80%–125% (contract ${usd(dc)} USD vs hedged cost ${usd(dh)} USD)`;
        const why = sources.map((s) => `${CAUSE_TEXT[s.cause]} ${usd(s.amountUsd)} USD (${s.detail})`);
        explanation = why.length ? `${head}: ${why.join("; ")}` : head;
      }

      cumC = cumC.add(dc);
      cumH = cumH.add(dh);
      const cum = offset(cumC, cumH);
      return {
        month: m.month,
        hedgedTokens: q,
        usageTokens: m.usageTokens,
        hedgedUsageTokens: h,
        forwardAtDesignation: f0,
        indexPrice: idx,
        realisedPrice: realised,
        contractChangeUsd: dc,
        hedgedItemChangeUsd: dh,
        ratio,
        effective,
        sources,
        explanation,
        cumulative: { contractChangeUsd: cumC, hedgedItemChangeUsd: cumH, ratio: cum.ratio, effective: cum.effective, ...lowerOf(cumC, cumH) },
      };
    });
}

export const CAUSE_TEXT: Record<IneffectivenessCause, string> = {
  VOLUME_SHORTFALL: "volume shortfall",
  BASIS: "basis between contract index and realised price",
  DRIFT_SUBSTITUTION: "drift substitution",
};

/** A ratio as a percentage string with 2 decimals (half-even), or null. */
export const ratioPct = (r: Decimal | null): string | null => (r === null ? null : moneyString(r.mul(100), 2));

/** A MonthEffectiveness as shown (JSON / pages): money to 6 decimals, ratios as percentages. */
export function effectivenessRow(m: MonthEffectiveness) {
  return {
    month: m.month,
    hedgedTokens: m.hedgedTokens.toString(),
    usageTokens: m.usageTokens.toString(),
    hedgedUsageTokens: m.hedgedUsageTokens.toString(),
    forwardAtDesignationUsdPerMTokens: moneyString(m.forwardAtDesignation),
    indexPriceUsdPerMTokens: moneyString(m.indexPrice),
    realisedPriceUsdPerMTokens: m.realisedPrice === null ? null : moneyString(m.realisedPrice),
    contractChangeUsd: moneyString(m.contractChangeUsd, MONEY_DP),
    hedgedItemChangeUsd: moneyString(m.hedgedItemChangeUsd, MONEY_DP),
    ratioPct: ratioPct(m.ratio),
    effective: m.effective,
    sources: m.sources.map((s) => ({ cause: s.cause, amountUsd: moneyString(s.amountUsd), detail: s.detail })),
    explanation: m.explanation,
    cumulative: {
      contractChangeUsd: moneyString(m.cumulative.contractChangeUsd),
      hedgedItemChangeUsd: moneyString(m.cumulative.hedgedItemChangeUsd),
      ratioPct: ratioPct(m.cumulative.ratio),
      effective: m.cumulative.effective,
      reserveUsd: moneyString(m.cumulative.reserveUsd),
      ineffectivenessUsd: moneyString(m.cumulative.ineffectivenessUsd),
    },
  };
}
export type EffectivenessRow = ReturnType<typeof effectivenessRow>;
