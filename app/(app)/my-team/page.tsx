import { sumDecimals } from "@/lib/domain/money";
import { pageCtx } from "@/lib/auth/page";
import { filterOptions } from "@/lib/services/lookups";
import { usageBreakdown, usageExtent } from "@/lib/services/usage";
import { fmtDate, fmtTokens, fmtUsd } from "@/lib/format";
import { addDays } from "@/lib/domain/time";

export default async function MyTeamPage() {
  const ctx = await pageCtx(["TEAM_LEAD"]);
  const [opts, extent] = await Promise.all([filterOptions(ctx), usageExtent(ctx)]);
  const team = opts.teams[0];
  const last = extent.last ?? new Date();
  const to = fmtDate(last);
  const from30 = fmtDate(addDays(last, -29));
  const fromPrev = fmtDate(addDays(last, -59));
  const toPrev = fmtDate(addDays(last, -30));
  const [cur, prev] = await Promise.all([
    usageBreakdown(ctx, { from: from30, to }, "model"),
    usageBreakdown(ctx, { from: fromPrev, to: toPrev }, "model"),
  ]);
  const sum = (rows: typeof cur) => sumDecimals(rows.map((r) => r.listCostUsd));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{team?.name ?? "My team"}</h1>
          <p className="muted">Last 30 days of usage ({from30} → {to}), valued at catalog list price (the spot benchmark).</p>
        </div>
      </div>
      <div className="grid">
        <div className="panel kpi"><div className="label">Spend at list price, last 30 days</div><div className="value">{fmtUsd(sum(cur).toFixed(2))}</div></div>
        <div className="panel kpi"><div className="label">Previous 30 days</div><div className="value">{fmtUsd(sum(prev).toFixed(2))}</div></div>
        <div className="panel kpi"><div className="label">Models in use</div><div className="value">{cur.length}</div></div>
      </div>
      <p className="muted">Chargeback at the hedged blended rate appears here once contracts cover this team&apos;s model classes.</p>
      <h2>By model, last 30 days</h2>
      {cur.length === 0 ? <div className="empty">No usage for your team in the last 30 days.</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Model</th><th className="num">Input tokens</th><th className="num">Output tokens</th><th className="num">Requests</th><th className="num">Spend at list</th></tr></thead>
            <tbody>{cur.map((r) => (
              <tr key={r.key}><td>{r.key}</td><td className="num">{fmtTokens(r.inputTokens)}</td><td className="num">{fmtTokens(r.outputTokens)}</td><td className="num">{fmtTokens(r.requests)}</td><td className="num">{fmtUsd(r.listCostUsd)}</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
