"use client";

import { useId, useState } from "react";

type Saved = { text: string; by: string; at: string } | null;

/** The CFO's commentary on a month's report: saved with PUT /api/v1/reports/monthly (audited); printed with the report. */
export function CommentaryForm({ month, saved, canEdit }: { month: string; saved: Saved; canEdit: boolean }) {
  const id = useId();
  const [text, setText] = useState(saved?.text ?? "");
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: Saved }>({ busy: false, error: null, saved });
  const dirty = text.trim() !== (state.saved?.text ?? "");

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      const res = await fetch("/api/v1/reports/monthly", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ month, text }) });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `Saving failed (${res.status})`);
      setState({ busy: false, error: null, saved: { text: body.text, by: body.by, at: body.at } });
    } catch (err) {
      setState((s) => ({ ...s, busy: false, error: (err as Error).message }));
    }
  }

  if (!canEdit)
    return state.saved?.text ? <p className="commentary-text">{state.saved.text}</p> : <p className="muted">No commentary for {month} yet (the CFO writes it).</p>;
  return (
    <form onSubmit={save} className="commentary">
      <label htmlFor={`${id}-text`}>Commentary for {month}</label>
      <textarea id={`${id}-text`} rows={6} value={text} onChange={(e) => setText(e.target.value)} maxLength={20_000} aria-describedby={`${id}-status`} />
      <p className="commentary-text print-only">{text || "No commentary."}</p>
      <div className="actions no-print">
        <button type="submit" className="btn primary" disabled={state.busy || !dirty}>{state.busy ? "Saving…" : "Save commentary"}</button>
        <span id={`${id}-status`} role="status" aria-live="polite" className={state.error ? "error" : "muted"}>
          {state.error ?? (state.saved ? `Saved by ${state.saved.by}, ${state.saved.at.slice(0, 16).replace("T", " ")} UTC${dirty ? " · unsaved changes" : ""}` : dirty ? "Not saved yet" : "")}
        </span>
      </div>
    </form>
  );
}
