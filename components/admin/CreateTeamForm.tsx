"use client";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

export function CreateTeamForm() {
  const { submit, pending, error } = useSubmit("/api/v1/teams");
  return (
    <form
      className="form inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        if (await submit(formObject(form))) form.reset();
      }}
    >
      <Field name="name" label="Name" error={error} required />
      <Field name="costCenter" label="Cost center (optional)" error={error} />
      <button className="btn primary" aria-disabled={pending}>{pending ? "Creating…" : "Create team"}</button>
      <FormError error={error} />
    </form>
  );
}
