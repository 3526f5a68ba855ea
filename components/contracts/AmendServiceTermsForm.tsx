"use client";
import { useState } from "react";
import { useSubmit } from "@/components/ui/useApi";
import { draftOf, ServiceTermsFields, termsBody } from "./ServiceTermsFields";

type Current = Parameters<typeof draftOf>[0];

/** Amends a contract's service terms (a SERVICE_TERMS_AMENDED event on its timeline), with the reason. */
export function AmendServiceTermsForm({ id, current }: { id: string; current: Current }) {
  const [open, setOpen] = useState(false);
  const [terms, setTerms] = useState(() => draftOf(current));
  const [comment, setComment] = useState("");
  const { submit, pending, error } = useSubmit(`/api/v1/contracts/${id}/service-terms`, "PUT");
  if (!open) return <button type="button" className="btn" onClick={() => setOpen(true)}>Amend service terms</button>;
  return (
    <form
      aria-label="Amend service terms"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await submit({ serviceTerms: termsBody(terms), comment })) setOpen(false);
      }}
    >
      <ServiceTermsFields value={terms} onChange={setTerms} errors={error?.fields ?? {}} />
      <label>Why (agreed with the counterparty when; goes on the timeline)
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={2000} required aria-invalid={!!error?.fields.comment} aria-describedby={error?.fields.comment ? "amend-comment-err" : undefined} />
        {error?.fields.comment && <span id="amend-comment-err" className="field-error">{error.fields.comment}</span>}
      </label>
      {error && <p role="alert" className="error">{error.message}</p>}
      <div className="actions">
        <button type="submit" className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : "Save service terms"}</button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
