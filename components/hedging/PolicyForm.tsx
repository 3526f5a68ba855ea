"use client";
import { useState } from "react";
import { useSubmit } from "@/components/ui/useApi";

type Band = { fromMonth: number; toMonth: number; minPct: number; maxPct: number };
type Policy = { bands: Band[]; maxOverHedgeProb: string; maxTenorMonths: number; lotTokens: string; preferredSettlement: "FINANCIAL" | "SERVICE_CREDITS"; quarterlyBudgetUsd: string | null; approvalThresholdUsd: string };

const BAND_FIELD = { fromMonth: "from month", toMonth: "to month", minPct: "minimum %", maxPct: "maximum %" } as const;

/** Edits the org policy or one class's override; field errors come back from the API by name. */
export function PolicyForm({ modelClassId, policy, hasOverride }: { modelClassId: string | null; policy: Policy; hasOverride: boolean }) {
  const [bands, setBands] = useState<Band[]>(policy.bands);
  const { submit, pending, error } = useSubmit("/api/v1/hedge-policy", "PUT");
  const [saved, setSaved] = useState(false);
  const err = (k: string) => error?.fields[k];
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const f = new FormData(e.currentTarget);
    const r = await submit(
      {
        modelClassId,
        bands,
        maxOverHedgeProb: Number(f.get("maxOverHedgePct")) / 100,
        maxTenorMonths: f.get("maxTenorMonths"),
        lotTokens: String(f.get("lotTokens")).replace(/[,_\s]/g, ""),
        preferredSettlement: f.get("preferredSettlement"),
        quarterlyBudgetUsd: String(f.get("quarterlyBudgetUsd") ?? "").trim() || null,
        approvalThresholdUsd: String(f.get("approvalThresholdUsd")).trim(),
      },
    );
    if (r) setSaved(true);
  }
  const setBand = (i: number, k: keyof Band, v: string) => setBands(bands.map((b, j) => (j === i ? { ...b, [k]: Number(v) } : b)));
  return (
    <form onSubmit={onSubmit} aria-label="Hedge policy">
      <div className="table-wrap">
        <table>
          <caption className="muted">Coverage band per tenor, in % of each month&apos;s P50 demand</caption>
          <thead><tr><th>From month</th><th>To month</th><th>Min %</th><th>Max %</th><th /></tr></thead>
          <tbody>
            {bands.map((b, i) => (
              <tr key={i}>
                {(["fromMonth", "toMonth", "minPct", "maxPct"] as const).map((k) => (
                  <td key={k}>
                    <input aria-label={`Band ${i + 1} ${BAND_FIELD[k]}`} type="number" min={0} step={k.endsWith("Pct") ? "any" : 1} value={b[k]} onChange={(e) => setBand(i, k, e.target.value)} size={6} aria-invalid={!!err(`bands.${i}.${k}`)} />
                    {err(`bands.${i}.${k}`) && <div className="error">{err(`bands.${i}.${k}`)}</div>}
                  </td>
                ))}
                <td><button type="button" className="btn link" aria-label={`Remove band ${i + 1}`} onClick={() => bands.length > 1 && setBands(bands.filter((_, j) => j !== i))} aria-disabled={bands.length === 1}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {err("bands") && <p className="error">{err("bands")}</p>}
      <button type="button" className="btn" onClick={() => { const last = bands[bands.length - 1]; setBands([...bands, { fromMonth: (last?.toMonth ?? 0) + 1, toMonth: (last?.toMonth ?? 0) + 3, minPct: 0, maxPct: 30 }]); }}>Add band</button>
      <div className="form-grid">
        <label>Max over-hedge probability (%)<input name="maxOverHedgePct" type="number" step="any" min={0} max={100} defaultValue={(Number(policy.maxOverHedgeProb) * 100).toString()} aria-invalid={!!err("maxOverHedgeProb")} /></label>
        {err("maxOverHedgeProb") && <p className="error">{err("maxOverHedgeProb")}</p>}
        <label>Max tenor (months)<input name="maxTenorMonths" type="number" min={1} max={36} defaultValue={policy.maxTenorMonths} aria-invalid={!!err("maxTenorMonths")} /></label>
        {err("maxTenorMonths") && <p className="error">{err("maxTenorMonths")}</p>}
        <label>Minimum lot (tokens)<input name="lotTokens" inputMode="numeric" defaultValue={policy.lotTokens} aria-invalid={!!err("lotTokens")} /></label>
        {err("lotTokens") && <p className="error">{err("lotTokens")}</p>}
        <label>Preferred settlement
          <select name="preferredSettlement" defaultValue={policy.preferredSettlement}>
            <option value="FINANCIAL">Financial (cash on average spot − strike)</option>
            <option value="SERVICE_CREDITS">Service credits (prepaid, unused forfeited)</option>
          </select>
        </label>
        <label>Quarterly AI budget (USD, optional)<input name="quarterlyBudgetUsd" inputMode="decimal" defaultValue={policy.quarterlyBudgetUsd ?? ""} aria-invalid={!!err("quarterlyBudgetUsd")} /></label>
        {err("quarterlyBudgetUsd") && <p className="error">{err("quarterlyBudgetUsd")}</p>}
        <label>Approval threshold (USD notional)<input name="approvalThresholdUsd" inputMode="decimal" defaultValue={policy.approvalThresholdUsd} aria-invalid={!!err("approvalThresholdUsd")} /></label>
        {err("approvalThresholdUsd") && <p className="error">{err("approvalThresholdUsd")}</p>}
      </div>
      {error && <p role="alert" className="error">{error.message}</p>}
      {saved && <p role="status" className="ok">Saved. New recommendations are being computed.</p>}
      <div className="actions">
        <button type="submit" className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : modelClassId && !hasOverride ? "Save as class override" : "Save policy"}</button>
      </div>
    </form>
  );
}
