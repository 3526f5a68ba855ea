import type { z } from "zod";
import { prisma, type Tx } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { sessionMayUseOrg } from "@/lib/auth/org-access";
import { assertStrongPassword, hashPassword } from "@/lib/auth/password";
import { AppError, conflict } from "@/lib/errors";
import type { signUpSchema } from "@/lib/validation/signup";

/**
 * The one way an organization is made (npm run org:create and the sign-up page): a unique slug from the name,
 * the row, and its audit event. Starts empty; the admin's landing page guides the first steps.
 */
export async function createOrganization(tx: Tx, name: string, audit: { actorId: string | null; actor: string; data?: object }) {
  const slugBase = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "org";
  // two sign-ups of the same name at once would pick the same free slug: one at a time per slug
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`org-slug:${slugBase}`}))`;
  let slug = slugBase;
  for (let n = 2; await tx.organization.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${slugBase}-${n}`;
  const org = await tx.organization.create({ data: { name: name.trim(), slug } });
  await tx.auditEvent.create({ data: { organizationId: org.id, actorId: audit.actorId, action: "organization.created", entity: "Organization", entityId: org.id, data: { name: org.name, ...audit.data, actor: audit.actor } } });
  return org;
}

export const SIGNUPS_PER_ADDRESS_PER_HOUR = 5;

/**
 * Self-service sign-up (SIGNUP=open): a new organization and its first admin with a password. Each address gets
 * a few sign-up attempts an hour (counted in LoginAttempt under `signup:<address>`, serialized by an advisory
 * lock, so concurrent requests cannot overshoot). An e-mail that already has an account signs in instead.
 */
export async function signUpOrganization(input: z.output<typeof signUpSchema>, ip: string) {
  assertStrongPassword(input.password, "password", { email: input.email, name: input.name });
  const passwordHash = await hashPassword(input.password);
  const key = `signup:${ip}`;
  // the attempt is committed on its own, so a refused one (an e-mail that has an account) counts as well
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
    const recent = await tx.loginAttempt.count({ where: { email: key, createdAt: { gt: new Date(Date.now() - 3_600_000) } } });
    if (recent >= SIGNUPS_PER_ADDRESS_PER_HOUR) throw new AppError(429, "throttled", "Too many sign-ups from your address. Try again in an hour.");
    // recorded as a success: it must not count towards the address's failed sign-ins
    await tx.loginAttempt.create({ data: { email: key, ip, success: true } });
  });
  return prisma.$transaction(async (tx) => {
    // a double submit: the second waits for the first and is told the e-mail has an account (not a driver error)
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`user-email:${input.email}`}))`;
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError(409, "conflict", "email: already has an account — sign in instead", [{ path: "body.email", message: "already has an account — sign in instead" }]);
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    const org = await createOrganization(tx, input.orgName, { actorId: user.id, actor: `${input.name} (sign-up)`, data: { adminEmail: input.email, via: "sign-up", ip } });
    await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: "ADMIN" } });
    return { orgId: org.id, slug: org.slug, email: user.email };
  });
}

/**
 * A user's organizations (one e-mail, one membership per org). The session carries the selected org; every
 * request re-checks it is an active membership the session may use (lib/auth/context.ts).
 */
export async function userOrgs(ctx: Pick<Ctx, "actorId" | "orgId">, via?: string) {
  if (!ctx.actorId) return [];
  const ms = await prisma.membership.findMany({
    where: { userId: ctx.actorId, deactivatedAt: null },
    include: { organization: { select: { id: true, name: true, slug: true, ssoConfig: { select: { enabled: true, ssoRequired: true } } } } },
    orderBy: { organization: { name: "asc" } },
  });
  return ms.map((m) => ({
    orgId: m.organizationId,
    name: m.organization.name,
    slug: m.organization.slug,
    role: m.role,
    current: m.organizationId === ctx.orgId,
    /** false: this session cannot enter it (the org requires single sign-on, or the session came from another org's SSO) */
    available: sessionMayUseOrg(via, m.organizationId, !!(m.organization.ssoConfig?.enabled && m.organization.ssoConfig.ssoRequired)),
  }));
}

/** Whether a session (user, how it was opened) may switch to orgId: an active membership the session may use. */
export async function maySwitchOrg(userId: string, orgId: string, via: string | undefined): Promise<boolean> {
  const m = await prisma.membership.findUnique({
    where: { organizationId_userId: { organizationId: orgId, userId } },
    include: { organization: { select: { ssoConfig: { select: { enabled: true, ssoRequired: true } } } } },
  });
  if (!m || m.deactivatedAt) return false;
  const c = m.organization.ssoConfig;
  return sessionMayUseOrg(via, orgId, !!(c?.enabled && c.ssoRequired));
}
