import Decimal from "decimal.js";
import { fmtTokens, fmtUsd } from "@/lib/format";
import type { ChargebackStatement } from "@/lib/services/hedging/chargebacks";
import { ClassTable } from "./ClassTable";
import { Method } from "./Method";
import { TrendChart } from "@/components/ui/charts";
import { BENCHMARK_LABEL, fmtSigned, periodLabel, verdict } from "./labels";

export const csvHref = (s: ChargebackStatement) =>
  `/api/v1/chargebacks?${new URLSearchParams({ period: s.period, ...(s.team ? { teamId: s.team.id } : {}), format: "csv" }).toString()}`;

export function Notes({ notes }: { notes: string[] }) {
  if (!notes.length) return null;
  return (
    <ul className="notes" aria-label="Notes on this statement">
      {notes.map((n) => <li key={n}>{n}</li>)}
    </ul>
  );
}

/** Status of a month as a word a reader can trust: final, provisional (settlement pending) or partial (usage still arriving). */
export const monthStatus = (m: ChargebackStatement["months"][number]) => (m.partial ? "partial" : m.pending.length ? "provisional" : "final");

/** A team's chargeback statement: what its usage cost at the benchmark, what it is charged, why they differ. */
/** `own`: the reader is the team's lead ("your team"); otherwise a CFO or admin reading the team's statement. */
export function Statement({ s, periodForm, own }: { s: ChargebackStatement; periodForm: React.ReactNode; own: boolean }) {
  const who = own ? "your team" : (s.team?.name ?? "the team");
  const benchmarkLabel = BENCHMARK_LABEL[s.benchmark];
  const hedged = s.months.some((m) => m.hedged);
  const pct = new Decimal(s.totals.benchmarkUsd).isZero() ? null : new Decimal(s.totals.hedgeUsd).abs().div(s.totals.benchmarkUsd).mul(100).toFixed(1);
  const statuses = [...new Set(s.months.map(monthStatus))];
  const noUsage = s.totals.tokens === "0" && new Decimal(s.totals.chargeUsd).isZero();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.team?.name ?? "Team"}: chargeback for {periodLabel(s.period)}</h1>
          <p className="muted">
            {s.from} → {s.to} · {statuses.join(" / ")} · {own ? "your team's" : `${who}'s`} usage priced at the {benchmarkLabel.toLowerCase()} and at the hedged blended rate
            {s.team?.costCenter ? ` · cost center ${s.team.costCenter}` : ""}
          </p>
        </div>
        <div className="actions">
          {periodForm}
          <a className="btn" href={csvHref(s)} download>Export CSV</a>
        </div>
      </div>
      <Notes notes={s.notes} />
      {noUsage ? (
        <div className="empty">No usage for {s.team?.name ?? "this team"} in {periodLabel(s.period)}{s.usageThrough ? ` (usage is imported through ${s.usageThrough})` : " (no usage has been imported yet)"}.</div>
      ) : (
        <>
          <div className="grid" role="group" aria-label="Statement totals">
            <div className="panel kpi"><div className="label">{benchmarkLabel}</div><div className="value" data-testid="benchmark-total">{fmtUsd(s.totals.benchmarkUsd)}</div></div>
            <div className="panel kpi"><div className="label">Hedged charge</div><div className="value" data-testid="charge-total">{fmtUsd(s.totals.chargeUsd)}</div></div>
            <div className="panel kpi"><div className="label">Difference (charge − benchmark)</div><div className="value">{fmtSigned(s.totals.hedgeUsd)}</div></div>
            <div className="panel kpi"><div className="label">Tokens (input + output)</div><div className="value">{fmtTokens(s.totals.tokens)}</div></div>
          </div>
          <p className={`verdict ${new Decimal(s.totals.hedgeUsd).isNeg() ? "saved" : new Decimal(s.totals.hedgeUsd).isPos() ? "cost" : ""}`} role="status">
            {verdict(s.totals.hedgeUsd, hedged, who, s.period)}
            {pct && !new Decimal(s.totals.hedgeUsd).isZero() ? ` That is ${pct}% of the benchmark.` : ""}
          </p>
        </>
      )}
      {s.months.length > 1 && (
        <section aria-labelledby="months-h">
          <h2 id="months-h">By month</h2>
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th>Month</th><th>Status</th><th className="num">Tokens</th><th className="num">{benchmarkLabel}</th><th className="num">Hedge effect</th><th className="num">Hedged charge</th></tr></thead>
              <tbody>
                {s.months.map((m) => (
                  <tr key={m.month}>
                    <td>{periodLabel(m.month)}</td><td>{monthStatus(m)}{m.hedged ? "" : " · no settled contract"}</td><td className="num">{fmtTokens(m.tokens)}</td>
                    <td className="num">{fmtUsd(m.benchmarkUsd)}</td><td className="num">{fmtSigned(m.hedgeUsd)}</td><td className="num">{fmtUsd(m.chargeUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <section aria-labelledby="classes-h">
        <h2 id="classes-h">By model class</h2>
        <ClassTable rows={s.classes} benchmarkLabel={benchmarkLabel} team={own ? "your team" : who} />
      </section>
      <section aria-labelledby="models-h">
        <h2 id="models-h">By model</h2>
        {s.models.length === 0 ? <div className="empty">No usage in this period.</div> : (
          <div className="table-wrap">
            <table className="data" aria-label="By model">
              <thead><tr><th>Model</th><th>Class</th><th className="num">Input tokens</th><th className="num">of which cached</th><th className="num">Output tokens</th><th className="num">{benchmarkLabel}</th></tr></thead>
              <tbody>
                {s.models.map((m) => (
                  <tr key={m.modelId}>
                    <td>{`${m.provider} ${m.model}`}</td><td>{m.modelClass}</td><td className="num">{fmtTokens(m.inputTokens)}</td><td className="num">{fmtTokens(m.cachedInputTokens)}</td>
                    <td className="num">{fmtTokens(m.outputTokens)}</td><td className="num">{fmtUsd(m.benchmarkUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">The hedge effect is set per model class (contracts hedge a class, not a model), so it appears in the table above.</p>
      </section>
      <section aria-labelledby="trend-h">
        <h2 id="trend-h">Last 12 months</h2>
        <TrendChart points={s.trend} benchmarkLabel={benchmarkLabel} label={`${s.team?.name ?? "Team"}: ${benchmarkLabel.toLowerCase()} and hedged charge per month, 12 months to ${s.trend.at(-1)?.month}`} />
      </section>
      <Method benchmark={s.benchmark} allocation={s.allocation} />
    </>
  );
}
