"use client";
import { useEffect, useId, useMemo, useState } from "react";
import Decimal from "decimal.js";
import { DEMAND_CHANGE_RANGE, SCENARIO_PRESETS, SPOT_CHANGE_RANGE, scenarioLinesFromJson, stressScenario, type ScenarioLineJson } from "@/lib/domain/scenario";
import { fmtUsd } from "@/lib/format";

type Sim = { hedged: { expectedUsd: string; p95Usd: string; budgetExceedProb: number | null }; unhedged: { expectedUsd: string; p95Usd: string; budgetExceedProb: number | null }; paths: number };

const signed = (d: Decimal) => `${d.isNeg() ? "−" : "+"}${fmtUsd(d.abs().toFixed(0), 0)}`;
const pct = (p: number | null) => (p === null ? "—" : `${(p * 100).toFixed(1)}%`);

/**
 * Stress next quarter's spend. The hedged and unhedged figures at P50 demand and forwards are computed here, in the
 * browser, with the same domain function as GET /api/v1/scenario (lib/domain/scenario.ts), so they change as the
 * controls move; the simulated expected / P95 under the same shock follows from the endpoint a moment later.
 */
export function ScenarioPanel({ lines, classNames, budgetUsd, quarter }: { lines: ScenarioLineJson[]; classNames: Record<string, string>; budgetUsd: string | null; quarter: string }) {
  const [spot, setSpot] = useState(0);
  const [demand, setDemand] = useState(0);
  const [classId, setClassId] = useState("");
  const [sim, setSim] = useState<Sim | null>(null);
  const [simState, setSimState] = useState<"idle" | "loading" | "error">("idle");
  const ids = { spot: useId(), demand: useId(), cls: useId() };
  const parsed = useMemo(() => scenarioLinesFromJson(lines), [lines]);
  const result = useMemo(() => stressScenario(parsed, { spotChangePct: spot, demandChangePct: demand, classKey: classId || null }, budgetUsd), [parsed, spot, demand, classId, budgetUsd]);

  useEffect(() => {
    const ctl = new AbortController();
    setSimState("loading");
    const t = setTimeout(async () => {
      try {
        const qs = new URLSearchParams({ spotChangePct: String(spot), demandChangePct: String(demand), ...(classId ? { modelClassId: classId } : {}) });
        const res = await fetch(`/api/v1/scenario?${qs}`, { signal: ctl.signal });
        if (!res.ok) throw new Error(String(res.status));
        const body = await res.json();
        setSim(body.simulated ? { ...body.simulated } : null);
        setSimState("idle");
      } catch (e) {
        if ((e as Error).name !== "AbortError") setSimState("error");
      }
    }, 300);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [spot, demand, classId]);

  const preset = (p: (typeof SCENARIO_PRESETS)[number]) => {
    setSpot(p.spotChangePct);
    setDemand(p.demandChangePct);
  };
  const t = result.total;
  const rows = [
    { key: "unhedged", label: "Unhedged (all at spot)", base: t.base.unhedgedUsd, stressed: t.stressed.unhedgedUsd, change: t.change.unhedgedUsd, headroom: result.headroom?.unhedgedUsd ?? null },
    { key: "hedged", label: "Hedged (contracts held)", base: t.base.hedgedUsd, stressed: t.stressed.hedgedUsd, change: t.change.hedgedUsd, headroom: result.headroom?.hedgedUsd ?? null },
  ];
  return (
    <div>
      <div className="scenario-controls">
        <div className="tabs" role="group" aria-label="Scenario presets">
          {SCENARIO_PRESETS.map((p) => (
            <button key={p.id} type="button" className={`btn ${spot === p.spotChangePct && demand === p.demandChangePct ? "primary" : ""}`} aria-pressed={spot === p.spotChangePct && demand === p.demandChangePct} onClick={() => preset(p)}>
              {p.label}
            </button>
          ))}
          <button type="button" className="btn" onClick={() => { setSpot(0); setDemand(0); setClassId(""); }}>Reset</button>
        </div>
        <div className="form inline">
          <label htmlFor={ids.spot}>
            Spot change: {spot > 0 ? "+" : ""}{spot}%
            <input id={ids.spot} type="range" min={SPOT_CHANGE_RANGE.min} max={SPOT_CHANGE_RANGE.max} step={5} value={spot} onChange={(e) => setSpot(Number(e.target.value))} aria-valuetext={`${spot}%`} />
          </label>
          <label htmlFor={ids.demand}>
            Demand change: {demand > 0 ? "+" : ""}{demand}%
            <input id={ids.demand} type="range" min={DEMAND_CHANGE_RANGE.min} max={DEMAND_CHANGE_RANGE.max} step={5} value={demand} onChange={(e) => setDemand(Number(e.target.value))} aria-valuetext={`${demand}%`} />
          </label>
          <label htmlFor={ids.cls}>
            Applies to
            <select id={ids.cls} value={classId} onChange={(e) => setClassId(e.target.value)}>
              <option value="">All classes</option>
              {Object.entries(classNames).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </label>
        </div>
      </div>
      <div className="table-wrap">
        <table className="data" aria-live="polite">
          <caption className="muted" style={{ textAlign: "left", padding: ".5rem" }}>{quarter} at P50 demand and today&apos;s forwards, with the scenario applied</caption>
          <thead>
            <tr><th>Spend</th><th className="num">Base</th><th className="num">Scenario</th><th className="num">Change</th><th className="num">{budgetUsd ? `Headroom to ${fmtUsd(budgetUsd, 0)} budget` : "Headroom (no budget set)"}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">{fmtUsd(r.base.toFixed(2), 0)}</td>
                <td className="num" data-testid={`scenario-${r.key}`}>{fmtUsd(r.stressed.toFixed(2), 0)}</td>
                <td className="num" data-testid={`scenario-${r.key}-change`}>{signed(r.change)}</td>
                <td className={`num ${r.headroom?.isNeg() ? "over-budget" : ""}`}>{r.headroom === null ? "—" : signed(r.headroom)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        The hedge&apos;s value in the scenario: {signed(t.stressed.unhedgedUsd.sub(t.stressed.hedgedUsd))} against paying spot for everything
        {result.classes.length > 1 ? ` (${result.classes.map((c) => `${classNames[c.classKey] ?? c.classKey} ${signed(c.stressed.unhedgedUsd.sub(c.stressed.hedgedUsd))}`).join(", ")})` : ""}.
      </p>
      <div role="status" aria-live="polite" className="muted" data-testid="scenario-simulated">
        {simState === "loading" && !sim && "Simulating…"}
        {simState === "error" && "The simulation could not be run; the figures above still apply."}
        {sim && (
          <>
            Simulated with the same shock ({sim.paths.toLocaleString("en-US")} paths{simState === "loading" ? ", updating…" : ""}): hedged expected {fmtUsd(sim.hedged.expectedUsd, 0)}, P95 {fmtUsd(sim.hedged.p95Usd, 0)}
            {budgetUsd ? `, P(over budget) ${pct(sim.hedged.budgetExceedProb)}` : ""}; unhedged expected {fmtUsd(sim.unhedged.expectedUsd, 0)}, P95 {fmtUsd(sim.unhedged.p95Usd, 0)}
            {budgetUsd ? `, P(over budget) ${pct(sim.unhedged.budgetExceedProb)}` : ""}.
          </>
        )}
      </div>
    </div>
  );
}
