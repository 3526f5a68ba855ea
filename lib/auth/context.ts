import { createHash } from "node:crypto";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { prisma } from "@/lib/db/client";
import { authOptions } from "./options";
import { membershipCtx, type SessionClaims } from "./membership";
import { forbidden, unauthorized } from "@/lib/errors";
import type { ApiTokenScope, Role } from "@/lib/generated/prisma/enums";

/** Who is acting, for which org. Every service takes one; every query is scoped by orgId. */
export type Ctx = {
  orgId: string;
  orgName: string;
  isDemo: boolean;
  /** user id, or null when an API token acts */
  actorId: string | null;
  actorName: string;
  role: Role | "API";
  /** set for team leads: they only ever see this team */
  teamId: string | null;
  /** for API tokens: what the token may call (lib/auth/scopes.ts) */
  scope?: ApiTokenScope;
  /** for sessions: how it was opened, "password" or "sso:<orgId>" (lib/auth/org-access.ts) */
  via?: string;
};

/**
 * Resolves the signed-in user's membership from the database on every request, so a role change or
 * removal takes effect at once rather than when the session cookie expires. One query (membership, user and
 * organization joined); asked once per server render however many layouts and sections need it.
 */
export const sessionCtx = cache(async (): Promise<Ctx | null> => membershipCtx((await getServerSession(authOptions)) as SessionClaims | null));

export const hashApiToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

export async function tokenCtx(authorization: string | null): Promise<Ctx | null> {
  const m = authorization?.match(/^Bearer\s+(th_[A-Za-z0-9_-]{20,})$/);
  if (!m) return null;
  const token = await prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(m[1]) }, include: { organization: true } });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) return null;
  await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  return {
    orgId: token.organizationId,
    orgName: token.organization.name,
    isDemo: token.organization.isDemo,
    actorId: null,
    actorName: `API token ${token.prefix}`,
    role: "API",
    teamId: null,
    scope: token.scope,
  };
}

export function requireRole(ctx: Ctx | null, roles: readonly (Role | "API")[]): Ctx {
  if (!ctx) throw unauthorized();
  if (!roles.includes(ctx.role)) throw forbidden();
  return ctx;
}
