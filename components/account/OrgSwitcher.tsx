"use client";
import { getCsrfToken } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";

export type OrgChoice = { orgId: string; name: string; role: string; current: boolean; available: boolean };

/**
 * Lists the user's organizations and switches the session's org: next-auth's session update (POST
 * /api/auth/session with its CSRF token) asks lib/auth/options.ts, which re-checks the membership before it
 * re-issues the cookie; every later request resolves that org again (lib/auth/context.ts).
 */
export function OrgSwitcher({ orgs }: { orgs: OrgChoice[] }) {
  const router = useRouter();
  const id = useId();
  const current = orgs.find((o) => o.current);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function switchTo(orgId: string) {
    if (pending || orgId === current?.orgId) return;
    setPending(true);
    setError(null);
    try {
      const csrfToken = await getCsrfToken();
      const res = await fetch("/api/auth/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ csrfToken, data: { orgId } }) });
      const session = res.ok ? ((await res.json()) as { orgId?: string }) : null;
      if (session?.orgId !== orgId) {
        setError("You cannot switch to that organization.");
        return;
      }
      router.replace("/");
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  // a select plus a button, not a change handler: moving through the options with the keyboard must not
  // switch organizations on every arrow key (WCAG 3.2.2)
  return (
    <form
      key={current?.orgId}
      className="org-switcher"
      aria-label="Switch organization"
      onSubmit={(e) => {
        e.preventDefault();
        void switchTo(String(new FormData(e.currentTarget).get("orgId") ?? ""));
      }}
    >
      <label htmlFor={id}>Organization</label>
      <select id={id} name="orgId" defaultValue={current?.orgId ?? ""} aria-describedby={error ? `${id}-err` : undefined}>
        {orgs.map((o) => (
          <option key={o.orgId} value={o.orgId} disabled={!o.available && !o.current}>
            {o.name}
            {!o.available && !o.current ? " (sign in with its single sign-on)" : ""}
          </option>
        ))}
      </select>{" "}
      {/* the sidebar is dark: the same light link colour as "Your account" and "Sign out" there */}
      <button type="submit" className="btn link" style={{ color: "#9fc8f5", padding: 0 }} aria-disabled={pending}>
        {pending ? "Switching…" : "Switch"}
      </button>
      {error && (
        <p id={`${id}-err`} role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
