"use client";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

export function CreateMappingForm({ teams, defaults }: { teams: { id: string; name: string }[]; defaults?: { source: string; externalId: string } }) {
  const { submit, pending, error } = useSubmit("/api/v1/team-mappings");
  return (
    <form className="form inline" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; if (await submit(formObject(f))) f.reset(); }}>
      <Field name="source" label="Source" error={error}>
        <select name="source" defaultValue={defaults?.source ?? "OPENAI_PROJECT"}>
          <option value="OPENAI_PROJECT">OpenAI project</option>
          <option value="OPENAI_API_KEY">OpenAI API key</option>
          <option value="ANTHROPIC_WORKSPACE">Anthropic workspace</option>
          <option value="ANTHROPIC_API_KEY">Anthropic API key</option>
          <option value="FOCUS_TAG">FOCUS tag / sub-account</option>
        </select>
      </Field>
      <Field name="externalId" label="External id" defaultValue={defaults?.externalId} error={error} required />
      <Field name="teamId" label="Team" error={error}>
        <select name="teamId">{teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select>
      </Field>
      <button className="btn primary" aria-disabled={pending}>Map to team</button>
      <FormError error={error} />
    </form>
  );
}

/** label names what is deleted ("Delete mapping OpenAI project proj_123"), so the row's buttons are told apart. */
export function DeleteMappingButton({ id, label }: { id: string; label: string }) {
  const { submit, pending, error } = useSubmit(`/api/v1/team-mappings/${id}`, "DELETE");
  return (<><button type="button" className="btn danger" aria-disabled={pending} aria-label={`Delete mapping ${label}`} onClick={() => void submit()}>Delete</button><FormError error={error} /></>);
}
