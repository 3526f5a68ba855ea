"use client";
import { signOut } from "next-auth/react";
import { Field, FormError } from "@/components/ui/Field";
import { formObject, useSubmit } from "@/components/ui/useApi";

/** A successful change revokes every session, this one included: the user signs in again with the new password. */
export function ChangePasswordForm() {
  const { submit, pending, error } = useSubmit("/api/v1/account/password");
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await submit(formObject(e.currentTarget))) await signOut({ callbackUrl: "/sign-in" });
      }}
    >
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" error={error} required />
      <Field name="newPassword" label="New password (12+ characters, not a common one)" type="password" autoComplete="new-password" error={error} required />
      <button className="btn primary" aria-disabled={pending}>{pending ? "Changing…" : "Change password"}</button>
      <FormError error={error} />
    </form>
  );
}
