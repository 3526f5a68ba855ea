import Link from "next/link";
import { Suspense } from "react";
import Decimal from "decimal.js";
import { pageCtx } from "@/lib/auth/page";
import type { Ctx } from "@/lib/auth/context";
import { budgetView, coverageView, dashboardAlerts, spendView } from "@/lib/services/hedging/dashboard";
import { marksHistory, portfolioMarks, realisedPnl } from "@/lib/services/hedging/marks";
import { fmtTokens, fmtUsd, fmtUsdCompact } from "@/lib/format";
import { AlertList } from "@/components/dashboard/AlertList";
import { CoverageTable } from "@/components/dashboard/CoverageTable";
import { coverageGrid } from "@/components/dashboard/coverage-cells";
import { CoverageChart, MtmChart, SpendChart } from "@/components/ui/charts";
import { ScenarioPanel } from "@/components/dashboard/ScenarioPanel";
import { CapacityTable } from "@/components/capacity/CapacityTable";
import { capacityView } from "@/lib/services/hedging/capacity";

export const metadata = { title: "Dashboard" };

const pct = (p: number | null) => (p === null ? "—" : `${(p * 100).toFixed(1)}%`);
const signedUsd = (v: string | null | undefined) => (v === null || v === undefined ? "—" : `${new Decimal(v).isNeg() ? "" : "+"}${fmtUsd(v, 0)}`);
const signedUsdCompact = (v: string | null | undefined) => (v === null || v === undefined ? "—" : `${new Decimal(v).isNeg() ? "" : "+"}${fmtUsdCompact(v)}`);
const Loading = ({ what }: { what: string }) => <p role="status" aria-live="polite" className="muted panel">Loading {what}…</p>;

export default async function DashboardPage() {
  const ctx = await pageCtx(["CFO", "ADMIN"]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">Hedge coverage, next quarter&apos;s budget at risk, mark-to-market and spend. Every figure links to the rows behind it.</p>
        </div>
        <div className="actions">
          <a className="btn" href="/api/v1/coverage?format=csv" download>Coverage (CSV)</a>
          <a className="btn" href="/api/v1/marks?format=csv" download>Marks (CSV)</a>
          <a className="btn" href="/api/v1/marks?format=csv&detail=periods" download>Marks by month (CSV)</a>
        </div>
      </div>
      <nav aria-label="On this page" className="tabs">
        {[["alerts", "Alerts"], ["coverage", "Coverage"], ["capacity", "Capacity"], ["budget", "Budget at risk"], ["scenario", "Scenario"], ["mtm", "Mark-to-market"], ["spend", "Spend"]].map(([id, label]) => (
          <a key={id} href={`#${id}`} className="btn link">{label}</a>
        ))}
      </nav>
      <Suspense fallback={<Loading what="alerts and coverage" />}>
        <CoverageSection ctx={ctx} />
      </Suspense>
      <Suspense fallback={<Loading what="capacity" />}>
        <CapacitySection ctx={ctx} />
      </Suspense>
      <Suspense fallback={<Loading what="budget at risk" />}>
        <BudgetSection ctx={ctx} />
      </Suspense>
      <Suspense fallback={<Loading what="mark-to-market" />}>
        <MtmSection ctx={ctx} />
      </Suspense>
      <Suspense fallback={<Loading what="spend" />}>
        <SpendSection ctx={ctx} />
      </Suspense>
    </>
  );
}

async function CoverageSection({ ctx }: { ctx: Ctx }) {
  const coverage = await coverageView(ctx);
  const alerts = await dashboardAlerts(ctx, new Date(), { coverage });
  const under = coverage.cells.filter((c) => c.status === "under").length;
  const over = coverage.cells.filter((c) => c.status === "over").length;
  // one compact copy of the grid for the chart and the table (both client components: sent to the browser once)
  const grid = coverageGrid(coverage);
  return (
    <>
      <section id="alerts" aria-labelledby="alerts-h" className="panel">
        <h2 id="alerts-h">Alerts</h2>
        <AlertList items={alerts} empty="Nothing needs attention: coverage is inside the policy bands, counterparties within limits, no drift, approvals or windows ending soon." />
      </section>
      <section id="coverage" aria-labelledby="coverage-h" className="panel">
        <h2 id="coverage-h">Hedge coverage, next 12 months</h2>
        <p className="muted">
          Contracted tokens (booked and delivering) as a share of the forecast&apos;s P50 per delivery month, against the hedge policy&apos;s band for that tenor
          {coverage.forecastAsOf ? `; forecast of ${coverage.forecastAsOf}` : ""}. {under} month{under === 1 ? "" : "s"} under the band, {over} over.{" "}
          <Link href="/hedging/policy">Policy bands</Link> · <Link href="/hedging/recommendations">What to book</Link>
        </p>
        {!coverage.forecastAsOf ? (
          <div className="empty">No forecast yet: coverage needs demand. Forecasts run after each usage import and nightly.</div>
        ) : (
          <>
            <CoverageChart classes={grid.classes} cells={grid.cells} />
            <CoverageTable view={grid} />
            <p className="muted legend"><span className="cov-under swatch" /> under the band <span className="cov-within swatch" /> within <span className="cov-over swatch" /> over · — no forecast or no demand · hover a cell for P10/P50/P90 and pending approvals</p>
          </>
        )}
      </section>
    </>
  );
}

async function CapacitySection({ ctx }: { ctx: Ctx }) {
  const view = await capacityView(ctx);
  return (
    <section id="capacity" aria-labelledby="capacity-h" className="panel">
      <h2 id="capacity-h">Reserved capacity vs forecast peak</h2>
      <p className="muted">Throughput reserved under contracts&apos; service terms against the forecast peak rate (tokens per minute) of each class. <Link href="/procurement#capacity">Month by month</Link></p>
      <CapacityTable view={view} compact />
    </section>
  );
}

async function BudgetSection({ ctx }: { ctx: Ctx }) {
  const b = await budgetView(ctx);
  if (!b || !b.classes.length)
    return (
      <section id="budget" aria-labelledby="budget-h" className="panel">
        <h2 id="budget-h">Budget at risk</h2>
        <div className="empty">{b ? `The latest recommendation run has no delivery month in ${b.quarter.label}: the forecast does not reach it yet.` : "No recommendation run yet: budget at risk re-simulates its inputs. Runs follow each forecast and curve rebuild, and nightly."}</div>
      </section>
    );
  const h = b.total.hedged;
  const u = b.total.unhedged;
  return (
    <>
      <section id="budget" aria-labelledby="budget-h" className="panel">
        <h2 id="budget-h">Budget at risk, {b.quarter.label}</h2>
        <p className="muted">
          AI spend on {b.quarter.months.join(", ")} simulated on {b.paths.toLocaleString("en-US")} paths of demand and spot (the recommendation model, run of {b.run.asOf}), with the contracts held vs without them.
          {b.missingClasses.length > 0 && ` Not included (no forecast month or curve in the quarter): ${b.missingClasses.join(", ")}.`}
        </p>
        <div className="grid">
          <div className="panel kpi"><div className="label">Expected, hedged</div><div className="value" data-testid="bar-expected-hedged" title={fmtUsd(h.expectedUsd)}>{fmtUsdCompact(h.expectedUsd)}</div><div className="muted">unhedged {fmtUsd(u.expectedUsd, 0)}</div></div>
          <div className="panel kpi"><div className="label">P95, hedged</div><div className="value" data-testid="bar-p95-hedged" title={fmtUsd(h.p95Usd)}>{fmtUsdCompact(h.p95Usd)}</div><div className="muted">unhedged {fmtUsd(u.p95Usd, 0)}</div></div>
          <div className="panel kpi"><div className="label">Quarterly budget</div><div className="value" title={b.budgetUsd ? fmtUsd(b.budgetUsd) : undefined}>{b.budgetUsd ? fmtUsdCompact(b.budgetUsd) : "not set"}</div><div className="muted">{b.budgetUsd ? <>P(over budget): hedged {pct(h.budgetExceedProb)}, unhedged {pct(u.budgetExceedProb)}</> : <Link href="/hedging/policy">Set a quarterly budget</Link>}</div></div>
        </div>
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Class</th><th className="num">Expected hedged</th><th className="num">Expected unhedged</th><th className="num">P95 hedged</th><th className="num">P95 unhedged</th><th className="num">Cost at risk hedged</th><th className="num">Cost at risk unhedged</th></tr></thead>
            <tbody>
              {b.classes.map((c) => (
                <tr key={c.classId}>
                  <th scope="row"><Link href={`/hedging/recommendations?class=${c.classId}`}>{c.name}</Link></th>
                  <td className="num">{fmtUsd(c.hedged.expectedUsd, 0)}</td><td className="num">{fmtUsd(c.unhedged.expectedUsd, 0)}</td>
                  <td className="num">{fmtUsd(c.hedged.p95Usd, 0)}</td><td className="num">{fmtUsd(c.unhedged.p95Usd, 0)}</td>
                  <td className="num">{fmtUsd(c.hedged.costAtRiskUsd, 0)}</td><td className="num">{fmtUsd(c.unhedged.costAtRiskUsd, 0)}</td>
                </tr>
              ))}
              <tr className="total">
                <th scope="row">All classes</th>
                <td className="num">{fmtUsd(h.expectedUsd, 0)}</td><td className="num">{fmtUsd(u.expectedUsd, 0)}</td>
                <td className="num">{fmtUsd(h.p95Usd, 0)}</td><td className="num">{fmtUsd(u.p95Usd, 0)}</td>
                <td className="num">{fmtUsd(h.costAtRiskUsd, 0)}</td><td className="num">{fmtUsd(u.costAtRiskUsd, 0)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
      <section id="scenario" aria-labelledby="scenario-h" className="panel">
        <h2 id="scenario-h">Scenario: what if prices or demand move</h2>
        <ScenarioPanel lines={b.lines} classNames={b.classNames} budgetUsd={b.budgetUsd} quarter={b.quarter.label} />
      </section>
    </>
  );
}

async function MtmSection({ ctx }: { ctx: Ctx }) {
  const [marks, history, realised] = await Promise.all([portfolioMarks(ctx), marksHistory(ctx), realisedPnl(ctx)]);
  return (
    <section id="mtm" aria-labelledby="mtm-h" className="panel">
      <h2 id="mtm-h">Mark-to-market</h2>
      {!marks ? (
        <div className="empty">No marks yet. Open contracts are valued after each curve rebuild and nightly.</div>
      ) : (
        <>
          <p className="muted">
            Marks of {marks.asOf}: each contract valued against the curve in force and the spot index (buyer of the fixed price: positive when the market is above the strike), unrealised months discounted at the org&apos;s rate.
            Service-credit contracts are marked as if financially settled — the price protection they carry; unused credits lapse, which the mark does not show.
          </p>
          <div className="grid">
            <div className="panel kpi"><div className="label">Portfolio MTM</div><div className="value" data-testid="mtm-total" title={fmtUsd(marks.total.valueUsd)}>{fmtUsdCompact(marks.total.valueUsd)}</div><div className="muted">{marks.total.count} contracts · realised {fmtUsd(marks.total.realisedUsd, 0)}, unrealised {fmtUsd(marks.total.unrealisedUsd, 0)}</div></div>
            <div className="panel kpi"><div className="label">Change since {marks.previousAsOf ?? "yesterday"}</div><div className="value" title={signedUsd(marks.change1d?.changeUsd)}>{signedUsdCompact(marks.change1d?.changeUsd)}</div><div className="muted">{marks.change1d ? `on the ${marks.change1d.contracts} contracts held on both days` : "no earlier mark"}</div></div>
            <div className="panel kpi"><div className="label">Change since {marks.monthAgoAsOf ?? "a month ago"}</div><div className="value" title={signedUsd(marks.change1m?.changeUsd)}>{signedUsdCompact(marks.change1m?.changeUsd)}</div><div className="muted">{marks.change1m ? `on the ${marks.change1m.contracts} contracts held on both days` : "no mark a month back"}</div></div>
            <div className="panel kpi"><div className="label">Realised P&amp;L (financial settlements)</div><div className="value" title={fmtUsd(realised.financialUsd)}>{fmtUsdCompact(realised.financialUsd)}</div><div className="muted"><Link href="/contracts?status=SETTLED">{realised.financialMonths} settled months</Link>{realised.credits.months ? ` · credits used ${fmtTokens(realised.credits.usedTokens)}, forfeited ${fmtTokens(realised.credits.forfeitedTokens)}` : ""}</div></div>
          </div>
          {history.portfolio.length > 0 && (
            <>
              <MtmChart portfolio={history.portfolio} contracts={history.contracts.map((c) => ({ contractId: c.contractId, reference: c.reference }))} />
              <p className="muted">The portfolio line sums the contracts live each day: it steps when a contract is booked, and drops when one&apos;s window ends — its value is then realised in settlements.</p>
            </>
          )}
          <div className="grid3">
            <GroupTable caption="By class" rows={marks.byClass} href={(k) => `/contracts?modelClassId=${k}`} />
            <GroupTable caption="By counterparty" rows={marks.byCounterparty} href={(k) => `/contracts?counterpartyId=${k}`} />
            <GroupTable caption="By settlement type" rows={marks.bySettlement} />
          </div>
          <h3>Contracts</h3>
          <div className="table-wrap">
            <table className="data" data-testid="mtm-contracts">
              <thead><tr><th>Contract</th><th>Class</th><th>Counterparty</th><th>Settlement</th><th>Window</th><th className="num">MTM</th><th className="num">Realised</th><th className="num">Unrealised</th><th className="num">Change since {marks.previousAsOf ?? "—"}</th><th>Curve</th></tr></thead>
              <tbody>
                {marks.lines.map((l) => (
                  <tr key={l.contractId}>
                    <td className="nowrap"><Link href={`/contracts/${l.contractId}`}>{l.reference}</Link></td>
                    <td>{l.modelClass.name}</td><td>{l.counterparty.name}</td>
                    <td>{l.settlement === "FINANCIAL" ? "financial" : "service credits*"}</td>
                    <td className="nowrap">{l.windowStart} → {l.windowEnd}</td>
                    <td className="num">{fmtUsd(l.valueUsd)}</td><td className="num">{fmtUsd(l.realisedUsd)}</td><td className="num">{fmtUsd(l.unrealisedUsd)}</td>
                    <td className="num">{signedUsd(l.changeUsd)}</td>
                    <td>{l.curveAsOf ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">* marked as a financial forward. <Link href="/contracts">Blotter</Link> · per-month detail in the <a href="/api/v1/marks?format=csv&detail=periods" download>marks by month CSV</a> (same layout as <code>npm run value</code>).</p>
        </>
      )}
    </section>
  );
}

function GroupTable({ caption, rows, href }: { caption: string; rows: { key: string; label: string; count: number; valueUsd: string; realisedUsd: string; unrealisedUsd: string }[]; href?: (key: string) => string }) {
  return (
    <div className="table-wrap"><table className="data">
      <caption className="muted" style={{ textAlign: "left", padding: ".5rem" }}>{caption}</caption>
      <thead><tr><th scope="col"> </th><th scope="col" className="num">Contracts</th><th scope="col" className="num">MTM</th><th scope="col" className="num">Realised</th><th scope="col" className="num">Unrealised</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{href ? <Link href={href(r.key)}>{r.label}</Link> : r.label}</th>
            <td className="num">{r.count}</td><td className="num">{fmtUsd(r.valueUsd, 0)}</td><td className="num">{fmtUsd(r.realisedUsd, 0)}</td><td className="num">{fmtUsd(r.unrealisedUsd, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

async function SpendSection({ ctx }: { ctx: Ctx }) {
  const s = await spendView(ctx);
  if (!s)
    return (
      <section id="spend" aria-labelledby="spend-h" className="panel">
        <h2 id="spend-h">Spend</h2>
        <div className="empty">No usage imported yet, so there is no spend to show.</div>
      </section>
    );
  const total3m = s.byClass3m.reduce((t, r) => t.plus(r.listCostUsd), new Decimal(0));
  return (
    <section id="spend" aria-labelledby="spend-h" className="panel">
      <h2 id="spend-h">Spend at list price</h2>
      <p className="muted">AI spend at catalog list price (the unhedged benchmark), data through {s.last}. <Link href="/usage">Explore usage</Link></p>
      <div className="grid">
        <div className="panel kpi"><div className="label">Spend, {s.lastMonth}</div><div className="value" data-testid="spend-month" title={fmtUsd(s.lastMonthUsd)}>{fmtUsdCompact(s.lastMonthUsd)}</div></div>
        <div className="panel kpi"><div className="label">Change vs {s.previousMonth}</div><div className="value">{s.growthPct === null ? "—" : `${s.growthPct.startsWith("-") ? "" : "+"}${s.growthPct}%`}</div></div>
        <div className="panel kpi"><div className="label">Annualised ({s.lastMonth} × 12)</div><div className="value" title={fmtUsd(s.runRateUsd)}>{fmtUsdCompact(s.runRateUsd)}</div></div>
        {s.monthToDate && <div className="panel kpi"><div className="label">{s.monthToDate.month} to {s.last}</div><div className="value" title={fmtUsd(s.monthToDate.usd)}>{fmtUsdCompact(s.monthToDate.usd)}</div></div>}
      </div>
      <SpendChart classes={s.classes} rows={s.stacked} />
      <h3>Monthly spend by class</h3>
      <div className="table-wrap">
        <table className="data" data-testid="spend-table">
          <thead><tr><th>Month</th>{s.classes.map((c) => <th key={c.id} className="num">{c.name}</th>)}<th className="num">Input tokens</th><th className="num">Output tokens</th><th className="num">Spend at list</th></tr></thead>
          <tbody>
            {s.monthly.map((r) => {
              const byClass = s.stacked.find((x) => x.month === r.month)?.byClass ?? {};
              return (
                <tr key={r.month}>
                  <td>{r.month}{r.partial && <span className="muted"> (to {s.last})</span>}</td>
                  {s.classes.map((c) => <td key={c.id} className="num">{fmtUsd(byClass[c.id] ?? "0")}</td>)}
                  <td className="num">{fmtTokens(r.inputTokens)}</td><td className="num">{fmtTokens(r.outputTokens)}</td><td className="num">{fmtUsd(r.listCostUsd)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3>By model class, last three complete months</h3>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Class</th><th className="num">Input tokens</th><th className="num">Output tokens</th><th className="num">Spend at list</th><th className="num">Share</th></tr></thead>
          <tbody>{s.byClass3m.map((r) => (
            <tr key={r.key}><td>{r.key}</td><td className="num">{fmtTokens(r.inputTokens)}</td><td className="num">{fmtTokens(r.outputTokens)}</td><td className="num">{fmtUsd(r.listCostUsd)}</td>
              <td className="num">{total3m.isZero() ? "—" : `${new Decimal(r.listCostUsd).div(total3m).mul(100).toFixed(1)}%`}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </section>
  );
}
