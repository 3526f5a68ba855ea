"use client";
import { useState } from "react";
import { useSubmit } from "@/components/ui/useApi";

/** Approve / reject (CFO, not the booker) and cancel, each with a comment that goes on the timeline. */
export function ContractActions({ id, canDecide, canCancel }: { id: string; canDecide: boolean; canCancel: boolean }) {
  const [comment, setComment] = useState("");
  const approve = useSubmit(`/api/v1/contracts/${id}/approve`);
  const reject = useSubmit(`/api/v1/contracts/${id}/reject`);
  const cancel = useSubmit(`/api/v1/contracts/${id}`, "DELETE");
  const error = approve.error ?? reject.error ?? cancel.error;
  const pending = approve.pending || reject.pending || cancel.pending;
  return (
    <section className="panel" aria-labelledby="decide-h">
      <h2 id="decide-h">{canDecide ? "Decision" : "Actions"}</h2>
      <label>Comment (goes on the timeline{canDecide ? "; required to reject" : ""})
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={2000} aria-invalid={!!error?.fields.comment} />
      </label>
      {error && <p role="alert" className="error">{error.fields.comment ?? error.message}</p>}
      <div className="actions">
        {canDecide && <button type="button" className="btn primary" aria-disabled={pending} onClick={() => approve.submit(comment ? { comment } : {})}>Approve</button>}
        {canDecide && <button type="button" className="btn danger" aria-disabled={pending} onClick={() => reject.submit({ comment })}>Reject</button>}
        {canCancel && <button type="button" className="btn" aria-disabled={pending} onClick={() => cancel.submit(undefined, `/api/v1/contracts/${id}${comment ? `?comment=${encodeURIComponent(comment)}` : ""}`)}>Cancel contract</button>}
      </div>
    </section>
  );
}
