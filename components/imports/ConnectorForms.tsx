"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

/** The add form behind a disclosure whose state survives the page's refresh after each change. */
export function AddConnector({ today, initiallyOpen }: { today: string; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Add a connector</summary>
      <CreateConnectorForm today={today} />
    </details>
  );
}

/** Admin form: a new usage connector. The key goes to the server once and is never shown again (only its hint). */
export function CreateConnectorForm({ today }: { today: string }) {
  const { submit, pending, error } = useSubmit("/api/v1/connectors");
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      className="form form-grid"
      aria-label="Add a usage connector"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = e.currentTarget;
        setDone(null);
        const r = await submit(formObject(f));
        if (r) {
          setDone(`Connector "${(r as { name: string }).name}" added. It syncs nightly; use "Sync now" to start the backfill.`);
          f.reset();
        }
      }}
    >
      <Field name="provider" label="Provider" error={error}>
        <select name="provider" defaultValue="OPENAI">
          <option value="OPENAI">OpenAI</option>
          <option value="ANTHROPIC">Anthropic</option>
        </select>
      </Field>
      <Field name="name" label="Name" error={error} required maxLength={80} placeholder="e.g. OpenAI production org" />
      <Field name="adminKey" label="Admin key" error={error} required type="password" autoComplete="off" spellCheck={false} placeholder="sk-admin-… or sk-ant-admin01-…" />
      <Field name="startDate" label="Backfill from" error={error} required type="date" max={today} />
      <Field name="baseUrl" label="Base URL (optional, https)" error={error} type="url" placeholder="https://api.openai.com" />
      <div className="actions">
        <button className="btn primary" aria-disabled={pending}>{pending ? "Adding…" : "Add connector"}</button>
      </div>
      <FormError error={error} />
      {done && <p role="status" className="success">{done}</p>}
    </form>
  );
}

/** Sync now, enable/disable, replace key and delete for one connector; label names the connector for screen readers. */
export function ConnectorActions({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const sync = useSubmit<{ queued: boolean }>(`/api/v1/connectors/${id}/sync`, "POST");
  const patch = useSubmit(`/api/v1/connectors/${id}`, "PATCH");
  const del = useSubmit(`/api/v1/connectors/${id}`, "DELETE");
  const [queued, setQueued] = useState(false);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="actions">
      {enabled && (
        <button type="button" className="btn primary" aria-disabled={sync.pending} aria-label={`Sync now: ${name}`} onClick={async () => setQueued(!!(await sync.submit()))}>
          Sync now
        </button>
      )}
      <button type="button" className="btn" aria-disabled={patch.pending} aria-label={`${enabled ? "Disable" : "Enable"} ${name}`} onClick={() => void patch.submit({ enabled: !enabled })}>
        {enabled ? "Disable" : "Enable"}
      </button>
      {confirming ? (
        <>
          <button type="button" className="btn danger" aria-disabled={del.pending} aria-label={`Confirm deleting ${name}`} onClick={() => void del.submit()}>Confirm delete</button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>Keep</button>
        </>
      ) : (
        <button type="button" className="btn danger" aria-label={`Delete ${name}`} onClick={() => setConfirming(true)}>Delete</button>
      )}
      {queued && <span role="status" className="muted">Sync queued: the worker runs it shortly. Refresh to see the run.</span>}
      <FormError error={sync.error ?? patch.error ?? del.error} />
    </div>
  );
}

export function ReplaceKeyForm({ id, name }: { id: string; name: string }) {
  const { submit, pending, error } = useSubmit(`/api/v1/connectors/${id}`, "PATCH");
  return (
    <form
      className="form inline"
      aria-label={`Replace the admin key of ${name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const f = e.currentTarget;
        if (await submit(formObject(f))) f.reset();
      }}
    >
      <Field name="adminKey" label="New admin key" error={error} required type="password" autoComplete="off" spellCheck={false} />
      <button className="btn" aria-disabled={pending}>Replace key</button>
      <FormError error={error} />
    </form>
  );
}
