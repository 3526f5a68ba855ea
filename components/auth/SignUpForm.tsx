"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/ui/Field";
import type { ApiError } from "@/components/ui/useApi";
import { signUpAction } from "@/lib/auth/signup-actions";

export function SignUpForm() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const f = new FormData(e.currentTarget);
    const input = { orgName: String(f.get("orgName") ?? ""), name: String(f.get("name") ?? ""), email: String(f.get("email") ?? ""), password: String(f.get("password") ?? "") };
    setPending(true);
    setError(null);
    try {
      const r = await signUpAction(input);
      if (!r.ok) {
        setError({ message: r.message, fields: r.fields });
        return;
      }
      const s = await signIn("credentials", { redirect: false, email: r.email, password: input.password });
      if (!s || s.error) {
        router.replace("/sign-in");
        return;
      }
      router.replace("/");
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="form" noValidate aria-label="Create an organization">
      <Field name="orgName" label="Organization name" error={error} autoComplete="organization" required />
      <Field name="name" label="Your name" error={error} autoComplete="name" required />
      <Field name="email" label="Work email" type="email" error={error} autoComplete="username" required />
      <Field name="password" label="Password (12+ characters, not a common one)" type="password" error={error} autoComplete="new-password" required />
      {error && Object.keys(error.fields).length === 0 && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <button type="submit" className="btn primary" aria-disabled={pending}>
        {pending ? "Creating…" : "Create organization"}
      </button>
    </form>
  );
}
