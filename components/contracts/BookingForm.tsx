"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { apiFetch, type ApiError } from "@/components/ui/useApi";
import { fmtTokens, fmtUsd } from "@/lib/format";
import Decimal from "decimal.js";
import { EMPTY_TERMS, ServiceTermsFields, termsBody, type TermsDraft } from "./ServiceTermsFields";
import { ISO_DATE_INPUT } from "@/components/ui/date-input";

type Prefill = { recommendationId: string; modelClassId: string; windowStart: string; windowEnd: string; quantityTokens: string; strikeUsdPerMTokens: string; settlement: string } | null;

/** The booking form: one idempotency key per submission attempt, kept across retries of the same terms. */
export function BookingForm({ classes, providers, counterparties, lots, prefill }: {
  classes: { id: string; name: string; providerIds: string[] }[];
  providers: { id: string; name: string }[];
  counterparties: { id: string; name: string; rating: string; headroomUsd: string; exposureUsd: string }[];
  lots: Record<string, string>;
  prefill: Prefill;
}) {
  const router = useRouter();
  const [classId, setClassId] = useState(prefill?.modelClassId ?? classes[0]?.id ?? "");
  const [quantity, setQuantity] = useState(prefill?.quantityTokens ?? "");
  const [strike, setStrike] = useState(prefill?.strikeUsdPerMTokens ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const [needsConfirm, setNeedsConfirm] = useState(false);
  const [terms, setTerms] = useState<TermsDraft>(EMPTY_TERMS);
  // a new key whenever the terms change; the same key when the same terms are resubmitted (double click, retry)
  const [key, setKey] = useState(() => crypto.randomUUID());
  const classProviders = providers.filter((p) => classes.find((c) => c.id === classId)?.providerIds.includes(p.id));
  const notional = useMemo(() => {
    try {
      return new Decimal(quantity.replace(/[,_\s]/g, "") || "0").mul(strike || "0").div(1_000_000);
    } catch {
      return null;
    }
  }, [quantity, strike]);
  const err = (k: string) => error?.fields[k];
  const describedBy = (k: string) => (err(k) ? `err-${k}` : undefined);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const f = new FormData(e.currentTarget);
    const body = {
      providerId: f.get("providerId"), modelClassId: classId, counterpartyId: f.get("counterpartyId"),
      quantityTokens: quantity.replace(/[,_\s]/g, ""), windowStart: f.get("windowStart"), windowEnd: f.get("windowEnd"),
      strikeUsdPerMTokens: strike.trim(), settlement: f.get("settlement"), substitutionRule: f.get("substitutionRule"),
      notes: String(f.get("notes") ?? "").trim() || null, recommendationId: prefill?.recommendationId ?? null, serviceTerms: termsBody(terms),
      ...(f.get("confirmFarFromCurve") ? { confirmFarFromCurve: true } : {}),
    };
    setPending(true);
    setError(null);
    try {
      const c = await apiFetch<{ id: string }>("/api/v1/contracts", { method: "POST", body: JSON.stringify(body), headers: { "idempotency-key": key } });
      router.push(`/contracts/${c.id}`);
    } catch (x) {
      const fields = (x as { fields?: Record<string, string> }).fields ?? {};
      setError({ message: (x as Error).message, fields });
      if (fields.strikeUsdPerMTokens?.includes("confirm")) setNeedsConfirm(true);
      if (fields.idempotencyKey) setKey(crypto.randomUUID());
    } finally {
      setPending(false);
    }
  }
  const fieldError = (k: string) => err(k) && <span id={`err-${k}`} className="field-error">{err(k)}</span>;
  return (
    <form className="panel" onSubmit={onSubmit} onChange={() => setKey(crypto.randomUUID())} aria-label="Book a contract">
      <h2>Product — what is agreed</h2>
      <div className="form-grid">
        <label>Model class
          <select name="modelClassId" value={classId} onChange={(e) => setClassId(e.target.value)} aria-invalid={!!err("modelClassId")} aria-describedby={describedBy("modelClassId")}>
            {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          {fieldError("modelClassId")}
        </label>
        <label>Provider
          <select name="providerId" aria-invalid={!!err("providerId")} aria-describedby={describedBy("providerId")}>
            {(classProviders.length ? classProviders : providers).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
          {fieldError("providerId")}
        </label>
        <label>Quantity (tokens, input + output; lot {fmtTokens(lots[classId] ?? "1")})
          <input name="quantityTokens" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} required aria-invalid={!!err("quantityTokens")} aria-describedby={describedBy("quantityTokens")} />
          {fieldError("quantityTokens")}
        </label>
        <label>Delivery window start
          <input {...ISO_DATE_INPUT} name="windowStart" defaultValue={prefill?.windowStart} required aria-invalid={!!err("windowStart")} aria-describedby={describedBy("windowStart")} />
          {fieldError("windowStart")}
        </label>
        <label>Delivery window end (inclusive)
          <input {...ISO_DATE_INPUT} name="windowEnd" defaultValue={prefill?.windowEnd} required aria-invalid={!!err("windowEnd")} aria-describedby={describedBy("windowEnd")} />
          {fieldError("windowEnd")}
        </label>
        <label>Strike (USD per 1M tokens)
          <input name="strikeUsdPerMTokens" inputMode="decimal" value={strike} onChange={(e) => setStrike(e.target.value)} required aria-invalid={!!err("strikeUsdPerMTokens")} aria-describedby={describedBy("strikeUsdPerMTokens")} />
          {fieldError("strikeUsdPerMTokens")}
        </label>
        {needsConfirm && <label className="inline"><input type="checkbox" name="confirmFarFromCurve" value="1" /> Book at this strike although it is far from the curve</label>}
        <label>Settlement
          <select name="settlement" defaultValue={prefill?.settlement ?? "FINANCIAL"}>
            <option value="FINANCIAL">Financial: cash on (average spot − strike) × quantity</option>
            <option value="SERVICE_CREDITS">Service credits: prepaid usage, unused credits forfeited</option>
          </select>
        </label>
      </div>
      <ServiceTermsFields value={terms} onChange={(d) => { setTerms(d); setKey(crypto.randomUUID()); }} errors={error?.fields ?? {}} />
      <h2>Trade — with whom and how it is held</h2>
      <div className="form-grid">
        <label>Counterparty
          <select name="counterpartyId" aria-invalid={!!err("counterpartyId")} aria-describedby={describedBy("counterpartyId")}>
            {counterparties.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.rating}) — open {fmtUsd(c.exposureUsd, 0)} of {fmtUsd(c.headroomUsd, 0)}</option>)}
          </select>
          {fieldError("counterpartyId")}
        </label>
        <label>If the model drifts (new version in this class)
          <select name="substitutionRule" defaultValue="SUCCESSOR_SAME_STRIKE">
            <option value="SUCCESSOR_SAME_STRIKE">Successor model in the same class at the same strike</option>
            <option value="CASH_SETTLE_LAST_PRICE">Cash-settle at the last pre-drift price</option>
            <option value="MANUAL_REVIEW">Manual review</option>
          </select>
        </label>
        <label>Notes<textarea name="notes" rows={2} maxLength={2000} /></label>
      </div>
      <p className="muted" aria-live="polite">Notional: {notional ? fmtUsd(notional.toFixed(2)) : "—"}</p>
      {error && <p role="alert" className="error">{error.message}</p>}
      <div className="actions"><button className="btn primary" type="submit" aria-disabled={pending}>{pending ? "Booking…" : "Book contract"}</button></div>
    </form>
  );
}
