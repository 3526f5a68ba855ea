"use client";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

export function CounterpartyForm() {
  const { submit, pending, error } = useSubmit("/api/v1/counterparties");
  return (
    <form className="panel" aria-label="Add a counterparty" onSubmit={async (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      if (await submit(formObject(form))) form.reset();
    }}>
      <h2>Add a counterparty</h2>
      <div className="form-grid">
        <Field name="name" label="Name" error={error} required />
        <Field name="rating" label="Rating" error={error} required />
        <Field name="limitUsd" label="Exposure limit (USD)" error={error} inputMode="decimal" required />
      </div>
      <FormError error={error} />
      <div className="actions"><button className="btn primary" type="submit" aria-disabled={pending}>Add counterparty</button></div>
    </form>
  );
}
