import Decimal from "decimal.js";
import { pageCtx } from "@/lib/auth/page";
import { usageBreakdown, usageExtent, usageSeries } from "@/lib/services/usage";
import { fmtDate, fmtTokens, fmtUsd } from "@/lib/format";
import { addDays, monthKey } from "@/lib/domain/time";

export default async function DashboardPage() {
  const ctx = await pageCtx(["CFO", "ADMIN"]);
  const extent = await usageExtent(ctx);
  if (!extent.records) return (<><h1>Dashboard</h1><div className="empty">No usage imported yet, so there is no spend to show.</div></>);
  const last = extent.last!;
  const d = (n: number) => fmtDate(addDays(last, -n));
  const [cur, prev, byClass, monthly] = await Promise.all([
    usageBreakdown(ctx, { from: d(29), to: d(0) }, "class"),
    usageBreakdown(ctx, { from: d(59), to: d(30) }, "class"),
    usageBreakdown(ctx, { from: d(89), to: d(0) }, "class"),
    usageSeries(ctx, { from: d(365) }, "month"),
  ]);
  const sum = (rows: { listCostUsd: string }[]) => rows.reduce((s, r) => s.plus(r.listCostUsd), new Decimal(0));
  const curSum = sum(cur);
  const prevSum = sum(prev);
  const growth = prevSum.isZero() ? null : curSum.minus(prevSum).div(prevSum).mul(100);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">AI spend at catalog list price (unhedged benchmark), data through {fmtDate(last)}.</p>
        </div>
      </div>
      <div className="grid">
        <div className="panel kpi"><div className="label">Spend, last 30 days</div><div className="value" data-testid="spend-30d">{fmtUsd(curSum.toFixed(2))}</div></div>
        <div className="panel kpi"><div className="label">Change vs previous 30 days</div><div className="value">{growth === null ? "—" : `${growth.isNeg() ? "" : "+"}${growth.toFixed(1)}%`}</div></div>
        <div className="panel kpi"><div className="label">Annualised run-rate</div><div className="value">{fmtUsd(curSum.div(30).mul(365).toFixed(0), 0)}</div></div>
      </div>
      <h2>By model class, last 90 days</h2>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Class</th><th className="num">Input tokens</th><th className="num">Output tokens</th><th className="num">Spend at list</th><th className="num">Share</th></tr></thead>
          <tbody>{byClass.map((r) => (
            <tr key={r.key}><td>{r.key}</td><td className="num">{fmtTokens(r.inputTokens)}</td><td className="num">{fmtTokens(r.outputTokens)}</td><td className="num">{fmtUsd(r.listCostUsd)}</td>
              <td className="num">{sum(byClass).isZero() ? "—" : `${new Decimal(r.listCostUsd).div(sum(byClass)).mul(100).toFixed(1)}%`}</td></tr>
          ))}</tbody>
        </table>
      </div>
      <h2>Monthly spend at list price</h2>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Month</th><th className="num">Input tokens</th><th className="num">Output tokens</th><th className="num">Spend at list</th></tr></thead>
          <tbody>{monthly.map((r) => (
            <tr key={r.bucket.toISOString()}><td>{monthKey(r.bucket)}{(r.bucket < addDays(last, -365) || monthKey(r.bucket) === monthKey(last)) && <span className="muted"> (partial month)</span>}</td><td className="num">{fmtTokens(r.inputTokens)}</td><td className="num">{fmtTokens(r.outputTokens)}</td><td className="num">{fmtUsd(r.listCostUsd)}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </>
  );
}
