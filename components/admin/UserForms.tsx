"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

export function CreateUserForm({ teams }: { teams: { id: string; name: string }[] }) {
  const { submit, pending, error } = useSubmit("/api/v1/users");
  const [role, setRole] = useState("PROCUREMENT");
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      className="form inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const r = await submit(formObject(form));
        if (r) {
          setDone(`Created ${(r as { email: string }).email}`);
          form.reset();
          setRole("PROCUREMENT");
        }
      }}
    >
      <Field name="name" label="Name" error={error} required />
      <Field name="email" label="Email" type="email" error={error} required />
      <Field name="role" label="Role" error={error}>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="ADMIN">Admin</option>
          <option value="CFO">CFO</option>
          <option value="PROCUREMENT">Procurement</option>
          <option value="TEAM_LEAD">Team lead</option>
        </select>
      </Field>
      {role === "TEAM_LEAD" && (
        <Field name="teamId" label="Team" error={error}>
          <select name="teamId" defaultValue="">
            <option value="">Choose a team…</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </Field>
      )}
      <Field name="password" label="Initial password (12+ chars)" type="password" autoComplete="new-password" error={error} required />
      <button className="btn primary" aria-disabled={pending}>{pending ? "Creating…" : "Create user"}</button>
      <FormError error={error} />
      {done && <p className="success" role="status">{done}</p>}
    </form>
  );
}

export function RemoveUserButton({ userId, name }: { userId: string; name: string }) {
  const { submit, pending, error } = useSubmit(`/api/v1/users/${userId}`, "DELETE");
  return (
    <>
      <button type="button" className="btn danger" aria-disabled={pending} aria-label={`Remove ${name}`} onClick={() => { if (!pending && confirm(`Remove ${name} from the organization?`)) void submit(); }}>
        Remove
      </button>
      <FormError error={error} />
    </>
  );
}
