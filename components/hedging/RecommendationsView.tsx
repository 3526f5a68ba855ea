"use client";
import Link from "next/link";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { apiFetch } from "@/components/ui/useApi";
import { ChartTable } from "@/components/ui/ChartTable";
import { SERIES, legendText } from "@/components/ui/palette";
import { fmtTokens, fmtUsd } from "@/lib/format";

type Strategy = { expectedUsd: string; p95Usd: string; costAtRiskUsd: string; premiumVsUnhedgedUsd: string; overHedgeProb: number; budgetExceedProb: number | null; quantityTokens: string };
type Month = {
  id: string;
  status: string;
  month: string;
  p10DemandTokens: string;
  p50DemandTokens: string;
  p90DemandTokens: string;
  contractedTokens: string;
  quantityTokens: string;
  toBookTokens: string;
  coveragePct: string;
  strikeUsdPerMTokens: string;
  forwardUsdPerMTokens: string;
  strategies: Record<string, Strategy>;
  why: string;
  warnings: string[];
};
type Bin = { fromUsd: number; toUsd: number; hedged: number; unhedged: number };
export type ClassRecs = {
  modelClassId: string;
  name: string;
  settlement: string;
  warnings: string[];
  notes: string[];
  total: Record<string, Strategy>;
  histogram: { bins: Bin[] };
  months: Month[];
};
type Evaluation = { total: Record<string, Strategy>; months: { month: string; quantityTokens: string; coveragePct: string | null; custom: Strategy }[]; histogram: { bins: Bin[] } };

const pct = (p: number | null) => (p === null ? "—" : `${(p * 100).toFixed(1)}%`);
const LABEL: Record<string, string> = { unhedged: "Unhedged", policyMinimum: "Policy minimum", recommended: "Recommended", custom: "Custom" };

function CostChart({ bins, hedgedLabel }: { bins: Bin[]; hedgedLabel: string }) {
  const rows = bins.map((b) => ({ cost: fmtUsd(Math.round((b.fromUsd + b.toUsd) / 2), 0), hedged: b.hedged, unhedged: b.unhedged }));
  return (
    <figure className="chart-figure">
      <div className="chart" role="img" aria-label={`Distribution of total cost over the horizon: ${hedgedLabel} vs unhedged`}>
        <ResponsiveContainer>
          <BarChart data={rows} barGap={0} barCategoryGap={1} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="cost" minTickGap={40} />
            <YAxis allowDecimals={false} width={50} label={{ value: "paths", angle: -90, position: "insideLeft" }} />
            <Tooltip />
            <Legend formatter={legendText} />
            <Bar dataKey="unhedged" name="Unhedged" fill={SERIES[1]} isAnimationActive={false} />
            <Bar dataKey="hedged" name={hedgedLabel} fill={SERIES[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption={`Simulated paths by total cost: ${hedgedLabel.toLowerCase()} vs unhedged`}
        head={["Total cost", "Unhedged paths", `${hedgedLabel} paths`]}
        numeric={[false, true, true]}
        rows={bins.map((b) => [`${fmtUsd(Math.round(b.fromUsd), 0)} – ${fmtUsd(Math.round(b.toUsd), 0)}`, b.unhedged, b.hedged])}
      />
    </figure>
  );
}

/** One class's recommendation: strategies side by side, the monthly plan, the cost distribution, a custom what-if. */
export function RecommendationsView({ classes, data, canBook }: { classes: { id: string; name: string }[]; data: ClassRecs; canBook: boolean }) {
  const [custom, setCustom] = useState<Record<string, string>>(() => Object.fromEntries(data.months.map((m) => [m.month, m.quantityTokens])));
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pending, setPending] = useState(false);
  const strategies = ["unhedged", "policyMinimum", "recommended", ...(evaluation ? ["custom"] : [])];
  const total: Record<string, Strategy> = { ...data.total, ...(evaluation ? { custom: evaluation.total.custom } : {}) };

  async function evaluate(e: React.FormEvent) {
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const r = await apiFetch<Evaluation>("/api/v1/recommendations/evaluate", {
        method: "POST",
        body: JSON.stringify({ modelClassId: data.modelClassId, quantities: data.months.map((m) => ({ month: m.month, quantityTokens: (custom[m.month] ?? "0").replace(/[,_\s]/g, "") })) }),
      });
      setEvaluation(r);
    } catch (err) {
      setError({ message: (err as Error).message, fields: (err as { fields?: Record<string, string> }).fields ?? {} });
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <nav aria-label="Model classes" className="tabs">
        {classes.map((c) => (
          <Link key={c.id} href={`?class=${c.id}`} className={`btn ${c.id === data.modelClassId ? "primary" : ""}`} aria-current={c.id === data.modelClassId ? "page" : undefined}>
            {c.name}
          </Link>
        ))}
      </nav>
      <section className="panel" aria-labelledby="strategies-h">
        <h2 id="strategies-h">{data.name}: whole horizon ({data.months.length} months, {data.settlement === "FINANCIAL" ? "financially settled" : "service credits"})</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr><th>Strategy</th><th className="num">Tokens hedged</th><th className="num">Expected cost</th><th className="num">P95 cost</th><th className="num">Cost at risk</th><th className="num">Premium vs unhedged</th><th className="num">P(over-hedged)</th><th className="num">P(over budget)</th></tr>
            </thead>
            <tbody>
              {strategies.map((k) => total[k] && (
                <tr key={k} data-testid={`total-${k}`}>
                  <th scope="row">{LABEL[k]}</th>
                  <td className="num">{fmtTokens(total[k].quantityTokens)}</td>
                  <td className="num">{fmtUsd(total[k].expectedUsd, 0)}</td>
                  <td className="num">{fmtUsd(total[k].p95Usd, 0)}</td>
                  <td className="num">{fmtUsd(total[k].costAtRiskUsd, 0)}</td>
                  <td className="num">{fmtUsd(total[k].premiumVsUnhedgedUsd, 0)}</td>
                  <td className="num">{pct(total[k].overHedgeProb)}</td>
                  <td className="num">{pct(total[k].budgetExceedProb)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {[...data.warnings, ...data.notes].length > 0 && <ul className="muted">{[...data.warnings, ...data.notes].map((w) => <li key={w}>{w}</li>)}</ul>}
      </section>
      <section className="panel" aria-labelledby="chart-h">
        <h2 id="chart-h">Total cost distribution: {evaluation ? "custom" : "recommended"} hedge vs unhedged</h2>
        <CostChart bins={(evaluation ?? data).histogram.bins} hedgedLabel={evaluation ? "Custom hedge" : "Recommended hedge"} />
      </section>
      <form className="panel" aria-labelledby="months-h" onSubmit={evaluate}>
        <h2 id="months-h">By delivery month</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>Month</th><th className="num">Demand P10 / P50 / P90</th><th className="num">Contracted</th><th className="num">Recommended</th><th className="num">To book</th>
                <th className="num">Coverage of P50</th><th className="num">Strike / forward</th><th className="num">Unhedged exp. / P95</th><th className="num">Hedged exp. / P95</th>
                <th className="num">P(over-hedged)</th><th>Custom quantity (tokens)</th>{evaluation && <th className="num">Custom exp. / P95</th>}
              </tr>
            </thead>
            <tbody>
              {data.months.map((m, i) => {
                const ev = evaluation?.months.find((x) => x.month === m.month);
                const field = `quantities.${i}.quantityTokens`;
                return [
                  <tr key={m.month}>
                    <th scope="row">{m.month}</th>
                    <td className="num">{fmtTokens(m.p10DemandTokens)} / {fmtTokens(m.p50DemandTokens)} / {fmtTokens(m.p90DemandTokens)}</td>
                    <td className="num">{fmtTokens(m.contractedTokens)}</td>
                    <td className="num" data-testid={`rec-${m.month}`}>{fmtTokens(m.quantityTokens)}</td>
                    <td className="num">
                      {fmtTokens(m.toBookTokens)}
                      {canBook && m.toBookTokens !== "0" && m.status === "OPEN" && <> <Link href={`/contracts/new?recommendation=${m.id}`} aria-label={`Book ${m.month}`}>Book</Link></>}
                    </td>
                    <td className="num">{m.coveragePct}%</td>
                    <td className="num">{fmtUsd(m.strikeUsdPerMTokens, 4)} / {fmtUsd(m.forwardUsdPerMTokens, 4)}</td>
                    <td className="num">{fmtUsd(m.strategies.unhedged.expectedUsd, 0)} / {fmtUsd(m.strategies.unhedged.p95Usd, 0)}</td>
                    <td className="num">{fmtUsd(m.strategies.recommended.expectedUsd, 0)} / {fmtUsd(m.strategies.recommended.p95Usd, 0)}</td>
                    <td className="num">{pct(m.strategies.recommended.overHedgeProb)}</td>
                    <td>
                      <label className="sr-only" htmlFor={`q-${m.month}`}>Custom quantity for {m.month}</label>
                      <input id={`q-${m.month}`} inputMode="numeric" value={custom[m.month] ?? ""} aria-invalid={!!error?.fields[field]} aria-describedby={error?.fields[field] ? `err-${m.month}` : undefined}
                        onChange={(e) => setCustom({ ...custom, [m.month]: e.target.value })} size={16} />
                      {error?.fields[field] && <div id={`err-${m.month}`} className="error">{error.fields[field]}</div>}
                    </td>
                    {evaluation && <td className="num" data-testid={`custom-${m.month}`}>{ev ? `${fmtUsd(ev.custom.expectedUsd, 0)} / ${fmtUsd(ev.custom.p95Usd, 0)}` : "—"}</td>}
                  </tr>,
                  <tr key={`${m.month}-why`} className="why">
                    <td colSpan={evaluation ? 12 : 11}>
                      <span className="muted">Why: </span>{m.why}{" "}
                      {m.warnings.map((w) => <span key={w} className="badge flag">{w}</span>)}
                    </td>
                  </tr>,
                ];
              })}
            </tbody>
          </table>
        </div>
        {error && <p role="alert" className="error">{error.message}</p>}
        <div className="actions">
          <button type="submit" className="btn primary" aria-disabled={pending}>{pending ? "Evaluating…" : "Evaluate custom quantities"}</button>
          {evaluation && <button type="button" className="btn" onClick={() => setEvaluation(null)}>Back to recommended</button>}
        </div>
      </form>
    </>
  );
}
