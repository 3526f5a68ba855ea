import { pageCtx, pageData } from "@/lib/auth/page";
import { filterOptions } from "@/lib/services/lookups";
import { forecastView, listOverrides } from "@/lib/services/forecasts";
import { ForecastChart } from "@/components/ui/charts";
import type { ForecastRow } from "@/components/forecast/ForecastChart";
import { ScopePicker } from "@/components/forecast/ScopePicker";
import { OverrideForm } from "@/components/forecast/OverrideForm";
import { fmtDate, fmtTokens, fmtUsd } from "@/lib/format";
import { monthKey } from "@/lib/domain/time";
import { accuracyInWords } from "@/lib/summaries";

export const metadata = { title: "Forecasts" };

type Bt = { origins: number; horizon: number; mase: number; smape: number; baselineMase: number; baselineSmape: number; coverage: number } | null;
type MetricInfo = { methodLabel: string; fallback: boolean; note: string | null; churned: boolean; historyDays: number; launchedAt: string | null; backtest: Bt };

export default async function ForecastsPage({ searchParams }: { searchParams: Promise<{ team?: string; class?: string; metric?: string }> }) {
  const ctx = await pageCtx();
  const sp = await searchParams;
  const metric = sp.metric === "OUTPUT" ? "OUTPUT" : "INPUT";
  const opts = await filterOptions(ctx);
  const lockedTeam = ctx.role === "TEAM_LEAD" ? opts.teams[0] : undefined;
  const [view, allOverrides] = await Promise.all([pageData(forecastView(ctx, { teamId: lockedTeam?.id ?? sp.team, modelClassId: sp.class })), listOverrides(ctx)]);
  // the events that adjust what is shown: a team's own and the all-teams ones, of the chosen class
  const scopeTeamId = lockedTeam?.id ?? sp.team;
  const overrides = allOverrides.filter((o) => (!scopeTeamId || !o.teamId || o.teamId === scopeTeamId) && (!sp.class || o.modelClassId === sp.class));
  const canAddEvents = ctx.role !== "CFO";
  const scope = [lockedTeam?.name ?? opts.teams.find((t) => t.id === sp.team)?.name ?? "All teams", opts.classes.find((c) => c.id === sp.class)?.name ?? "all classes"].join(" · ");
  const header = (
    <div className="page-head">
      <div>
        <h1>{lockedTeam ? "Team forecast" : "Demand forecasts"}</h1>
        <p className="muted">Daily token demand for the next quarter and the rest of the year with P10 / P50 / P90 bands, from stored forecast runs (after each import and nightly).</p>
      </div>
    </div>
  );
  const picked = sp.team ? opts.teams.find((t) => t.id === sp.team) ?? null : null;
  const picker = <ScopePicker team={picked} classes={opts.classes} lockedTeam={lockedTeam} />;
  if (!view.base) return (<>{header}{picker}<div className="empty">No forecast for {scope} yet. Forecasts run after each usage import and nightly.</div></>);
  const { base, adjusted, history, curve, monthlyCostUsd, classesWithoutCurve, monthlyBands, errorCorrelation } = view;
  const info = (base.metrics as Record<string, MetricInfo>)[metric];
  const pts = base.points.filter((p) => p.metric === metric);
  const adj = adjusted?.points.filter((p) => p.metric === metric) ?? [];
  const rows: ForecastRow[] = [
    ...history.map((h) => ({ date: fmtDate(h.day), actual: Number(metric === "INPUT" ? h.input : h.output) })),
    ...pts.map((p, i) => ({ date: fmtDate(p.date), band: [Number(p.p10), Number(p.p90)] as [number, number], p50: Number(p.p50), adjusted: adj[i] ? Number(adj[i].p50) : undefined })),
  ];
  // monthly totals: input + output tokens, costed at the class curve's price for that delivery month
  const months = new Map<string, { in50: bigint; out50: bigint; adj50: bigint }>();
  base.points.forEach((p) => {
    const m = monthKey(p.date);
    const r = months.get(m) ?? { in50: 0n, out50: 0n, adj50: 0n };
    if (p.metric === "INPUT") r.in50 += p.p50;
    else r.out50 += p.p50;
    months.set(m, r);
  });
  adjusted?.points.forEach((p) => {
    const r = months.get(monthKey(p.date));
    if (r) r.adj50 += p.p50;
  });
  const priceFor = (m: string) => curve.find((c) => c.month === m)?.price ?? null;
  const isSpot = (m: string) => curve.find((c) => c.month === m)?.spot ?? false;
  const bt = info?.backtest;
  const params = base.params as { lastObservedDay: string; horizonDays: number };
  return (
    <>
      {header}
      {picker}
      {ctx.isDemo && <p className="warning">Forecasts of the demo organization are computed from generated demo usage.</p>}
      <div className="grid">
        <section className="panel" aria-label="Forecast chart" style={{ gridColumn: "span 3", minWidth: 0 }}>
          <h2 style={{ marginTop: 0 }}>{scope}: {metric === "INPUT" ? "input" : "output"} tokens per day</h2>
          <ForecastChart rows={rows} label={`Forecast of ${metric.toLowerCase()} tokens for ${scope}`} />
          <p className="muted">As of {fmtDate(base.asOf)}, data through {params.lastObservedDay}, {params.horizonDays} days ahead.{adjusted ? " Dashed: adjusted for planner events; the original is kept." : ""}</p>
        </section>
        <section className="panel" aria-label="How much to trust it">
          <h2 style={{ marginTop: 0 }}>How much to trust it</h2>
          <p><strong>Model:</strong> {info?.methodLabel ?? "—"}</p>
          {info?.note && <p className="warning">{info.note}</p>}
          {info?.launchedAt && <p className="muted">Series starts {info.launchedAt} with its first usage ({info.historyDays} days of history); nothing before a launch is modelled.</p>}
          {bt ? (
            <div data-testid="backtest">
              {(() => {
                const words = accuracyInWords(bt);
                return (
                  <>
                    <p><strong>Compared with repeating last week:</strong> {words.skill}</p>
                    <p><strong>P10–P90 coverage:</strong> {words.band}</p>
                    <p className="muted">Measured by re-running the forecast as if it were {bt.origins} earlier dates and comparing each {bt.horizon}-day forecast with what happened.</p>
                  </>
                );
              })()}
              <details>
                <summary>Technical measures</summary>
                <table className="data">
                  <tbody>
                    <tr><th>MASE</th><td className="num">{bt.mase.toFixed(2)}</td></tr>
                    <tr><th>Seasonal-naive MASE</th><td className="num">{bt.baselineMase.toFixed(2)}</td></tr>
                    <tr><th>sMAPE</th><td className="num">{bt.smape.toFixed(1)}%</td></tr>
                    <tr><th>P10–P90 hit rate</th><td className="num">{(bt.coverage * 100).toFixed(0)}% <span className="muted">(target 80%)</span></td></tr>
                  </tbody>
                </table>
                <p className="muted">MASE is the average error divided by the error of a one-step naive forecast on the history, so both MASEs share one scale: their ratio is the comparison with repeating last week above. Values above 1 are usual for forecasts {bt.horizon} days ahead and do not by themselves mean a poor forecast.</p>
              </details>
            </div>
          ) : (
            <p className="muted">Not enough history yet to test this forecast against the past at this horizon.</p>
          )}
        </section>
      </div>
      <h2>By month (input + output tokens)</h2>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th>Month</th><th className="num">Input P50</th><th className="num">Output P50</th><th className="num">Month total P10</th><th className="num">Month total P90</th>{adjusted && <th className="num">Adjusted total P50</th>}{sp.class && <th className="num">Curve $/1M</th>}<th className="num">Cost at curve (P50)</th></tr></thead>
          <tbody>
            {[...months.entries()].map(([m, r]) => {
              const price = priceFor(m);
              return (
                <tr key={m}>
                  <td>{m}</td><td className="num">{fmtTokens(r.in50)}</td><td className="num">{fmtTokens(r.out50)}</td><td className="num">{monthlyBands[m] ? fmtTokens(monthlyBands[m].p10) : "—"}</td><td className="num">{monthlyBands[m] ? fmtTokens(monthlyBands[m].p90) : "—"}</td>
                  {adjusted && <td className="num">{fmtTokens(r.adj50)}</td>}
                  {sp.class && <td className="num">{price ? `${fmtUsd(price, 4)}${isSpot(m) ? " (spot)" : ""}` : "—"}</td>}
                  <td className="num">{monthlyCostUsd[m] ? fmtUsd(monthlyCostUsd[m]) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">Month total P10–P90: the band of the month&apos;s total demand, not a sum of daily bands — daily errors are correlated day to day ({errorCorrelation.toFixed(2)}, estimated from this scope&apos;s recent history), so part of them cancels within a month.{[...months.keys()].some((m) => monthlyBands[m] && monthlyBands[m].days < 28) ? " Months the forecast covers only in part show that part." : ""}</p>
      <p className="muted">Cost: P50 input + output tokens of each model class priced at that class&apos;s latest forward curve (the current month at spot){sp.class ? "" : ", summed over classes"}.{classesWithoutCurve ? ` ${classesWithoutCurve} class(es) have no curve yet and are not costed.` : ""}</p>
      <h2>Planner events</h2>
      <p className="muted" data-testid="events-scope">
        {scopeTeamId || sp.class ? `Events for ${scope}${scopeTeamId ? " (including those for all teams)" : ""}` : "All events"}
        {overrides.length < allOverrides.length ? `: ${overrides.length} of ${allOverrides.length}.` : "."}
      </p>
      {overrides.length === 0 ? <div className="empty">No planner events{overrides.length < allOverrides.length ? " for this team and class" : ""}.{canAddEvents ? " Add a known launch or change with the form below; the original forecast is kept beside the adjusted one." : " Procurement and team leads record known launches or changes; the original forecast is kept beside the adjusted one."}</div> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th>Event</th><th>Team</th><th>Class</th><th>From</th><th>Until</th><th className="num">Change</th></tr></thead>
            <tbody>{overrides.map((o) => (
              <tr key={o.id}><td>{o.description}</td><td>{o.team?.name ?? "All teams"}</td><td>{o.modelClass.name}</td><td>{fmtDate(o.startsOn)}</td><td>{o.endsOn ? fmtDate(o.endsOn) : "open"}</td><td className="num">{Number(o.changePct) > 0 ? "+" : ""}{o.changePct.toString()}%</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {canAddEvents && (
        <section className="panel" style={{ marginTop: "1rem" }}>
          <h2 style={{ marginTop: 0 }}>Add a planner event</h2>
          <OverrideForm classes={opts.classes} lockedTeam={lockedTeam} />
        </section>
      )}
    </>
  );
}
