import Link from "next/link";
import { pageCtx } from "@/lib/auth/page";
import { listQuotes } from "@/lib/services/quotes";
import { QuoteUpload } from "@/components/market/QuoteUpload";
import { Pager } from "@/components/ui/Pager";
import { fmtDateTime, fmtUsd } from "@/lib/format";
import { monthKey } from "@/lib/domain/time";

export const metadata = { title: "Quotes" };

const KINDS = { FORWARD: "Forward", SPOT_LIST: "Spot (list)", SPOT_REALIZED: "Spot (realized)" } as const;

export default async function QuotesPage({ searchParams }: { searchParams: Promise<{ page?: string; kind?: string }> }) {
  const ctx = await pageCtx(["PROCUREMENT", "ADMIN", "CFO"]);
  const sp = await searchParams;
  const page = Math.max(1, Number(sp.page) || 1);
  const kind = sp.kind && sp.kind in KINDS ? (sp.kind as keyof typeof KINDS) : undefined;
  const q = await listQuotes(ctx, { page, pageSize: 50, kind });
  return (
    <>
      <div className="page-head"><div><h1>Quotes</h1><p className="muted">Broker, exchange and provider quotes and spot observations, newest first.</p></div></div>
      {ctx.role !== "CFO" && <QuoteUpload />}
      <nav aria-label="Quote kind" className="filters">
        <Link className="btn" aria-current={!kind ? "page" : undefined} href="/quotes">All</Link>
        {Object.entries(KINDS).map(([k, label]) => <Link key={k} className="btn" aria-current={kind === k ? "page" : undefined} href={`/quotes?kind=${k}`}>{label}</Link>)}
      </nav>
      {q.rows.length === 0 ? <div className="empty">No quotes yet. Import a CSV or POST to /api/v1/quotes.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>As of</th><th>Class</th><th>Kind</th><th>Source</th><th>Delivery</th><th className="num">Bid</th><th className="num">Ask</th><th className="num">Mid</th><th className="num">Spread</th></tr></thead>
            <tbody>
              {q.rows.map((r) => {
                const spread = r.bidUsdPerMTokens && r.askUsdPerMTokens ? r.askUsdPerMTokens.minus(r.bidUsdPerMTokens).div(r.midUsdPerMTokens).mul(100).toFixed(1) + "%" : "—";
                return (
                  <tr key={r.id}>
                    <td>{fmtDateTime(r.asOf)}</td><td>{r.modelClass.name}</td><td>{KINDS[r.kind]}</td>
                    <td>{r.source} {r.import?.isDemo && <span className="badge demo">demo</span>}</td>
                    <td>{r.deliveryMonth ? monthKey(r.deliveryMonth) : "spot"}</td>
                    <td className="num">{fmtUsd(r.bidUsdPerMTokens?.toString(), 4)}</td><td className="num">{fmtUsd(r.askUsdPerMTokens?.toString(), 4)}</td>
                    <td className="num">{fmtUsd(r.midUsdPerMTokens.toString(), 4)}</td><td className="num">{spread}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager page={page} pageSize={50} total={q.total} base={kind ? `/quotes?kind=${kind}` : "/quotes"} />
        </div>
      )}
    </>
  );
}
