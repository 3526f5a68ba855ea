"use client";
import { getCsrfToken } from "next-auth/react";
import { useState } from "react";
import { findSsoAction } from "@/lib/auth/sso-actions";

/**
 * Single sign-on: the user names their work e-mail (or org ID); the org's provider is found and next-auth's
 * sign-in endpoint for it is called (with its CSRF token). It sets the state, PKCE and nonce cookies and
 * answers with the identity provider's authorization URL, which the browser then opens — a navigation, not a
 * form post, so the page's `form-action 'self'` policy holds.
 */
export function SsoSignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const who = String(new FormData(e.currentTarget).get("who") ?? "");
    setPending(true);
    setError(null);
    try {
      const r = await findSsoAction(who);
      if (!r.ok) {
        setError(r.message);
        return;
      }
      const res = await fetch(`/api/auth/signin/${encodeURIComponent(r.providerId)}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: (await getCsrfToken()) ?? "", callbackUrl: "/", json: "true" }),
      });
      const url = res.ok ? ((await res.json()) as { url?: string }).url : undefined;
      if (!url || !/^https?:\/\//.test(url) || new URL(url).origin === window.location.origin) {
        setError("Single sign-on could not start. Try again, or ask your admin to check the organization's settings.");
        return;
      }
      window.location.assign(url);
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="sso-h" style={{ marginTop: "1.5rem", borderTop: "1px solid var(--line)", paddingTop: "1rem" }}>
      <h2 id="sso-h">Single sign-on</h2>
      <form onSubmit={onSubmit} className="form" noValidate aria-label="Single sign-on">
        <label>
          Work e-mail or organization ID
          <input name="who" type="text" autoComplete="username" required aria-invalid={!!error} aria-describedby={error ? "sso-error" : undefined} />
        </label>
        {error && (
          <p role="alert" className="error" id="sso-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn" aria-disabled={pending}>
          {pending ? "Redirecting…" : "Use single sign-on"}
        </button>
      </form>
    </section>
  );
}
