import { pageCtx } from "@/lib/auth/page";
import { listCounterparties } from "@/lib/services/hedging/counterparties";
import { CounterpartyForm } from "@/components/contracts/CounterpartyForm";
import { fmtUsd } from "@/lib/format";

export const metadata = { title: "Counterparties" };

export default async function CounterpartiesPage() {
  const ctx = await pageCtx(["PROCUREMENT", "CFO", "ADMIN"]);
  const rows = await listCounterparties(ctx);
  const canEdit = ctx.role === "PROCUREMENT" || ctx.role === "ADMIN";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Counterparties</h1>
          <p className="muted">Who is on the other side of each contract: exposure is the notional of open contracts (pending, booked, delivering) plus what the counterparty owes us on them (each contract&apos;s latest positive mark-to-market), against its limit; concentration is its share of all open hedged notional.</p>
        </div>
      </div>
      {rows.length === 0 ? <div className="empty">No counterparties yet.</div> : (
        <div className="table-wrap"><table className="data">
          <thead><tr><th>Name</th><th>Rating</th><th className="num">Limit</th><th className="num">Open notional</th><th className="num">Owed to us (MTM)</th><th className="num">Exposure</th><th>Use of limit</th><th className="num">Concentration</th><th>Warnings</th></tr></thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td><td>{c.rating}</td><td className="num">{fmtUsd(c.limitUsd, 0)}</td><td className="num">{fmtUsd(c.notionalUsd, 0)}</td><td className="num">{fmtUsd(c.owedToUsUsd, 0)}</td><td className="num">{fmtUsd(c.exposureUsd, 0)}</td>
                <td>
                  <meter min={0} max={100} low={75} high={90} optimum={0} value={Math.min(100, Number(c.limitUsedPct ?? 0))} aria-label={`${c.name}: ${c.limitUsedPct ?? 0}% of limit used`} />{" "}
                  {c.limitUsedPct ?? "—"}%
                </td>
                <td className="num">{c.concentrationPct}%</td>
                <td>{c.warnings.map((w) => <span key={w} className="badge flag">{w}</span>)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {canEdit && <CounterpartyForm />}
    </>
  );
}
