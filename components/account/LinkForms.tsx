"use client";
import Link from "next/link";
import { useState } from "react";
import { Field } from "@/components/ui/Field";
import type { ApiError } from "@/components/ui/useApi";
import { acceptInvitationAction, joinInvitationAction, resetPasswordAction, type LinkActionResult } from "@/lib/auth/link-actions";

function useLinkAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [doneFor, setDoneFor] = useState<string | null>(null);
  async function run(action: () => Promise<LinkActionResult>) {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const r = await action();
      if (r.ok) setDoneFor(r.email);
      else setError({ message: r.message, fields: r.fields });
    } finally {
      setPending(false);
    }
  }
  return { run, pending, error, doneFor };
}

function Outcome({ error, doneFor, done }: { error: ApiError | null; doneFor: string | null; done: string }) {
  if (doneFor) return <p className="success" role="status">{done} <Link href="/sign-in">Sign in as {doneFor}</Link>.</p>;
  if (error && Object.keys(error.fields).length === 0) return <p role="alert" className="error">{error.message}</p>;
  return null;
}

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const { run, pending, error, doneFor } = useLinkAction();
  if (doneFor) return <Outcome error={error} doneFor={doneFor} done="Welcome aboard: your account is ready." />;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void run(() => acceptInvitationAction(token, { name: String(f.get("name") ?? ""), password: String(f.get("password") ?? "") }));
      }}
    >
      <label>
        Email
        <input value={email} readOnly autoComplete="username" />
      </label>
      <Field name="name" label="Your name" error={error} autoComplete="name" required />
      <Field name="password" label="Password (12+ characters, not a common one)" type="password" autoComplete="new-password" error={error} required />
      <button className="btn primary" aria-disabled={pending}>{pending ? "Joining…" : "Join"}</button>
      <Outcome error={error} doneFor={null} done="" />
    </form>
  );
}

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const { run, pending, error, doneFor } = useLinkAction();
  if (doneFor) return <Outcome error={error} doneFor={doneFor} done="Your password is set and every earlier session is signed out." />;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void run(() => resetPasswordAction(token, { password: String(f.get("password") ?? "") }));
      }}
    >
      <label>
        Email
        <input value={email} readOnly autoComplete="username" />
      </label>
      <Field name="password" label="New password (12+ characters, not a common one)" type="password" autoComplete="new-password" error={error} required />
      <button className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : "Set password"}</button>
      <Outcome error={error} doneFor={null} done="" />
    </form>
  );
}

/** An invitation for someone who already has an account: they join with it while signed in. */
export function JoinInvitationButton({ token, orgName }: { token: string; orgName: string }) {
  const { run, pending, error, doneFor } = useLinkAction();
  if (doneFor) return <p className="success" role="status">You joined {orgName}. <Link href="/">Continue</Link> and switch to it from the organization menu.</p>;
  return (
    <>
      <button type="button" className="btn primary" aria-disabled={pending} onClick={() => void run(() => joinInvitationAction(token))}>
        {pending ? "Joining…" : `Join ${orgName}`}
      </button>
      <Outcome error={error} doneFor={null} done="" />
    </>
  );
}
