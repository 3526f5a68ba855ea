import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import type { SessionUser } from "@/lib/auth/credentials";
import { open, seal } from "@/lib/auth/crypto";
import { appBaseUrl } from "@/lib/auth/tokens";
import { badRequest, forbidden } from "@/lib/errors";
import { log } from "@/lib/log";
import type { ssoSettingsSchema } from "@/lib/validation/sso";
import { hostRefusal, publicUrlRefusal } from "@/lib/connectors/egress";
import { audit } from "./audit";

/**
 * Single sign-on through OpenID Connect, one configuration per organization (OrgSsoConfig). next-auth signs
 * in through a provider with the id `oidc-<org slug>`, built per request from this configuration
 * (lib/auth/options.ts); it checks state, PKCE and nonce and the ID token's signature and issuer against the
 * provider's discovery document, and completeSsoSignIn below checks the issuer against the configured one,
 * the e-mail domain, and grants just-in-time membership.
 */
export const SSO_PREFIX = "oidc-";
export const ssoProviderId = (orgSlug: string) => `${SSO_PREFIX}${orgSlug}`;
export const ssoCallbackUrl = (orgSlug: string, origin?: string) => `${appBaseUrl(origin)}/api/auth/callback/${ssoProviderId(orgSlug)}`;

/** Why a single sign-on was refused; the sign-in page words each one (app/sign-in). */
export type SsoRefusal = "domain" | "unverified" | "issuer" | "deactivated" | "unconfigured" | "existing";

export async function getSsoSettings(ctx: Ctx, origin?: string) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { slug: true, ssoConfig: true } });
  const c = org.ssoConfig;
  return {
    configured: !!c,
    providerId: ssoProviderId(org.slug),
    callbackUrl: ssoCallbackUrl(org.slug, origin),
    issuer: c?.issuer ?? "",
    clientId: c?.clientId ?? "",
    hasClientSecret: !!c,
    allowedDomains: c?.allowedDomains ?? [],
    defaultRole: c?.defaultRole ?? "PROCUREMENT",
    ssoRequired: c?.ssoRequired ?? false,
    enabled: c?.enabled ?? false,
    updatedAt: c?.updatedAt ?? null,
  };
}

const isLoopback = (host: string) => host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]" || host === "::1";

/**
 * The server fetches the issuer's discovery document (and next-auth its keys and tokens), so an issuer must be a
 * public address: no private, link-local (cloud metadata) or internal host. A provider on this machine
 * (loopback) only while the app itself runs on this machine (NEXTAUTH_URL on localhost: local testing) — else
 * any org admin could probe the server's own ports through the discovery error.
 */
export async function issuerRefusal(issuer: string, opts: { resolve: boolean }): Promise<string | null> {
  const host = new URL(issuer).hostname.toLowerCase();
  if (isLoopback(host)) return isLoopback(new URL(appBaseUrl()).hostname.toLowerCase()) ? null : "must be a public address (a provider on this machine only for local testing)";
  return opts.resolve ? publicUrlRefusal(issuer) : hostRefusal(issuer);
}

/**
 * Reads the provider's discovery document and checks that it names itself with exactly the configured issuer
 * (OpenID Connect Discovery §4.3), so a typo or a look-alike is caught when saving, not at the first sign-in.
 */
export async function checkDiscovery(issuer: string): Promise<void> {
  const refuse = (message: string) => badRequest(`issuer: ${message}`, [{ path: "body.issuer", message }]);
  const why = await issuerRefusal(issuer, { resolve: true });
  if (why) throw refuse(why);
  let doc: { issuer?: unknown; authorization_endpoint?: unknown };
  try {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000), redirect: "error", headers: { accept: "application/json" } });
    if (!res.ok) throw refuse(`the provider's discovery document answered HTTP ${res.status}`);
    doc = (await res.json()) as typeof doc;
  } catch (e) {
    if (e instanceof Error && "status" in e) throw e;
    throw refuse(`could not read ${issuer}/.well-known/openid-configuration (${(e as Error).message})`);
  }
  if (doc.issuer !== issuer) throw refuse(`the provider names itself ${JSON.stringify(doc.issuer)}, not ${issuer}`);
  if (typeof doc.authorization_endpoint !== "string") throw refuse("the discovery document has no authorization_endpoint");
}

/** Saves the org's settings (admin, audited). The client secret is sealed with AES-256-GCM; blank keeps the stored one. */
export async function saveSsoSettings(ctx: Ctx, input: z.output<typeof ssoSettingsSchema>, origin?: string) {
  if (!ctx.actorId) throw forbidden("Only a signed-in admin can change single sign-on");
  // PostgreSQL text refuses NUL: a control character is the admin's typo, answered beside its field (not a 500)
  for (const f of ["issuer", "clientId"] as const)
    if (/[\u0000-\u001f\u007f]/.test(input[f])) throw badRequest(`${f}: must not contain control characters`, [{ path: `body.${f}`, message: "must not contain control characters" }]);
  const existing = await prisma.orgSsoConfig.findUnique({ where: { organizationId: ctx.orgId } });
  if (!existing && !input.clientSecret) throw badRequest("clientSecret: is required", [{ path: "body.clientSecret", message: "is required" }]);
  if (input.enabled) await checkDiscovery(input.issuer);
  else {
    const why = await issuerRefusal(input.issuer, { resolve: false });
    if (why) throw badRequest(`issuer: ${why}`, [{ path: "body.issuer", message: why }]);
  }
  const clientSecretEnc = input.clientSecret ? seal(input.clientSecret, ctx.orgId, "sso client secret") : existing!.clientSecretEnc;
  const data = { issuer: input.issuer, clientId: input.clientId, clientSecretEnc, allowedDomains: input.allowedDomains, defaultRole: input.defaultRole, ssoRequired: input.ssoRequired, enabled: input.enabled };
  await prisma.$transaction(async (tx) => {
    await tx.orgSsoConfig.upsert({ where: { organizationId: ctx.orgId }, create: { organizationId: ctx.orgId, ...data }, update: data });
    const { clientSecretEnc: _sealed, ...shown } = data;
    await audit(tx, ctx, existing ? "sso.updated" : "sso.configured", "Organization", ctx.orgId, { ...shown, clientSecretChanged: !!input.clientSecret });
  });
  return getSsoSettings(ctx, origin);
}

/** next-auth's provider for one org, with the decrypted client secret; null when the org has no enabled SSO. */
export async function ssoProvider(providerId: string) {
  if (!providerId.startsWith(SSO_PREFIX)) return null;
  const org = await prisma.organization.findUnique({ where: { slug: providerId.slice(SSO_PREFIX.length) }, include: { ssoConfig: true } });
  const c = org?.ssoConfig;
  if (!org || !c || !c.enabled) return null;
  let clientSecret: string;
  try {
    clientSecret = open(c.clientSecretEnc, org.id, "sso client secret");
  } catch (err) {
    log.error({ err: { message: (err as Error).message }, orgId: org.id }, "SSO client secret does not decrypt (encryption key changed?)");
    return null;
  }
  return {
    id: providerId,
    name: org.name,
    type: "oauth" as const,
    wellKnown: `${c.issuer}/.well-known/openid-configuration`,
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret,
    idToken: true,
    checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
    authorization: { params: { scope: "openid email profile" } },
    profile(p: Record<string, unknown>) {
      return { id: String(p.sub), email: typeof p.email === "string" ? p.email : null, name: typeof p.name === "string" ? p.name : null };
    },
  };
}

/**
 * Finds the single sign-on for what a user typed on the sign-in page: a work e-mail (its domain must be allowed
 * by exactly one org) or an org's slug. Never says which orgs exist beyond the one found.
 */
export async function findSso(who: string): Promise<{ providerId: string; orgName: string } | { message: string }> {
  const notFound = { message: "No single sign-on is set up for that e-mail domain or organization ID. Sign in with your password, or ask your admin." };
  if (who.includes("@")) {
    const domain = who.split("@").pop()!;
    const configs = await prisma.orgSsoConfig.findMany({ where: { enabled: true, allowedDomains: { has: domain } }, include: { organization: { select: { slug: true, name: true } } }, take: 2 });
    if (configs.length > 1) return { message: "Several organizations use single sign-on for that domain: enter your organization's ID instead." };
    if (!configs[0]) return notFound;
    return { providerId: ssoProviderId(configs[0].organization.slug), orgName: configs[0].organization.name };
  }
  const org = await prisma.organization.findUnique({ where: { slug: who }, include: { ssoConfig: true } });
  if (!org?.ssoConfig?.enabled) return notFound;
  return { providerId: ssoProviderId(org.slug), orgName: org.name };
}

/**
 * Providers that follow the core spec strictly put the e-mail in the UserInfo response, not the ID token. Its
 * claims are taken only for the same subject (OpenID Connect Core §5.3.2); identity (sub, iss) stays the ID token's.
 */
async function withUserInfo(issuer: string, claims: Record<string, unknown>, accessToken: string): Promise<Record<string, unknown>> {
  try {
    const doc = (await (await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000), redirect: "error" })).json()) as { userinfo_endpoint?: string };
    if (!doc.userinfo_endpoint) return claims;
    const res = await fetch(doc.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" }, signal: AbortSignal.timeout(5000), redirect: "error" });
    if (!res.ok) return claims;
    const info = (await res.json()) as Record<string, unknown>;
    if (info.sub !== claims.sub) return claims;
    return { ...claims, email: info.email, email_verified: info.email_verified, name: claims.name ?? info.name };
  } catch (err) {
    log.warn({ err: { message: (err as Error).message }, issuer }, "SSO userinfo request failed");
    return claims;
  }
}

/**
 * After next-auth has verified the callback (state, PKCE, nonce, ID token signature and its issuer against the
 * discovery document): checks the issuer against the configured one, the e-mail (verified, in an allowed
 * domain), and returns the member — creating the user and, just in time, a membership with the default role.
 * A deactivated member stays out. Refusals are audited for the org's security review.
 */
export async function completeSsoSignIn(providerId: string, idTokenClaims: Record<string, unknown>, accessToken?: string): Promise<{ ok: true; user: SessionUser } | { ok: false; reason: SsoRefusal }> {
  const org = await prisma.organization.findUnique({ where: { slug: providerId.slice(SSO_PREFIX.length) }, include: { ssoConfig: true } });
  const c = org?.ssoConfig;
  if (!org || !c || !c.enabled) return { ok: false, reason: "unconfigured" };
  const claims = idTokenClaims.email === undefined && accessToken && idTokenClaims.iss === c.issuer ? await withUserInfo(c.issuer, idTokenClaims, accessToken) : idTokenClaims;
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const refuse = async (reason: SsoRefusal) => {
    await prisma.auditEvent.create({ data: { organizationId: org.id, actorId: null, action: "sso.refused", entity: "Organization", entityId: org.id, data: { reason, email, issuer: String(claims.iss ?? ""), actor: email || "single sign-on" } } });
    return { ok: false as const, reason };
  };
  if (claims.iss !== c.issuer) return refuse("issuer");
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || claims.email_verified === false) return refuse("unverified");
  if (!c.allowedDomains.includes(email.split("@")[1])) return refuse("domain");
  const name = (typeof claims.name === "string" && claims.name.trim()) || email.split("@")[0];
  // An org's identity provider vouches for e-mails in domains its admin typed (unverified): it may create
  // accounts, but never take over an account that exists without a membership here — else any org admin
  // could sign in as another org's user. Such a user joins through an invitation, then signs in this way.
  const member = await prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    const user = existing ?? (await tx.user.create({ data: { email, name, passwordHash: null } }));
    let m = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: org.id, userId: user.id } } });
    if (!m && existing) return null;
    if (!m) {
      m = await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: c.defaultRole } });
      await tx.auditEvent.create({ data: { organizationId: org.id, actorId: user.id, action: "member.joinedBySso", entity: "User", entityId: user.id, data: { email, role: c.defaultRole, issuer: c.issuer, actor: user.name } } });
    }
    return { user, m };
  });
  if (!member) return refuse("existing");
  if (member.m.deactivatedAt) return refuse("deactivated");
  const { user, m } = member;
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, orgId: org.id, role: m.role, teamId: m.teamId, sessionVersion: user.sessionVersion } };
}
