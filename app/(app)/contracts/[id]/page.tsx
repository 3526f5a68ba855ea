import Link from "next/link";
import { notFound } from "next/navigation";
import { pageCtx } from "@/lib/auth/page";
import { findOwned } from "@/lib/db/scope";
import { contractDetail } from "@/lib/services/hedging/contracts";
import { ContractActions } from "@/components/contracts/ContractActions";
import { ServiceTermsView, serviceTermsSummary } from "@/components/contracts/ServiceTermsView";
import { AmendServiceTermsForm } from "@/components/contracts/AmendServiceTermsForm";
import { contractDelivery } from "@/lib/services/hedging/capacity";
import { serviceTermsOf, type ServiceTerms } from "@/lib/services/hedging/contracts";
import { fmtDateTime, fmtTokens, fmtUsd } from "@/lib/format";

export const metadata = { title: "Contract" };

const EVENT_TEXT: Record<string, string> = {
  CREATED: "Created", SUBMITTED_FOR_APPROVAL: "Submitted for approval", APPROVED: "Approved", REJECTED: "Rejected", BOOKED: "Booked",
  DELIVERY_STARTED: "Delivery started", PERIOD_SETTLED: "Month settled", SETTLED: "Settled", CANCELLED: "Cancelled", DRIFT_FLAGGED: "Model drift flagged",
  DESIGNATED: "Designated as a cash-flow hedge", SERVICE_TERMS_AMENDED: "Service terms amended",
};

/** An amendment event's terms (stored as booked: normalised input) in one line. */
const termsLine = (v: unknown) => {
  const t = (v as { serviceTerms?: Record<string, unknown> | null } | null)?.serviceTerms;
  if (!t) return "none";
  return serviceTermsSummary(serviceTermsOf({ reservedTokensPerMinute: t.reservedTokensPerMinute ? BigInt(String(t.reservedTokensPerMinute)) : null, uptimeCommitmentPct: (t.uptimeCommitmentPct as string | null) ?? null, latencyP95Ms: (t.latencyP95Ms as number | null) ?? null, supportTier: (t.supportTier as string | null) ?? null, serviceCreditRule: t.serviceCreditRule ?? null }) as ServiceTerms | null);
};

export default async function ContractPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageCtx(["PROCUREMENT", "CFO", "ADMIN"]);
  const { id } = await params;
  if (!(await findOwned(ctx, "contract", id))) notFound();
  const [c, delivery] = await Promise.all([contractDetail(ctx, id), contractDelivery(ctx, id)]);
  const canDecide = ctx.role === "CFO" && c.status === "PENDING_APPROVAL" && c.bookedById !== ctx.actorId;
  const canCancel = ["DRAFT", "PENDING_APPROVAL", "BOOKED"].includes(c.status);
  return (
    <>
      <div className="page-head">
        <div>
          <p><Link href="/contracts">← Contracts</Link></p>
          <h1>Contract {c.reference}</h1>
          <p className="muted">Status: <strong data-testid="status">{c.status.toLowerCase().replace("_", " ")}</strong> · booked {fmtDateTime(c.bookedAt)} by {c.bookedByName}{c.approvedAt ? ` · approved ${fmtDateTime(c.approvedAt)}` : ""}</p>
        </div>
      </div>
      {c.drift && (
        <p className="warning" role="note">Model drift: {c.drift.note}. Substitution rule: {c.drift.rule}.</p>
      )}
      {ctx.role === "CFO" && c.status === "PENDING_APPROVAL" && c.bookedById === ctx.actorId && <p className="warning" role="note">You booked this contract: another CFO must approve it (four eyes).</p>}
      <div className="grid2">
        <section className="panel" aria-labelledby="product-h">
          <h2 id="product-h">Product</h2>
          <dl className="terms">
            <dt>Provider</dt><dd>{c.provider.name}</dd>
            <dt>Model class</dt><dd>{c.modelClass.name}</dd>
            <dt>Quantity</dt><dd>{fmtTokens(c.quantityTokens)} tokens ({c.quantityTokens})</dd>
            <dt>Delivery window</dt><dd>{c.windowStart} → {c.windowEnd} (inclusive)</dd>
            <dt>Strike</dt><dd>{fmtUsd(c.strikeUsdPerMTokens, 6)} per 1M tokens</dd>
            <dt>Notional</dt><dd>{fmtUsd(c.notionalUsd)}</dd>
            <dt>Settlement</dt><dd>{c.settlement === "FINANCIAL" ? "Financial: cash on (average spot − strike) × quantity" : "Service credits: drawn down by actual usage, unused credits forfeited at window end"}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="trade-h">
          <h2 id="trade-h">Trade</h2>
          <dl className="terms">
            <dt>Counterparty</dt><dd>{c.counterparty.name} ({c.counterparty.rating})</dd>
            <dt>Reference</dt><dd>{c.reference}</dd>
            <dt>Model drift rule</dt><dd>{c.substitutionText}</dd>
            <dt>From recommendation</dt><dd>{c.recommendationId ? "yes" : "no (booked by hand)"}</dd>
            <dt>Notes</dt><dd>{c.notes ?? "—"}</dd>
          </dl>
        </section>
      </div>
      <section className="panel" aria-labelledby="terms-h">
        <h2 id="terms-h">Capacity and service terms</h2>
        <ServiceTermsView terms={c.serviceTerms} />
        {ctx.role === "PROCUREMENT" && ["DRAFT", "PENDING_APPROVAL", "BOOKED", "DELIVERING"].includes(c.status) && <AmendServiceTermsForm id={c.id} current={c.serviceTerms} />}
      </section>
      {c.serviceTerms?.reservedTokensPerMinute && (
        <section className="panel" aria-labelledby="delivery-h">
          <h2 id="delivery-h">Delivered vs committed</h2>
          {delivery.months.length === 0 ? (
            <p className="muted">{delivery.note ?? "No delivery month has started yet."}</p>
          ) : (
            <>
              <p className="muted">
                Reserved volume = {fmtTokens(delivery.reservedTokensPerMinute ?? "0")} tokens per minute × 1,440 × window days so far; delivered = the {c.modelClass.name} usage this reservation carried
                {delivery.sharedWith.length ? ` (usage drawn down over ${[c.reference, ...delivery.sharedWith].join(", ")} in booking order)` : ""}. Usage {delivery.granularity === "HOUR" ? "is hourly" : "is at least partly daily"}.
              </p>
              <div className="table-wrap">
                <table className="data" data-testid="delivery">
                  <caption className="sr-only">Delivered vs reserved volume per month</caption>
                  <thead><tr><th scope="col">Month</th><th scope="col" className="num">Days</th><th scope="col" className="num">Reserved</th><th scope="col" className="num">Delivered</th><th scope="col" className="num">Unused</th><th scope="col" className="num">Utilisation</th><th scope="col" className="num">Class usage</th><th scope="col" className="num">Requests</th><th scope="col" className="num">Busiest hour / min</th></tr></thead>
                  <tbody>
                    {delivery.months.map((m) => (
                      <tr key={m.month}>
                        <th scope="row">{m.month}</th><td className="num">{m.days}</td><td className="num">{fmtTokens(m.reservedTokens)}</td><td className="num">{fmtTokens(m.deliveredTokens)}</td>
                        <td className={`num ${m.unusedTokens !== "0" ? "cov-under" : ""}`}>{fmtTokens(m.unusedTokens)}</td><td className="num">{m.utilisationPct !== null ? `${m.utilisationPct}%` : "—"}</td>
                        <td className="num">{fmtTokens(m.classUsageTokens)}</td><td className="num">{m.classRequests !== null ? fmtTokens(m.classRequests) : "n/a"}</td>
                        <td className="num">{m.peakHourTokensPerMinute !== null ? fmtTokens(m.peakHourTokensPerMinute) : "n/a"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {delivery.unavailable.length > 0 && <p className="muted">Not available: {delivery.unavailable.join("; ")}.</p>}
        </section>
      )}
      {(ctx.role === "CFO" || ctx.role === "ADMIN") && (
        <p><Link className="btn" href={`/contracts/${c.id}/designation`}>{c.events.some((e) => e.type === "DESIGNATED") ? "Hedge designation memo" : "Hedge accounting: designate"}</Link></p>
      )}
      {(canDecide || canCancel) && <ContractActions id={c.id} canDecide={canDecide} canCancel={canCancel} />}
      <section className="panel" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <ol className="timeline">
          {c.events.map((e) => (
            <li key={e.id}>
              <strong>{EVENT_TEXT[e.type] ?? e.type}</strong> · {fmtDateTime(e.at)} · {e.actorName}
              {e.before && e.after && (e.before as { status?: string }).status !== (e.after as { status?: string }).status && (
                <span className="muted"> ({String((e.before as { status?: string }).status).toLowerCase()} → {String((e.after as { status?: string }).status).toLowerCase()})</span>
              )}
              {e.type === "SERVICE_TERMS_AMENDED" && <div className="muted">{termsLine(e.before)} → {termsLine(e.after)}</div>}
              {e.comment && <div className="muted">“{e.comment}”</div>}
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" aria-labelledby="settle-h">
        <h2 id="settle-h">Settlements</h2>
        {c.settlements.length === 0 ? (
          <p className="muted">Nothing settled yet: each month of the window settles after it ends (daily settlement job).</p>
        ) : (
          <>
            <table className="data">
              <thead><tr><th>Month</th><th className="num">Quantity</th><th className="num">Average spot / 1M</th><th className="num">Amount</th><th className="num">Credits used</th><th className="num">Forfeited</th></tr></thead>
              <tbody>
                {c.settlements.map((s) => (
                  <tr key={s.month}><td>{s.month}</td><td className="num">{fmtTokens(s.quantityTokens)}</td><td className="num">{s.avgSpotUsdPerMTokens ? fmtUsd(s.avgSpotUsdPerMTokens, 4) : "—"}</td><td className="num">{fmtUsd(s.amountUsd)}</td><td className="num">{s.creditsUsedTokens ? fmtTokens(s.creditsUsedTokens) : "—"}</td><td className="num">{s.creditsForfeitedTokens ? fmtTokens(s.creditsForfeitedTokens) : "—"}</td></tr>
                ))}
              </tbody>
            </table>
            <p><a className="btn" href={`/api/v1/contracts/${c.id}/settlements?format=csv`}>Download statement (CSV)</a></p>
          </>
        )}
      </section>
    </>
  );
}
