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

type TeamOption = { id: string; name: string };
const ROLE_OPTIONS = [["ADMIN", "Admin"], ["CFO", "CFO"], ["PROCUREMENT", "Procurement"], ["TEAM_LEAD", "Team lead"]] as const;

/**
 * Role and team of one member. The form appears only when asked for, and no label at rest says "role", "name"
 * or "email", so the page keeps one field of each for the add-user form (e2e/admin.spec.ts finds them by label).
 */
export function EditMemberButton({ userId, name, role, teamId, teams }: { userId: string; name: string; role: string; teamId: string | null; teams: TeamOption[] }) {
  const { submit, pending, error } = useSubmit(`/api/v1/users/${userId}`, "PATCH");
  const [open, setOpen] = useState(false);
  const [newRole, setNewRole] = useState(role);
  if (!open) {
    return <button type="button" className="btn" aria-label={`Edit ${name}`} onClick={() => setOpen(true)}>Edit</button>;
  }
  return (
    <form
      className="form inline"
      aria-label={`Role and team of ${name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const f = formObject(e.currentTarget);
        if (await submit({ role: f.role, teamId: f.role === "TEAM_LEAD" ? (f.teamId ?? null) : null })) setOpen(false);
      }}
    >
      <Field name="role" label="New role" error={error}>
        <select name="role" value={newRole} onChange={(e) => setNewRole(e.target.value)}>
          {ROLE_OPTIONS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
        </select>
      </Field>
      {newRole === "TEAM_LEAD" && (
        <Field name="teamId" label="Team of the lead" error={error}>
          <select name="teamId" defaultValue={teamId ?? ""}>
            <option value="">Choose a team…</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </Field>
      )}
      <button className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : "Save"}</button>
      <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
      <FormError error={error} />
    </form>
  );
}

/** Deactivation takes effect on the member's next request; reactivation restores access (they sign in again). */
export function ActiveToggleButton({ userId, name, active }: { userId: string; name: string; active: boolean }) {
  const { submit, pending, error } = useSubmit(`/api/v1/users/${userId}`, "PATCH");
  const label = active ? "Deactivate" : "Reactivate";
  return (
    <>
      <button
        type="button"
        className={active ? "btn danger" : "btn"}
        aria-disabled={pending}
        aria-label={`${label} ${name}`}
        onClick={() => { if (!pending && (!active || confirm(`Deactivate ${name}? They are signed out at once and their API tokens are revoked.`))) void submit({ active: !active }); }}
      >
        {label}
      </button>
      <FormError error={error} />
    </>
  );
}

/** Issues a one-time reset link (24 h) and shows it once, for the admin to pass on. */
export function ResetLinkButton({ userId, name }: { userId: string; name: string }) {
  const { submit, pending, error } = useSubmit<{ link: string | null; mailed: boolean; email: string; expiresAt: string }>(`/api/v1/users/${userId}/password-reset`);
  const [link, setLink] = useState<string | null>(null);
  const [mailedTo, setMailedTo] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="btn" aria-disabled={pending} aria-label={`Password reset link for ${name}`} onClick={async () => { const r = await submit(); if (r) { setLink(r.link); setMailedTo(r.mailed ? r.email : null); } }}>
        Reset link
      </button>
      {link && (
        <div role="status">
          <p className="warning">Pass this link on to {name}; it works once, for 24 hours, and is not shown again.</p>
          <p className="secret" data-testid="reset-link">{link}</p>
        </div>
      )}
      {mailedTo && <p role="status" className="muted">A one-time reset link (24 hours) was mailed to {mailedTo}.</p>}
      <FormError error={error} />
    </>
  );
}

/** Invitation by email; without SMTP the admin passes the one-time link on. Shown only when opened. */
export function InviteForm({ teams }: { teams: TeamOption[] }) {
  const { submit, pending, error } = useSubmit<{ link: string | null; mailed: boolean; email: string }>("/api/v1/invitations");
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState("PROCUREMENT");
  const [sent, setSent] = useState<{ link: string | null; mailed: boolean; email: string } | null>(null);
  return (
    <>
      {!open ? (
        <button type="button" className="btn" onClick={() => { setOpen(true); setSent(null); }}>Invite someone</button>
      ) : (
        <form
          className="form inline"
          aria-label="Invitation"
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await submit(formObject(e.currentTarget));
            if (r) { setSent(r); setOpen(false); setRole("PROCUREMENT"); }
          }}
        >
          <Field name="email" label="Invitee's email address" type="email" error={error} required />
          <Field name="role" label="Invited as" error={error}>
            <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLE_OPTIONS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </Field>
          {role === "TEAM_LEAD" && (
            <Field name="teamId" label="Team of the invited lead" error={error}>
              <select name="teamId" defaultValue="">
                <option value="">Choose a team…</option>
                {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
            </Field>
          )}
          <button className="btn primary" aria-disabled={pending}>{pending ? "Inviting…" : "Create invitation"}</button>
          <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
          <FormError error={error} />
        </form>
      )}
      {sent?.mailed && <p role="status" className="muted" style={{ marginTop: "1rem" }}>Invitation mailed to {sent.email}; the link works once, for 7 days.</p>}
      {sent?.link && (
        <div role="status" style={{ marginTop: "1rem" }}>
          <p className="warning">No mail server is configured: pass this link on to {sent.email}. It works once, for 7 days, and is not shown again.</p>
          <p className="secret" data-testid="invitation-link">{sent.link}</p>
        </div>
      )}
    </>
  );
}

export function RevokeInvitationButton({ id, email }: { id: string; email: string }) {
  const { submit, pending, error } = useSubmit(`/api/v1/invitations/${id}`, "DELETE");
  return (
    <>
      <button type="button" className="btn danger" aria-disabled={pending} aria-label={`Revoke the invitation of ${email}`} onClick={() => { if (!pending && confirm(`Revoke the invitation of ${email}? The link stops working.`)) void submit(); }}>
        Revoke
      </button>
      <FormError error={error} />
    </>
  );
}
