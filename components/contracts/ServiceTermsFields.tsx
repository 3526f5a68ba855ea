"use client";
import { useId } from "react";
import type { CreditRule } from "@/lib/domain/capacity";

export type TierDraft = { metric: "UPTIME" | "LATENCY_P95" | "THROUGHPUT"; threshold: string; creditPct: string };
export type TermsDraft = { reservedTokensPerMinute: string; uptimeCommitmentPct: string; latencyP95Ms: string; supportTier: string; tiers: TierDraft[]; monthlyCapPct: string };

export const EMPTY_TERMS: TermsDraft = { reservedTokensPerMinute: "", uptimeCommitmentPct: "", latencyP95Ms: "", supportTier: "", tiers: [], monthlyCapPct: "" };

type Shown = { reservedTokensPerMinute: string | null; uptimeCommitmentPct: string | null; latencyP95Ms: number | null; supportTier: string | null; serviceCreditRule: CreditRule | null };

/** A contract's stored terms as a form draft. */
export function draftOf(t: Shown | null): TermsDraft {
  if (!t) return EMPTY_TERMS;
  return {
    reservedTokensPerMinute: t.reservedTokensPerMinute ?? "",
    uptimeCommitmentPct: t.uptimeCommitmentPct ? String(Number(t.uptimeCommitmentPct)) : "",
    latencyP95Ms: t.latencyP95Ms?.toString() ?? "",
    supportTier: t.supportTier ?? "",
    tiers: (t.serviceCreditRule?.tiers ?? []).map((x) => ({ metric: x.metric, threshold: x.metric === "UPTIME" ? x.belowPct : x.metric === "LATENCY_P95" ? String(x.aboveMs) : x.belowPctOfReserved, creditPct: x.creditPct })),
    monthlyCapPct: t.serviceCreditRule?.monthlyCapPct ?? "",
  };
}

/** The API body for a draft: null when nothing is filled in (the API reads numbers from numeric strings). */
export function termsBody(d: TermsDraft) {
  const s = (v: string) => v.replace(/[,_\s]/g, "");
  const body = {
    reservedTokensPerMinute: s(d.reservedTokensPerMinute) || null,
    uptimeCommitmentPct: s(d.uptimeCommitmentPct) || null,
    latencyP95Ms: s(d.latencyP95Ms) || null,
    supportTier: d.supportTier || null,
    serviceCreditRule: d.tiers.length
      ? {
          tiers: d.tiers.map((t) =>
            t.metric === "UPTIME" ? { metric: t.metric, belowPct: s(t.threshold), creditPct: s(t.creditPct) } : t.metric === "LATENCY_P95" ? { metric: t.metric, aboveMs: s(t.threshold), creditPct: s(t.creditPct) } : { metric: t.metric, belowPctOfReserved: s(t.threshold), creditPct: s(t.creditPct) },
          ),
          monthlyCapPct: s(d.monthlyCapPct),
        }
      : null,
  };
  return Object.values(body).every((v) => v === null) ? null : body;
}

const THRESHOLD_LABEL = { UPTIME: "Uptime below (%)", LATENCY_P95: "p95 latency above (ms)", THROUGHPUT: "Throughput below (% of reserved)" } as const;
const THRESHOLD_KEY = { UPTIME: "belowPct", LATENCY_P95: "aboveMs", THROUGHPUT: "belowPctOfReserved" } as const;

/** Capacity and service terms inputs; field errors arrive keyed by API path (serviceTerms.…). */
export function ServiceTermsFields({ value, onChange, errors, prefix = "serviceTerms" }: { value: TermsDraft; onChange: (d: TermsDraft) => void; errors: Record<string, string>; prefix?: string }) {
  const uid = useId();
  const key = (k: string) => `${prefix}.${k}`;
  const err = (k: string) => errors[key(k)];
  const described = (k: string) => (err(k) ? `${uid}-${k.replace(/\./g, "-")}` : undefined);
  const fieldError = (k: string) => err(k) && <span id={described(k)} className="field-error">{err(k)}</span>;
  const set = (patch: Partial<TermsDraft>) => onChange({ ...value, ...patch });
  const setTier = (i: number, patch: Partial<TierDraft>) => set({ tiers: value.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const ruleError = errors[key("serviceCreditRule")] ?? errors[key("serviceCreditRule.tiers")];
  return (
    <fieldset className="terms-fields">
      <legend>Capacity and service terms (optional)</legend>
      <div className="form-grid">
        <label>Reserved throughput (tokens per minute)
          <input name="reservedTokensPerMinute" inputMode="numeric" value={value.reservedTokensPerMinute} onChange={(e) => set({ reservedTokensPerMinute: e.target.value })} aria-invalid={!!err("reservedTokensPerMinute")} aria-describedby={described("reservedTokensPerMinute")} />
          {fieldError("reservedTokensPerMinute")}
        </label>
        <label>Uptime commitment (%)
          <input name="uptimeCommitmentPct" inputMode="decimal" value={value.uptimeCommitmentPct} onChange={(e) => set({ uptimeCommitmentPct: e.target.value })} aria-invalid={!!err("uptimeCommitmentPct")} aria-describedby={described("uptimeCommitmentPct")} />
          {fieldError("uptimeCommitmentPct")}
        </label>
        <label>Latency commitment (p95, ms)
          <input name="latencyP95Ms" inputMode="numeric" value={value.latencyP95Ms} onChange={(e) => set({ latencyP95Ms: e.target.value })} aria-invalid={!!err("latencyP95Ms")} aria-describedby={described("latencyP95Ms")} />
          {fieldError("latencyP95Ms")}
        </label>
        <label>Support tier
          <select name="supportTier" value={value.supportTier} onChange={(e) => set({ supportTier: e.target.value })}>
            <option value="">None</option>
            <option value="STANDARD">Standard</option>
            <option value="BUSINESS">Business</option>
            <option value="ENTERPRISE">Enterprise</option>
            <option value="PREMIER">Premier</option>
          </select>
        </label>
      </div>
      <p className="muted">Service credits when a commitment is missed: each tier credits a percentage of the month&apos;s contract value; per metric the deepest tier breached applies, metrics add up to the monthly cap.</p>
      {value.tiers.length > 0 && (
        <table className="data">
          <caption className="sr-only">Service-credit tiers</caption>
          <thead><tr><th scope="col">Metric</th><th scope="col">Threshold</th><th scope="col">Credit (% of month&apos;s value)</th><th scope="col"><span className="sr-only">Remove</span></th></tr></thead>
          <tbody>
            {value.tiers.map((t, i) => {
              const base = `serviceCreditRule.tiers.${i}`;
              return (
                <tr key={i}>
                  <td>
                    <select aria-label={`Tier ${i + 1} metric`} value={t.metric} onChange={(e) => setTier(i, { metric: e.target.value as TierDraft["metric"] })} aria-invalid={!!err(`${base}.metric`)} aria-describedby={described(`${base}.metric`)}>
                      <option value="UPTIME">Uptime</option>
                      <option value="LATENCY_P95">Latency (p95)</option>
                      <option value="THROUGHPUT">Throughput</option>
                    </select>
                    {fieldError(`${base}.metric`)}{fieldError(base)}
                  </td>
                  <td>
                    <input aria-label={`Tier ${i + 1}: ${THRESHOLD_LABEL[t.metric]}`} inputMode="decimal" value={t.threshold} onChange={(e) => setTier(i, { threshold: e.target.value })} aria-invalid={!!err(`${base}.${THRESHOLD_KEY[t.metric]}`)} aria-describedby={described(`${base}.${THRESHOLD_KEY[t.metric]}`)} />
                    <div className="muted">{THRESHOLD_LABEL[t.metric]}</div>
                    {fieldError(`${base}.${THRESHOLD_KEY[t.metric]}`)}
                  </td>
                  <td>
                    <input aria-label={`Tier ${i + 1} credit %`} inputMode="decimal" value={t.creditPct} onChange={(e) => setTier(i, { creditPct: e.target.value })} aria-invalid={!!err(`${base}.creditPct`)} aria-describedby={described(`${base}.creditPct`)} />
                    {fieldError(`${base}.creditPct`)}
                  </td>
                  <td><button type="button" className="btn link" onClick={() => set({ tiers: value.tiers.filter((_, j) => j !== i) })}>Remove<span className="sr-only"> tier {i + 1}</span></button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {ruleError && <p className="field-error">{ruleError}</p>}
      <div className="actions">
        <button type="button" className="btn" onClick={() => set({ tiers: [...value.tiers, { metric: value.tiers.length ? "LATENCY_P95" : "UPTIME", threshold: "", creditPct: "" }] })}>Add a credit tier</button>
        {value.tiers.length > 0 && (
          <label>Monthly cap (% of the month&apos;s value)
            <input name="monthlyCapPct" inputMode="decimal" value={value.monthlyCapPct} onChange={(e) => set({ monthlyCapPct: e.target.value })} aria-invalid={!!err("serviceCreditRule.monthlyCapPct")} aria-describedby={described("serviceCreditRule.monthlyCapPct")} />
            {fieldError("serviceCreditRule.monthlyCapPct")}
          </label>
        )}
      </div>
    </fieldset>
  );
}
