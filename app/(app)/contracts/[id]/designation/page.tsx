import Link from "next/link";
import { notFound } from "next/navigation";
import { pageCtx } from "@/lib/auth/page";
import { findOwned } from "@/lib/db/scope";
import { contractDetail } from "@/lib/services/hedging/contracts";
import { designationOf, hedgeAccounting } from "@/lib/services/hedging/accounting";
import { DesignateForm } from "@/components/accounting/DesignateForm";
import { EffectivenessChart } from "@/components/ui/charts";
import { PrintButton } from "@/components/reports/PrintButton";
import "./print.css";
import { fmtDateTime, fmtTokens, fmtUsd } from "@/lib/format";

export const metadata = { title: "Hedge designation memo" };

/** Print-friendly designation memo with the monthly dollar-offset table (CFO, admin). */
export default async function DesignationPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageCtx(["CFO", "ADMIN"]);
  const { id } = await params;
  if (!(await findOwned(ctx, "contract", id))) notFound();
  if (!(await designationOf(ctx, id))) {
    const c = await contractDetail(ctx, id);
    const canDesignate = ctx.role === "CFO" && (c.status === "BOOKED" || c.status === "DELIVERING");
    return (
      <>
        <div className="page-head"><div><p><Link href={`/contracts/${id}`}>← Contract {c.reference}</Link></p><h1>Hedge designation</h1></div></div>
        <p className="muted">Contract {c.reference} is not designated as a hedge.{canDesignate ? "" : " Only a CFO can designate a booked or delivering contract."}</p>
        {canDesignate && <DesignateForm id={id} />}
      </>
    );
  }
  const a = await hedgeAccounting(ctx, id);
  const { contract: c, designation: d } = a;
  return (
    <article className="memo">
      <div className="page-head">
        <div>
          <p className="no-print"><Link href={`/contracts/${id}`}>← Contract {c.reference}</Link> · <a href="/api/v1/contracts/register?format=csv">Trade register (CSV)</a></p>
          <h1>Hedge designation memo — {c.reference}</h1>
          <p className="muted">Cash-flow hedge designated {fmtDateTime(d.designatedAt)} by {d.designatedByName}. Recorded once; never changed.</p>
        </div>
        <div className="actions no-print"><PrintButton /></div>
      </div>
      <section className="panel" aria-labelledby="memo-h">
        <h2 id="memo-h">Designation</h2>
        <dl className="terms">
          <dt>Hedge type</dt><dd>Cash-flow hedge of a forecast transaction (ASC 815 / IFRS 9)</dd>
          <dt>Risk management objective</dt><dd>{d.riskManagementObjective}</dd>
          <dt>Hedged item</dt><dd>{d.hedgedItem}</dd>
          <dt>Hedging instrument</dt><dd>{d.hedgingInstrument}</dd>
          <dt>Risk hedged</dt><dd>Price of {c.modelClass} tokens (USD per 1M tokens)</dd>
          <dt>Effectiveness method</dt><dd>Dollar offset each settled month: change in the contract&apos;s value vs change in the hedged cost attributable to price, against the forward on the designation day; effective within 80%–125%. Ineffectiveness: IFRS 9 lower-of on cumulative changes.</dd>
          <dt>Counterparty</dt><dd>{c.counterparty}</dd>
          <dt>Notional</dt><dd>{fmtUsd(c.notionalUsd)} ({fmtTokens(c.quantityTokens)} tokens at {fmtUsd(c.strikeUsdPerMTokens, 6)} per 1M)</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="prosp-h">
        <h2 id="prosp-h">Prospective test at designation (critical terms): {d.prospective.passed ? "passed" : "failed"}</h2>
        <ul>{d.prospective.criteria.map((x) => <li key={x.criterion}><strong>{x.criterion.toLowerCase()}</strong>: {x.passed ? "match" : "mismatch"} — {x.reason}</li>)}</ul>
        <div className="table-wrap" role="region" aria-label="Hedged months and forwards at designation" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Hedged month</th><th className="num">Tokens</th><th className="num">Forward at designation / 1M</th></tr></thead>
          <tbody>{d.months.map((m) => <tr key={m.month}><td>{m.month}</td><td className="num">{fmtTokens(m.hedgedTokens)}</td><td className="num">{fmtUsd(m.forwardUsdPerMTokens, 4)}</td></tr>)}</tbody>
        </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="retro-h">
        <h2 id="retro-h">Retrospective effectiveness (dollar offset)</h2>
        {a.effectiveness.length === 0 ? (
          <p className="muted">No hedged month has settled yet.</p>
        ) : (
          <>
          {a.summary && a.summary.monthsFailed > 0 && (
            <p className="warning" role="note">{a.summary.monthsFailed} of {a.summary.monthsTested} tested month{a.summary.monthsTested > 1 ? "s" : ""} outside 80%–125%: see the result column for the cause.</p>
          )}
          <EffectivenessChart rows={a.effectiveness} />
          {/* wider than a phone: the region scrolls on its own and takes focus, so the keyboard can scroll it */}
          <div className="table-wrap" role="region" aria-label="Monthly effectiveness tests" tabIndex={0}>
          <table className="data" data-testid="effectiveness">
            <thead>
              <tr>
                <th>Month</th><th className="num">Contracted</th><th className="num">Used</th><th className="num">Index / 1M</th><th className="num">Realised / 1M</th>
                <th className="num">Δ contract</th><th className="num">Δ hedged cost</th><th className="num">Ratio</th><th>Result</th>
                <th className="num">Cum. ratio</th><th className="num">Reserve</th><th className="num">Cum. ineffectiveness</th>
              </tr>
            </thead>
            <tbody>
              {a.effectiveness.map((r) => (
                <tr key={r.month}>
                  <td>{r.month}</td><td className="num">{fmtTokens(r.hedgedTokens)}</td><td className="num">{fmtTokens(r.usageTokens)}</td>
                  <td className="num">{fmtUsd(r.indexPriceUsdPerMTokens, 4)}</td><td className="num">{r.realisedPriceUsdPerMTokens ? fmtUsd(r.realisedPriceUsdPerMTokens, 4) : "—"}</td>
                  <td className="num">{fmtUsd(r.contractChangeUsd)}</td><td className="num">{fmtUsd(r.hedgedItemChangeUsd)}</td>
                  <td className="num">{r.ratioPct ? `${r.ratioPct}%` : "—"}</td>
                  <td className="result-cell">{r.effective ? "effective" : <span className="error">not effective: {r.explanation}</span>}</td>
                  <td className="num">{r.cumulative.ratioPct ? `${r.cumulative.ratioPct}%` : "—"}</td>
                  <td className="num">{fmtUsd(r.cumulative.reserveUsd)}</td><td className="num">{fmtUsd(r.cumulative.ineffectivenessUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          </>
        )}
        {a.pending.length > 0 && <p className="muted">Not tested yet: {a.pending.map((p) => `${p.month} (${p.reason})`).join(", ")}.</p>}
      </section>
    </article>
  );
}
