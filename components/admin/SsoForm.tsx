"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { useSubmit } from "@/components/ui/useApi";

export type SsoSettingsView = {
  configured: boolean;
  callbackUrl: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  allowedDomains: string[];
  defaultRole: string;
  ssoRequired: boolean;
  enabled: boolean;
};

/** The org's OpenID Connect settings (PUT /api/v1/org/sso). The client secret is write-only: blank keeps it. */
export function SsoForm({ sso }: { sso: SsoSettingsView }) {
  const { submit, pending, error } = useSubmit("/api/v1/org/sso", "PUT");
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="form"
      aria-label="Single sign-on settings"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const s = (k: string) => String(f.get(k) ?? "").trim();
        setSaved(false);
        const r = await submit({
          issuer: s("issuer"),
          clientId: s("clientId"),
          clientSecret: s("clientSecret"),
          allowedDomains: s("allowedDomains"),
          defaultRole: s("defaultRole"),
          ssoRequired: f.get("ssoRequired") === "on",
          enabled: f.get("enabled") === "on",
        });
        if (r) {
          setSaved(true);
          (e.target as HTMLFormElement).querySelector<HTMLInputElement>("input[name=clientSecret]")!.value = "";
        }
      }}
    >
      <p className="muted">
        Register this redirect URI with your identity provider: <code data-testid="sso-callback-url">{sso.callbackUrl}</code>
      </p>
      <Field name="issuer" label="Issuer URL" type="url" placeholder="https://login.example.com" defaultValue={sso.issuer} error={error} required />
      <Field name="clientId" label="Client ID" defaultValue={sso.clientId} error={error} required autoComplete="off" />
      <Field
        name="clientSecret"
        label={sso.hasClientSecret ? "Client secret (stored encrypted; leave blank to keep it)" : "Client secret (stored encrypted)"}
        type="password"
        autoComplete="new-password"
        error={error}
      />
      <Field name="allowedDomains" label="Allowed e-mail domains (comma-separated)" placeholder="example.com, example.org" defaultValue={sso.allowedDomains.join(", ")} error={error} required />
      <Field name="defaultRole" label="Role of people who join through single sign-on" error={error}>
        <select name="defaultRole" defaultValue={sso.defaultRole}>
          <option value="PROCUREMENT">Procurement</option>
          <option value="CFO">CFO</option>
        </select>
      </Field>
      <label className="inline">
        <input type="checkbox" name="enabled" defaultChecked={sso.configured ? sso.enabled : true} /> Single sign-on enabled
      </label>
      <label className="inline">
        <input type="checkbox" name="ssoRequired" defaultChecked={sso.ssoRequired} /> SSO required: members cannot sign in with a password (their password sessions end)
      </label>
      <button className="btn primary" aria-disabled={pending}>{pending ? "Checking the provider…" : "Save single sign-on"}</button>
      <FormError error={error} />
      {saved && <p className="success" role="status">Saved. The provider&apos;s discovery document names this issuer.</p>}
    </form>
  );
}
