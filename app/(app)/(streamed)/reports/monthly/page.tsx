import Link from "next/link";
import Decimal from "decimal.js";
import { pageCtx } from "@/lib/auth/page";
import { defaultReportMonth, monthlyReport, reportMonths } from "@/lib/services/hedging/report";
import { fmtTokens, fmtUsd, fmtUsdCompact } from "@/lib/format";
import { AlertList } from "@/components/dashboard/AlertList";
import { PrintButton } from "@/components/reports/PrintButton";
import { CommentaryForm } from "@/components/reports/CommentaryForm";
import "./print.css";

export const metadata = { title: "Monthly report" };

const pct = (p: number | null) => (p === null ? "—" : `${(p * 100).toFixed(1)}%`);
const STATUS_LABEL: Record<string, string> = { under: "under", over: "over" };

export default async function MonthlyReportPage({ searchParams }: { searchParams: Promise<{ month?: string }> }) {
  const ctx = await pageCtx(["CFO", "ADMIN"]);
  const sp = await searchParams;
  const months = reportMonths();
  const month = sp.month && months.includes(sp.month) ? sp.month : defaultReportMonth();
  const r = await monthlyReport(ctx, month);
  const b = r.budget && r.budget.classes.length ? r.budget : null;
  const coverageMonths = r.coverage.months.slice(0, 6);
  return (
    <div className="monthly-report">
      <div className="page-head">
        <div>
          <h1>Monthly report, {r.month}{r.partial ? " (month to date)" : ""}</h1>
          <p className="muted">
            {ctx.orgName} · {r.period.from} to {r.period.to} · generated {r.generatedOn}. Spend and settlements are the month&apos;s; marks are at
            {" "}{r.marks?.asOf ?? "the month's end"}; coverage, budget at risk and alerts are as of {r.generatedOn}.
          </p>
        </div>
        <div className="actions no-print">
          <form method="get" className="inline-form">
            <label htmlFor="report-month">Month</label>{" "}
            <select id="report-month" name="month" defaultValue={month}>
              {months.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>{" "}
            <button type="submit" className="btn">Show</button>
          </form>
          <PrintButton />
        </div>
      </div>

      <section aria-labelledby="summary-h" className="panel">
        <h2 id="summary-h">Summary</h2>
        <div className="grid">
          <div className="panel kpi"><div className="label">Spend at list, {r.month}</div><div className="value" title={fmtUsd(r.spend.totalUsd)}>{fmtUsdCompact(r.spend.totalUsd)}</div><div className="muted"><Link href={`/usage?from=${r.period.from}&to=${r.period.to}`}>usage behind it</Link></div></div>
          <div className="panel kpi"><div className="label">Financial settlements, {r.month}</div><div className="value" title={fmtUsd(r.settlements.financialUsd)}>{fmtUsdCompact(r.settlements.financialUsd)}</div><div className="muted">{r.settlements.lines.length} contract month{r.settlements.lines.length === 1 ? "" : "s"} settled</div></div>
          <div className="panel kpi"><div className="label">Portfolio MTM{r.marks ? `, ${r.marks.asOf}` : ""}</div><div className="value">{r.marks ? fmtUsd(r.marks.total.valueUsd, 0) : "—"}</div><div className="muted">{r.marks ? `${r.marks.total.count} contracts` : "no marks yet"}</div></div>
          <div className="panel kpi"><div className="label">P95 spend {b ? b.quarter.label : "next quarter"}, hedged</div><div className="value">{b ? fmtUsd(b.total.hedged.p95Usd, 0) : "—"}</div><div className="muted">{b ? `unhedged ${fmtUsd(b.total.unhedged.p95Usd, 0)}` : "no recommendation run yet"}</div></div>
        </div>
      </section>

      <section aria-labelledby="alerts-h" className="panel">
        <h2 id="alerts-h">Alerts</h2>
        <AlertList items={r.alerts} empty="Nothing needs attention." testId="report-alerts" />
      </section>

      <section aria-labelledby="coverage-h" className="panel">
        <h2 id="coverage-h">Hedge coverage, next six months</h2>
        {!r.coverage.forecastAsOf ? (
          <div className="empty">No forecast yet: coverage needs demand.</div>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="muted">Contracted tokens as a share of the forecast P50 (forecast of {r.coverage.forecastAsOf}), against the hedge policy's band for that tenor.</caption>
              <thead><tr><th scope="col">Class</th>{coverageMonths.map((m) => <th key={m} scope="col" className="num">{m}</th>)}</tr></thead>
              <tbody>
                {r.coverage.classes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    {coverageMonths.map((m) => {
                      const cell = r.coverage.cells.find((x) => x.classId === c.id && x.month === m);
                      return (
                        <td key={m} className={`num cov-${cell?.status ?? "none"}`}>
                          {cell?.coveragePct ? `${new Decimal(cell.coveragePct).toFixed(0)}%` : "—"}
                          {cell && (cell.status === "under" || cell.status === "over") && <strong> {STATUS_LABEL[cell.status]}</strong>}
                          {cell?.bandMinPct && <div className="muted">band {new Decimal(cell.bandMinPct).toFixed(0)}–{new Decimal(cell.bandMaxPct ?? cell.bandMinPct).toFixed(0)}%</div>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="budget-h" className="panel">
        <h2 id="budget-h">Budget at risk{b ? `, ${b.quarter.label}` : ""}</h2>
        {!b ? (
          <div className="empty">No recommendation run covers next quarter yet.</div>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Class</th><th scope="col" className="num">Expected hedged</th><th scope="col" className="num">Expected unhedged</th><th scope="col" className="num">P95 hedged</th><th scope="col" className="num">P95 unhedged</th></tr></thead>
              <tbody>
                {b.classes.map((c) => (
                  <tr key={c.classId}><th scope="row">{c.name}</th><td className="num">{fmtUsd(c.hedged.expectedUsd, 0)}</td><td className="num">{fmtUsd(c.unhedged.expectedUsd, 0)}</td><td className="num">{fmtUsd(c.hedged.p95Usd, 0)}</td><td className="num">{fmtUsd(c.unhedged.p95Usd, 0)}</td></tr>
                ))}
                <tr className="total"><th scope="row">All classes</th><td className="num">{fmtUsd(b.total.hedged.expectedUsd, 0)}</td><td className="num">{fmtUsd(b.total.unhedged.expectedUsd, 0)}</td><td className="num">{fmtUsd(b.total.hedged.p95Usd, 0)}</td><td className="num">{fmtUsd(b.total.unhedged.p95Usd, 0)}</td></tr>
              </tbody>
            </table>
            <p className="muted">
              Quarterly budget {b.budgetUsd ? fmtUsd(b.budgetUsd, 0) : "not set"}
              {b.budgetUsd ? `; probability of exceeding it: hedged ${pct(b.total.hedged.budgetExceedProb)}, unhedged ${pct(b.total.unhedged.budgetExceedProb)}` : ""}.
            </p>
          </div>
        )}
      </section>

      <section aria-labelledby="mtm-h" className="panel">
        <h2 id="mtm-h">Mark-to-market{r.marks ? ` at ${r.marks.asOf}` : ""}</h2>
        {!r.marks ? (
          <div className="empty">No marks on or before the month&apos;s end.</div>
        ) : (
          <div className="grid3">
            {[["By class", r.marks.byClass], ["By counterparty", r.marks.byCounterparty], ["By settlement type", r.marks.bySettlement]].map(([caption, rows]) => (
              <div className="table-wrap" key={caption as string}>
                <table className="data">
                  <caption className="muted">{caption as string}</caption>
                  <thead><tr><th scope="col">Group</th><th scope="col" className="num">Contracts</th><th scope="col" className="num">MTM</th></tr></thead>
                  <tbody>
                    {(rows as typeof r.marks.byClass).map((g) => <tr key={g.key}><th scope="row">{g.label}</th><td className="num">{g.count}</td><td className="num">{fmtUsd(g.valueUsd, 0)}</td></tr>)}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="settle-h" className="panel">
        <h2 id="settle-h">Settlements of {r.month}</h2>
        {!r.settlements.lines.length ? (
          <div className="empty">No contract month settled for {r.month}.</div>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Contract</th><th scope="col">Class</th><th scope="col">Counterparty</th><th scope="col">Settlement</th><th scope="col" className="num">Amount</th><th scope="col" className="num">Credits used / forfeited</th></tr></thead>
              <tbody>
                {r.settlements.lines.map((s) => (
                  <tr key={s.contractId}>
                    <th scope="row"><Link href={`/contracts/${s.contractId}`}>{s.reference}</Link></th><td>{s.modelClass}</td><td>{s.counterparty}</td>
                    <td>{s.settlement === "FINANCIAL" ? "financial" : "service credits"}</td><td className="num">{fmtUsd(s.amountUsd)}</td>
                    <td className="num">{s.creditsUsedTokens === null ? "—" : `${fmtTokens(s.creditsUsedTokens)} / ${fmtTokens(s.creditsForfeitedTokens ?? "0")}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="spend-h" className="panel">
        <h2 id="spend-h">Spend by class, {r.month}</h2>
        {!r.spend.byClass.length ? (
          <div className="empty">No usage in {r.month}.</div>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Class</th><th scope="col" className="num">Input tokens</th><th scope="col" className="num">Output tokens</th><th scope="col" className="num">Spend at list</th><th scope="col" className="num">Share</th></tr></thead>
              <tbody>
                {r.spend.byClass.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{c.key}</th><td className="num">{fmtTokens(c.inputTokens)}</td><td className="num">{fmtTokens(c.outputTokens)}</td><td className="num">{fmtUsd(c.listCostUsd)}</td>
                    <td className="num">{new Decimal(r.spend.totalUsd).isZero() ? "—" : `${new Decimal(c.listCostUsd).div(r.spend.totalUsd).mul(100).toFixed(1)}%`}</td>
                  </tr>
                ))}
                <tr className="total"><th scope="row">All classes</th><td /><td /><td className="num">{fmtUsd(r.spend.totalUsd)}</td><td /></tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="commentary-h" className="panel">
        <h2 id="commentary-h">Commentary</h2>
        <CommentaryForm month={r.month} saved={r.commentary} canEdit={ctx.role === "CFO"} />
      </section>
    </div>
  );
}
