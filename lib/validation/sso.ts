import { z } from "zod";

const domain = z.string().regex(/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain such as example.com");

/** An org's OpenID Connect settings as an admin sends them (the client secret is write-only). */
export const ssoSettingsSchema = z.object({
  issuer: z
    .string()
    .trim()
    .max(500)
    .refine((v) => URL.canParse(v), "must be the issuer URL, e.g. https://login.example.com")
    .refine((v) => {
      if (!URL.canParse(v)) return true;
      const u = new URL(v);
      // plain http only for a provider on this machine (local testing); anything else must be https
      return u.protocol === "https:" || (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname));
    }, "must use https")
    .refine((v) => !URL.canParse(v) || (!new URL(v).search && !new URL(v).hash && !new URL(v).username), "must not have a query, fragment or credentials")
    .transform((v) => v.replace(/\/+$/, "")),
  clientId: z.string().trim().min(1, "is required").max(200),
  /** empty keeps the stored secret */
  clientSecret: z.string().max(500).optional().default(""),
  allowedDomains: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(/[\s,;]+/)).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))])
    .pipe(z.array(domain).min(1, "name at least one e-mail domain").max(20)),
  defaultRole: z.enum(["CFO", "PROCUREMENT"], { error: "must be CFO or PROCUREMENT (admins and team leads are set by an admin)" }),
  ssoRequired: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

/** What the sign-in page sends to find the org's single sign-on: a work e-mail or the organization's slug. */
export const ssoLookupSchema = z.object({
  who: z.string().trim().toLowerCase().min(2, "Enter your work e-mail or your organization's ID").max(254),
});
