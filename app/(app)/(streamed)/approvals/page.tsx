import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { listContracts } from "@/lib/services/hedging/contracts";
import { fmtTokens, fmtUsd } from "@/lib/format";

export const metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const ctx = await pageCtx(["CFO"]);
  const data = await listContracts(ctx, { status: "PENDING_APPROVAL", page: 1, pageSize: 200, sort: "bookedAt", dir: "asc" });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Approvals</h1>
          <p className="muted">Bookings above the policy&apos;s approval threshold. You cannot approve a contract you booked yourself.</p>
        </div>
      </div>
      {data.items.length === 0 ? (
        <div className="empty">Nothing waits for approval.</div>
      ) : (
        <div className="table-wrap"><table className="data">
          <thead><tr><th>Reference</th><th>Class</th><th>Counterparty</th><th>Window</th><th className="num">Quantity</th><th className="num">Strike / 1M</th><th className="num">Notional</th><th>Booked by</th></tr></thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.id}>
                <td><Link href={`/contracts/${c.id}`}>{c.reference}</Link>{c.bookedById === ctx.actorId && <span className="badge flag">your booking</span>}</td>
                <td>{c.modelClass.name}</td><td>{c.counterparty.name} ({c.counterparty.rating})</td><td>{c.windowStart} → {c.windowEnd}</td>
                <td className="num">{fmtTokens(c.quantityTokens)}</td><td className="num">{fmtUsd(c.strikeUsdPerMTokens, 4)}</td><td className="num">{fmtUsd(c.notionalUsd)}</td>
                <td>{c.bookedByName}, {c.bookedAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </>
  );
}
