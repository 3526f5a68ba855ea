import Decimal from "decimal.js";
import type { IndexJson } from "@/lib/domain/index-price";
import { fmtTokens, fmtUsd } from "@/lib/format";

const pctOf = (share: string, dp = 1) => `${new Decimal(share).mul(100).toFixed(dp)}%`;

/** One line for tables: "list, blended by your mix (64% input · 11% cached · 25% output)". */
export function indexSummary(index: IndexJson | null | undefined, basis: "LIST_INDEX" | "OBSERVED" | null | undefined): string {
  if (basis === "LIST_INDEX" && index) return `List, blended by your mix (${pctOf(index.mix.input, 0)} input · ${pctOf(index.mix.cachedInput, 0)} cached · ${pctOf(index.mix.output, 0)} output)`;
  if (basis === "OBSERVED") return "Observed spot (quotes): no usage to blend list prices";
  return "—";
}

/**
 * What the class's spot is: the list price blended by the organization's own token mix (lib/domain/index-price.ts),
 * with the mix and the models behind it, and the spot observed in quotes beside it.
 */
export function IndexDefinition(props: {
  className: string;
  spot: string | null;
  basis: "LIST_INDEX" | "OBSERVED" | null | undefined;
  index: IndexJson | null;
  indexIsLive: boolean;
  observed: { price: string | null; count: number } | null;
}) {
  const { index, basis, observed } = props;
  const basisPct = index && observed?.price ? new Decimal(observed.price).div(index.priceUsdPerMTokens).minus(1).mul(100) : null;
  return (
    <section className="panel" aria-labelledby="index-definition" style={{ marginTop: "1rem" }}>
      <h2 id="index-definition" style={{ marginTop: 0 }}>Index definition: {props.className}</h2>
      <p>
        <strong>Spot {fmtUsd(props.spot, 4)} / 1M tokens</strong>
        {basis === "LIST_INDEX" ? " = the class's list price blended by your organization's own token mix." : null}
        {basis === "OBSERVED" ? " = the weighted mean of spot observations in quotes (no usage of this class in the index window, so no list-blended index)." : null}
      </p>
      {index ? (
        <>
          <p className="muted">
            {props.indexIsLive ? "Index as of today (the stored curve predates it): " : null}
            The list cost of your usage of this class&apos;s models over {index.windowFrom} – {index.windowTo} ({index.windowDays} days, {fmtTokens(index.totalTokens)} input + output tokens), each model at its list
            price in force on {index.windowTo}, divided by those tokens: {fmtUsd(index.listCostUsd, 2)} ÷ {fmtTokens(index.totalTokens)} tokens = {fmtUsd(index.priceUsdPerMTokens, 4)} / 1M. It is the same rule spend at list
            price uses, so tokens × spot reproduces list spend for this mix; negotiated discounts are not part of it.
          </p>
          <p>
            Mix: <strong>{pctOf(index.mix.input)}</strong> uncached input · <strong>{pctOf(index.mix.cachedInput)}</strong> cached input · <strong>{pctOf(index.mix.output)}</strong> output
          </p>
          <ul>
            {index.weights.map((w) => (
              <li key={w.model}>
                {w.model}: {pctOf(w.share)} of tokens, {fmtUsd(w.blendedUsdPerMTokens, 4)} / 1M on its own mix
              </li>
            ))}
          </ul>
          {index.unpriced.length > 0 && <p className="warning">No list price in force for {index.unpriced.join(", ")}: their usage is left out of the index.</p>}
        </>
      ) : (
        <p className="muted">No usage of this class in the last 30 days with a list price in force, so its index is not defined; the spot falls back to quotes.</p>
      )}
      {observed?.price && (
        <p className="muted">
          Observed spot in quotes: {fmtUsd(observed.price, 4)} / 1M from {observed.count} observation{observed.count === 1 ? "" : "s"}
          {basisPct ? ` (${basisPct.isNeg() ? "" : "+"}${basisPct.toFixed(1)}% against the index)` : ""}.
        </p>
      )}
    </section>
  );
}
