import { revokeSessions } from "@/lib/auth/sessions";
import { requireOwned, teamWhere } from "@/lib/db/scope";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import { onUnique } from "@/lib/db/errors";
import { hashApiToken, type Ctx } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/password";
import { badRequest, notFound } from "@/lib/errors";
import { audit } from "./audit";
import type { createApiTokenSchema, createTeamSchema, createUserSchema } from "@/lib/validation/admin";

export function listTeams(ctx: Ctx) {
  return prisma.team.findMany({
    where: { organizationId: ctx.orgId, ...teamWhere(ctx, null, "id") },
    orderBy: { name: "asc" },
    include: { _count: { select: { memberships: true } } },
  });
}

export async function createTeam(ctx: Ctx, input: z.output<typeof createTeamSchema>) {
  return prisma.$transaction(async (tx) => {
    const team = await onUnique(
      tx.team.create({ data: { organizationId: ctx.orgId, name: input.name, costCenter: input.costCenter } }),
      `A team named "${input.name}" already exists`,
    );
    await audit(tx, ctx, "team.created", "Team", team.id, input);
    return team;
  });
}

export function listUsers(ctx: Ctx) {
  return prisma.membership.findMany({
    where: { organizationId: ctx.orgId },
    include: { user: { select: { id: true, email: true, name: true, createdAt: true } }, team: { select: { id: true, name: true } } },
    orderBy: { user: { name: "asc" } },
  });
}

export async function createUser(ctx: Ctx, input: z.output<typeof createUserSchema>) {
  if (input.teamId) {
    await requireOwned(ctx, "team", input.teamId, { field: "teamId" });
  }
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const user = await onUnique(
      tx.user.create({ data: { email: input.email, name: input.name, passwordHash } }),
      `A user with email ${input.email} already exists`,
    );
    const m = await tx.membership.create({
      data: { organizationId: ctx.orgId, userId: user.id, role: input.role, teamId: input.teamId ?? null },
    });
    await audit(tx, ctx, "user.created", "User", user.id, { email: input.email, role: input.role, teamId: input.teamId ?? null });
    return { id: user.id, email: user.email, name: user.name, role: m.role, teamId: m.teamId };
  });
}

export async function removeUser(ctx: Ctx, userId: string) {
  if (userId === ctx.actorId) throw badRequest("You cannot remove yourself");
  return prisma.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: ctx.orgId, userId } } });
    if (!m) throw notFound("User");
    await tx.membership.delete({ where: { id: m.id } });
    await revokeSessions(userId, tx);
    // API tokens do not outlive the member who created them
    await tx.apiToken.updateMany({ where: { organizationId: ctx.orgId, createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await audit(tx, ctx, "user.removed", "User", userId);
    return { removed: true };
  });
}

export function listApiTokens(ctx: Ctx) {
  return prisma.apiToken.findMany({
    where: { organizationId: ctx.orgId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Returns the secret once; only its sha256 is stored. */
export async function createApiToken(ctx: Ctx, input: z.output<typeof createApiTokenSchema>) {
  const secret = `th_${randomBytes(24).toString("base64url")}`;
  return prisma.$transaction(async (tx) => {
    const t = await tx.apiToken.create({
      data: {
        organizationId: ctx.orgId, name: input.name, tokenHash: hashApiToken(secret), prefix: secret.slice(0, 9), createdById: ctx.actorId!,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
    });
    await audit(tx, ctx, "apiToken.created", "ApiToken", t.id, { name: input.name, prefix: t.prefix, expiresAt: t.expiresAt });
    return { id: t.id, name: t.name, prefix: t.prefix, secret, expiresAt: t.expiresAt };
  });
}

export async function revokeApiToken(ctx: Ctx, tokenId: string) {
  return prisma.$transaction(async (tx) => {
    const t = await tx.apiToken.findFirst({ where: { id: tokenId, organizationId: ctx.orgId } });
    if (!t) throw notFound("API token");
    const updated = await tx.apiToken.update({ where: { id: t.id }, data: { revokedAt: t.revokedAt ?? new Date() } });
    await audit(tx, ctx, "apiToken.revoked", "ApiToken", t.id, { prefix: t.prefix });
    return { id: updated.id, revokedAt: updated.revokedAt };
  });
}

export function listAudit(ctx: Ctx, take = 100) {
  return prisma.auditEvent.findMany({ where: { organizationId: ctx.orgId }, orderBy: { at: "desc" }, take });
}

export function listJobRuns(ctx: Ctx, page: number, pageSize: number) {
  const where = { OR: [{ organizationId: ctx.orgId }, { organizationId: null }] };
  return prisma.$transaction([
    prisma.jobRun.findMany({ where, orderBy: { startedAt: "desc" }, skip: (page - 1) * pageSize, take: pageSize }),
    prisma.jobRun.count({ where }),
  ]);
}
