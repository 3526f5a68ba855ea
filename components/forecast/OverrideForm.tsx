"use client";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";
import { TeamPicker } from "@/components/ui/TeamPicker";

type Opt = { id: string; name: string };
export function OverrideForm({ classes, lockedTeam }: { classes: Opt[]; lockedTeam?: Opt }) {
  const { submit, pending, error } = useSubmit<{ adjustedForecasts: number }>("/api/v1/forecast-overrides");
  return (
    <form className="form inline" aria-label="Add a planner event" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; if (await submit(formObject(f))) f.reset(); }}>
      {!lockedTeam && (
        <>
          <TeamPicker label="Team" ariaLabel="Event team" name="teamId" selected={null} />
          {error?.fields.teamId && <span className="field-error">{error.fields.teamId}</span>}
        </>
      )}
      <Field name="modelClassId" label="Model class" error={error}>
        <select name="modelClassId" aria-label="Event model class">{classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
      </Field>
      <Field name="description" label="Event" placeholder="New support bot launches" error={error} required />
      <Field name="startsOn" label="From" type="date" error={error} required />
      <Field name="endsOn" label="Until (optional)" type="date" error={error} />
      <Field name="changePct" label="Change %" inputMode="decimal" placeholder="30" error={error} required />
      <button className="btn primary" aria-disabled={pending}>Add event</button>
      <FormError error={error} />
    </form>
  );
}
