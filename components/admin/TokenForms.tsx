"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

export function CreateTokenForm() {
  const { submit, pending, error } = useSubmit<{ secret: string; name: string }>("/api/v1/api-tokens");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <form className="form inline" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; const r = await submit(formObject(f)); if (r) { setSecret(r.secret); f.reset(); } }}>
        <Field name="name" label="Name (what uses it)" error={error} required />
        <Field name="scope" label="Scope (what it may call)" error={error}>
          <select name="scope" defaultValue="READ">
            <option value="READ">Read: every GET, no changes</option>
            <option value="INGEST">Ingest: imports, quotes, mappings, aliases; read catalog and teams</option>
            <option value="ADMIN">Admin: what an admin may do</option>
          </select>
        </Field>
        <Field name="expiresInDays" label="Expires after (days, optional)" error={error} type="number" min={1} max={730} />
        <button className="btn primary" aria-disabled={pending}>Create token</button>
        <FormError error={error} />
      </form>
      {secret && (
        <div role="status" style={{ marginTop: "1rem" }}>
          <p className="warning">Copy this secret now. It will not be shown again.</p>
          <p className="secret" data-testid="token-secret">{secret}</p>
        </div>
      )}
    </>
  );
}

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const { submit, pending, error } = useSubmit(`/api/v1/api-tokens/${id}`, "DELETE");
  return (
    <>
      <button type="button" className="btn danger" aria-disabled={pending} aria-label={`Revoke ${name}`} onClick={() => { if (!pending && confirm(`Revoke token "${name}"? Integrations using it stop working.`)) void submit(); }}>Revoke</button>
      <FormError error={error} />
    </>
  );
}
