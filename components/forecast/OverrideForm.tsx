"use client";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

type Opt = { id: string; name: string };
export function OverrideForm({ teams, classes, lockedTeam }: { teams: Opt[]; classes: Opt[]; lockedTeam?: Opt }) {
  const { submit, pending, error } = useSubmit<{ adjustedForecasts: number }>("/api/v1/forecast-overrides");
  return (
    <form className="form inline" aria-label="Add a planner event" onSubmit={async (e) => { e.preventDefault(); const f = e.currentTarget; if (await submit(formObject(f))) f.reset(); }}>
      {!lockedTeam && (
        <Field name="teamId" label="Team" error={error}>
          <select name="teamId" aria-label="Event team"><option value="">All teams</option>{teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select>
        </Field>
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
