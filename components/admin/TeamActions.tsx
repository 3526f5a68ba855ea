"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

/** Rename (a form shown on request) and archive/restore one team. Archived teams keep their history. */
export function TeamActions({ teamId, name, archived }: { teamId: string; name: string; archived: boolean }) {
  const { submit, pending, error } = useSubmit(`/api/v1/teams/${teamId}`, "PATCH");
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <form className="form inline" aria-label={`Title of team ${name}`} onSubmit={async (e) => { e.preventDefault(); if (await submit(formObject(e.currentTarget))) setEditing(false); }}>
        <Field name="name" label="New team title" defaultValue={name} error={error} required />
        <button className="btn primary" aria-disabled={pending}>Save</button>
        <button type="button" className="btn" onClick={() => setEditing(false)}>Cancel</button>
        <FormError error={error} />
      </form>
    );
  }
  return (
    <>
      <button type="button" className="btn" aria-label={`Edit ${name}`} onClick={() => setEditing(true)}>Edit</button>{" "}
      <button
        type="button"
        className="btn"
        aria-disabled={pending}
        aria-label={`${archived ? "Restore" : "Archive"} ${name}`}
        onClick={() => { if (!pending) void submit({ archived: !archived }); }}
      >
        {archived ? "Restore" : "Archive"}
      </button>
      {error?.fields.archived ? <p role="alert" className="error">{error.fields.archived}</p> : <FormError error={error} />}
    </>
  );
}
