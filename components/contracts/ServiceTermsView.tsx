import type { ServiceTerms } from "@/lib/services/hedging/contracts";
import { fmtTokens } from "@/lib/format";

const TIER_TEXT = { STANDARD: "Standard", BUSINESS: "Business", ENTERPRISE: "Enterprise", PREMIER: "Premier" } as const;

/** One-line summary of service terms for the blotter. */
export function serviceTermsSummary(t: ServiceTerms | null): string {
  if (!t) return "—";
  return [
    t.reservedTokensPerMinute && `${fmtTokens(t.reservedTokensPerMinute)}/min`,
    t.uptimeCommitmentPct && `${Number(t.uptimeCommitmentPct)}% up`,
    t.latencyP95Ms !== null && `p95 ${t.latencyP95Ms} ms`,
    t.supportTier && TIER_TEXT[t.supportTier],
    t.serviceCreditRule && `${t.serviceCreditRule.tiers.length} credit tier${t.serviceCreditRule.tiers.length > 1 ? "s" : ""}`,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The service terms of a product as a definition list. */
export function ServiceTermsView({ terms }: { terms: ServiceTerms | null }) {
  if (!terms) return <p className="muted" data-testid="service-terms">No capacity or service terms: usage runs on the provider&apos;s shared capacity at its standard service.</p>;
  return (
    <dl className="terms" data-testid="service-terms">
      <dt>Reserved throughput</dt><dd>{terms.reservedTokensPerMinute ? `${fmtTokens(terms.reservedTokensPerMinute)} tokens per minute (${terms.reservedTokensPerMinute})` : "—"}</dd>
      <dt>Uptime commitment</dt><dd>{terms.uptimeCommitmentPct ? `${Number(terms.uptimeCommitmentPct)}%` : "—"}</dd>
      <dt>Latency commitment</dt><dd>{terms.latencyP95Ms !== null ? `p95 ${terms.latencyP95Ms} ms` : "—"}</dd>
      <dt>Support tier</dt><dd>{terms.supportTier ? TIER_TEXT[terms.supportTier] : "—"}</dd>
      <dt>Service credits</dt><dd>{terms.serviceCreditText ?? "—"}</dd>
    </dl>
  );
}
