import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { assertStrongPassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { revokeSessions } from "@/lib/auth/sessions";
import { beginAttempt, settleAttempt } from "@/lib/auth/throttle";
import { INVALID_LINK } from "@/lib/auth/link-throttle";
import { hashLinkToken, inviteLink, LINK_TOKEN_RE, newLinkToken, resetLink } from "@/lib/auth/tokens";
import { invitationMail, resetMail } from "@/lib/mail/messages";
import { mailTransport, sendMail } from "@/lib/mail/transport";
import { AppError, badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { requireOwned } from "@/lib/db/scope";
import type { Db } from "@/lib/db/client";
import { audit } from "./audit";
import { createOrganization } from "./orgs";
import type { acceptInvitationSchema, changePasswordSchema, createInvitationSchema, resetPasswordSchema } from "@/lib/validation/admin";
import type { Role } from "@/lib/generated/prisma/enums";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 24 * 60 * 60 * 1000;

/** A 422 naming the body field unless the id is an active (not archived) team of the org. */
export async function requireActiveTeam(ctx: Pick<Ctx, "orgId">, teamId: string, db: Db = prisma) {
  await requireOwned(ctx, "team", teamId, { field: "teamId", db });
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { archivedAt: true } });
  if (team.archivedAt) throw badRequest("teamId: the team is archived", [{ path: "body.teamId", message: "the team is archived; restore it first" }]);
}

const invalidLink = (what: string) => new AppError(404, INVALID_LINK, `This ${what} link is invalid, already used, revoked or expired. Ask an admin for a new one.`);

/**
 * Changes the signed-in user's own password: the current one is required (a wrong one counts as a failed
 * sign-in for throttling), the new one must pass the strength rules, and every session is revoked.
 */
export async function changePassword(ctx: Ctx, input: z.output<typeof changePasswordSchema>, ip: string) {
  if (!ctx.actorId) throw badRequest("Only a signed-in user can change a password");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: ctx.actorId } });
  const attempt = await beginAttempt(user.email, ip);
  if (!attempt.allowed) throw new AppError(429, "throttled", "Too many failed attempts. Try again later.");
  const ok = await verifyPassword(user.passwordHash, input.currentPassword);
  await settleAttempt(attempt.attemptId, ok);
  if (!ok) throw badRequest("currentPassword: is not your current password", [{ path: "body.currentPassword", message: "is not your current password" }]);
  if (input.newPassword === input.currentPassword) throw badRequest("newPassword: must differ from the current one", [{ path: "body.newPassword", message: "must differ from the current password" }]);
  assertStrongPassword(input.newPassword, "newPassword", user);
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await revokeSessions(user.id, tx);
    await tx.passwordReset.deleteMany({ where: { userId: user.id, usedAt: null } });
    await audit(tx, ctx, "user.passwordChanged", "User", user.id);
  });
  return { changed: true, signedOut: true };
}

/** An admin-issued reset link for a member (24 h, single use; older unused links of the user stop working). */
export async function createPasswordReset(ctx: Ctx, userId: string) {
  const token = newLinkToken();
  return prisma.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: ctx.orgId, userId } }, include: { user: true } });
    if (!m) throw notFound("User");
    // a link that signs in as a person is issued by a person, never by an API token, whatever its scope
    if (!ctx.actorId) throw forbidden("Only a signed-in admin can issue a password reset link");
    if (m.deactivatedAt) throw conflict("The member is deactivated; reactivate them first");
    await tx.passwordReset.deleteMany({ where: { userId, usedAt: null } });
    const r = await tx.passwordReset.create({
      data: { userId, organizationId: ctx.orgId, tokenHash: hashLinkToken(token), createdById: ctx.actorId, expiresAt: new Date(Date.now() + RESET_TTL_MS) },
    });
    await audit(tx, ctx, "user.passwordResetIssued", "User", userId, { expiresAt: r.expiresAt });
    return { token, email: m.user.email, expiresAt: r.expiresAt };
  });
}

/** Whose password a reset link would set, or null when the link is not usable. */
export async function resetByToken(token: string) {
  if (!LINK_TOKEN_RE.test(token)) return null;
  const r = await prisma.passwordReset.findUnique({ where: { tokenHash: hashLinkToken(token) }, include: { user: { select: { email: true, name: true } } } });
  if (!r || r.usedAt || r.expiresAt.getTime() <= Date.now()) return null;
  return { email: r.user.email, name: r.user.name, expiresAt: r.expiresAt };
}

/**
 * Sets a new password through a reset link. The link is claimed atomically (a second use, even concurrent,
 * finds it used) and works only while the user is still an active member of the org whose admin issued it.
 */
export async function resetPassword(token: string, input: z.output<typeof resetPasswordSchema>) {
  if (!LINK_TOKEN_RE.test(token)) throw invalidLink("password reset");
  const tokenHash = hashLinkToken(token);
  const pending = await prisma.passwordReset.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!pending || pending.usedAt || pending.expiresAt.getTime() <= Date.now()) throw invalidLink("password reset");
  assertStrongPassword(input.password, "password", pending.user);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.passwordReset.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw invalidLink("password reset");
    const m = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: pending.organizationId, userId: pending.userId } } });
    if (!m || m.deactivatedAt) throw invalidLink("password reset");
    await tx.user.update({ where: { id: pending.userId }, data: { passwordHash } });
    await revokeSessions(pending.userId, tx);
    await tx.auditEvent.create({
      data: { organizationId: pending.organizationId, actorId: pending.userId, action: "user.passwordReset", entity: "User", entityId: pending.userId, data: { actor: pending.user.name } },
    });
    return { email: pending.user.email };
  });
}

export function listInvitations(ctx: Ctx) {
  return prisma.invitation.findMany({
    where: { organizationId: ctx.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, teamId: true, team: { select: { name: true } }, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Only the sha256 of the token is stored; the link is returned once, for the admin to pass on. */
export async function createInvitation(ctx: Ctx, input: z.output<typeof createInvitationSchema>) {
  if (!ctx.actorId) throw forbidden("Only a signed-in admin can invite people");
  if (input.teamId) await requireActiveTeam(ctx, input.teamId);
  // someone with an account elsewhere can be invited (they join with it); a member of this org cannot
  const member = await prisma.membership.findFirst({ where: { organizationId: ctx.orgId, user: { email: input.email } }, select: { id: true } });
  if (member) throw new AppError(409, "conflict", `email: ${input.email} is already a member`, [{ path: "body.email", message: "is already a member of this organization" }]);
  const token = newLinkToken();
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.create({
      data: {
        organizationId: ctx.orgId, email: input.email, role: input.role, teamId: input.teamId ?? null,
        tokenHash: hashLinkToken(token), createdById: ctx.actorId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
    });
    await audit(tx, ctx, "invitation.created", "Invitation", inv.id, { email: inv.email, role: inv.role, teamId: inv.teamId, expiresAt: inv.expiresAt });
    return { id: inv.id, email: inv.email, role: inv.role, teamId: inv.teamId, expiresAt: inv.expiresAt, token };
  });
}

/**
 * Creates an invitation and mails its link when SMTP_URL is configured; otherwise, or when the mail server
 * refuses it, the link is returned for the admin to pass on (`mailed` says which).
 */
export async function inviteByMail(ctx: Ctx, input: z.output<typeof createInvitationSchema>, origin?: string) {
  const { token, ...invitation } = await createInvitation(ctx, input);
  const link = inviteLink(token, origin);
  const mailed = mailTransport() !== null && (await sendMail(invitationMail({ to: invitation.email, orgName: ctx.orgName, role: invitation.role, invitedBy: ctx.actorName, link, expiresAt: invitation.expiresAt })));
  return { ...invitation, mailed, link: mailed ? null : link };
}

/** A reset link for a member, mailed to them when SMTP_URL is configured (else returned, as for invitations). */
export async function resetByMail(ctx: Ctx, userId: string, origin?: string) {
  const { token, email, expiresAt } = await createPasswordReset(ctx, userId);
  const link = resetLink(token, origin);
  const mailed = mailTransport() !== null && (await sendMail(resetMail({ to: email, orgName: ctx.orgName, issuedBy: ctx.actorName, link, expiresAt })));
  return { email, expiresAt, mailed, link: mailed ? null : link };
}

export async function revokeInvitation(ctx: Ctx, invitationId: string) {
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, organizationId: ctx.orgId } });
    if (!inv) throw notFound("Invitation");
    if (inv.acceptedAt) throw conflict("The invitation has already been accepted");
    const updated = await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: inv.revokedAt ?? new Date() } });
    await audit(tx, ctx, "invitation.revoked", "Invitation", inv.id, { email: inv.email });
    return { id: updated.id, revokedAt: updated.revokedAt };
  });
}

/** What the invitation page shows, or null when the link is not usable. */
export async function invitationByToken(token: string) {
  if (!LINK_TOKEN_RE.test(token)) return null;
  const inv = await prisma.invitation.findUnique({ where: { tokenHash: hashLinkToken(token) }, include: { organization: { select: { name: true } } } });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) return null;
  const hasAccount = !!(await prisma.user.findUnique({ where: { email: inv.email }, select: { id: true } }));
  return { email: inv.email, role: inv.role as Role, orgName: inv.organization.name, expiresAt: inv.expiresAt, hasAccount };
}

/**
 * Accepts an invitation with the account the signed-in user already has (several organizations per user): the
 * invitation's e-mail must be theirs. Adds exactly one membership, in the invitation's organization only.
 */
export async function joinByInvitation(token: string, userId: string) {
  if (!LINK_TOKEN_RE.test(token)) throw invalidLink("invitation");
  const tokenHash = hashLinkToken(token);
  const pending = await prisma.invitation.findUnique({ where: { tokenHash } });
  if (!pending || pending.acceptedAt || pending.revokedAt || pending.expiresAt.getTime() <= Date.now()) throw invalidLink("invitation");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.email !== pending.email) throw forbidden(`This invitation is for ${pending.email}; you are signed in as ${user.email}.`);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({ where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, data: { acceptedAt: new Date(), acceptedById: user.id } });
    if (claimed.count !== 1) throw invalidLink("invitation");
    if (pending.teamId) {
      const team = await tx.team.findUnique({ where: { id: pending.teamId }, select: { archivedAt: true } });
      if (!team || team.archivedAt) throw conflict("The team of this invitation has been archived. Ask an admin for a new invitation.");
    }
    if (await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: pending.organizationId, userId: user.id } } })) throw conflict("You are already a member of this organization.");
    await tx.membership.create({ data: { organizationId: pending.organizationId, userId: user.id, role: pending.role, teamId: pending.teamId } });
    await tx.auditEvent.create({
      data: { organizationId: pending.organizationId, actorId: user.id, action: "invitation.accepted", entity: "Invitation", entityId: pending.id, data: { email: user.email, role: pending.role, existingAccount: true, actor: user.name } },
    });
    return { email: user.email, orgId: pending.organizationId };
  });
}

/**
 * Accepts an invitation for a new account: creates the user with the chosen name and password and exactly one
 * membership, in the invitation's organization only (an existing account joins through joinByInvitation). Claimed atomically, so a link is used once even under concurrent use.
 */
export async function acceptInvitation(token: string, input: z.output<typeof acceptInvitationSchema>) {
  if (!LINK_TOKEN_RE.test(token)) throw invalidLink("invitation");
  const tokenHash = hashLinkToken(token);
  const pending = await prisma.invitation.findUnique({ where: { tokenHash } });
  if (!pending || pending.acceptedAt || pending.revokedAt || pending.expiresAt.getTime() <= Date.now()) throw invalidLink("invitation");
  assertStrongPassword(input.password, "password", { email: pending.email, name: input.name });
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw invalidLink("invitation");
    if (pending.teamId) {
      const team = await tx.team.findUnique({ where: { id: pending.teamId }, select: { archivedAt: true } });
      if (!team || team.archivedAt) throw conflict("The team of this invitation has been archived. Ask an admin for a new invitation.");
    }
    if (await tx.user.findUnique({ where: { email: pending.email }, select: { id: true } })) throw conflict(`${pending.email} already has an account. Sign in with it, then open this link again to join.`);
    const user = await tx.user.create({ data: { email: pending.email, name: input.name, passwordHash } });
    await tx.membership.create({ data: { organizationId: pending.organizationId, userId: user.id, role: pending.role, teamId: pending.teamId } });
    await tx.invitation.update({ where: { id: pending.id }, data: { acceptedById: user.id } });
    await tx.auditEvent.create({
      data: { organizationId: pending.organizationId, actorId: user.id, action: "invitation.accepted", entity: "Invitation", entityId: pending.id, data: { email: user.email, role: pending.role, actor: user.name } },
    });
    return { email: user.email, orgId: pending.organizationId };
  });
}

/** For operators (scripts/org-create.ts): an empty organization and a one-time invitation for its first admin. */
export async function createOrganizationWithAdminInvite(input: { name: string; adminEmail: string }) {
  const email = input.adminEmail.trim().toLowerCase();
  const token = newLinkToken();
  return prisma.$transaction(async (tx) => {
    const org = await createOrganization(tx, input.name, { actorId: null, actor: "operator (org:create)", data: { adminEmail: email } });
    const inv = await tx.invitation.create({
      data: { organizationId: org.id, email, role: "ADMIN", tokenHash: hashLinkToken(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) },
    });
    return { orgId: org.id, slug: org.slug, token, expiresAt: inv.expiresAt };
  });
}
