import { revokeSessions } from "@/lib/auth/sessions";
import { teamWhere } from "@/lib/db/scope";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import { onUnique } from "@/lib/db/errors";
import { hashApiToken, type Ctx } from "@/lib/auth/context";
import { assertStrongPassword, hashPassword } from "@/lib/auth/password";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { audit } from "./audit";
import { auditSummary, jobRunSummary } from "@/lib/summaries";
import type { createApiTokenSchema, createTeamSchema, createUserSchema, updateTeamSchema, updateUserSchema } from "@/lib/validation/admin";
import { requireActiveTeam } from "./identity";

/** Teams for pickers and lists; archived teams only when asked for (the teams admin page). */
export function listTeams(ctx: Ctx, opts: { includeArchived?: boolean; q?: string; limit?: number } = {}) {
  return prisma.team.findMany({
    where: {
      organizationId: ctx.orgId,
      ...teamWhere(ctx, null, "id"),
      ...(opts.includeArchived ? {} : { archivedAt: null }),
      ...(opts.q ? { name: { contains: opts.q, mode: "insensitive" as const } } : {}),
    },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    ...(opts.limit ? { take: opts.limit } : {}),
    include: { _count: { select: { memberships: true } } },
  });
}

/** Renames, archives (archived: true) or restores a team. Archived teams keep all their usage and history. */
export async function updateTeam(ctx: Ctx, teamId: string, input: z.output<typeof updateTeamSchema>) {
  return prisma.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: teamId, organizationId: ctx.orgId } });
    if (!team) throw notFound("Team");
    if (input.archived === true && !team.archivedAt) {
      const leads = await tx.membership.count({ where: { teamId, organizationId: ctx.orgId } });
      if (leads) {
        const msg = `${leads} team lead${leads === 1 ? " is" : "s are"} bound to this team; move them to another team first`;
        throw new AppError(409, "conflict", `archived: ${msg}`, [{ path: "body.archived", message: msg }]);
      }
    }
    const archivedAt = input.archived === undefined ? team.archivedAt : input.archived ? (team.archivedAt ?? new Date()) : null;
    const updated = await onUnique(
      tx.team.update({ where: { id: teamId }, data: { name: input.name ?? team.name, archivedAt } }),
      `name: a team named "${input.name}" already exists`,
    );
    if (input.name !== undefined && input.name !== team.name) await audit(tx, ctx, "team.renamed", "Team", teamId, { from: team.name, to: input.name });
    if (!team.archivedAt && archivedAt) await audit(tx, ctx, "team.archived", "Team", teamId, { name: updated.name });
    if (team.archivedAt && !archivedAt) await audit(tx, ctx, "team.restored", "Team", teamId, { name: updated.name });
    return { id: updated.id, name: updated.name, costCenter: updated.costCenter, archivedAt: updated.archivedAt };
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
  if (input.teamId) await requireActiveTeam(ctx, input.teamId);
  assertStrongPassword(input.password, "password", input);
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

/**
 * Changes a member's role and team, or deactivates/reactivates them. Deactivation ends access at once: the
 * session version is bumped, the membership is refused on every request while deactivated
 * (lib/auth/context.ts), and the member's API tokens are revoked, as on removal.
 */
export async function updateUser(ctx: Ctx, userId: string, input: z.output<typeof updateUserSchema>) {
  return prisma.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: ctx.orgId, userId } } });
    if (!m) throw notFound("User");
    if (userId === ctx.actorId && (input.active === false || (input.role !== undefined && input.role !== m.role))) {
      // so an organization is never left without an admin by its own hand
      const field = input.active === false ? "active" : "role";
      throw badRequest(`${field}: you cannot deactivate yourself or change your own role`, [{ path: `body.${field}`, message: "you cannot change this for yourself" }]);
    }
    const data: { role?: typeof m.role; teamId?: string | null; deactivatedAt?: Date | null } = {};
    if (input.role !== undefined) {
      const teamId = input.role === "TEAM_LEAD" ? input.teamId! : null;
      if (teamId && teamId !== m.teamId) await requireActiveTeam(ctx, teamId, tx);
      if (input.role !== m.role || teamId !== m.teamId) {
        data.role = input.role;
        data.teamId = teamId;
        await audit(tx, ctx, "user.roleChanged", "User", userId, { from: { role: m.role, teamId: m.teamId }, to: { role: input.role, teamId } });
      }
    }
    if (input.active === false && !m.deactivatedAt) {
      data.deactivatedAt = new Date();
      await revokeSessions(userId, tx);
      await tx.apiToken.updateMany({ where: { organizationId: ctx.orgId, createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await audit(tx, ctx, "user.deactivated", "User", userId);
    }
    if (input.active === true && m.deactivatedAt) {
      data.deactivatedAt = null;
      await audit(tx, ctx, "user.reactivated", "User", userId);
    }
    const u = await tx.membership.update({ where: { id: m.id }, data });
    return { id: userId, role: u.role, teamId: u.teamId, active: u.deactivatedAt === null };
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
    select: { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Returns the secret once; only its sha256 is stored. */
export async function createApiToken(ctx: Ctx, input: z.output<typeof createApiTokenSchema>) {
  const secret = `th_${randomBytes(24).toString("base64url")}`;
  return prisma.$transaction(async (tx) => {
    const t = await tx.apiToken.create({
      data: {
        organizationId: ctx.orgId, name: input.name, tokenHash: hashApiToken(secret), prefix: secret.slice(0, 9), createdById: ctx.actorId!, scope: input.scope,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
    });
    await audit(tx, ctx, "apiToken.created", "ApiToken", t.id, { name: input.name, prefix: t.prefix, scope: t.scope, expiresAt: t.expiresAt });
    return { id: t.id, name: t.name, prefix: t.prefix, scope: t.scope, secret, expiresAt: t.expiresAt };
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

/** The job log page: each run with a one-line summary of its details (lib/summaries.ts) and its organization's name. */
export async function jobRunLog(ctx: Ctx, page: number, pageSize: number) {
  const [runs, total] = await listJobRuns(ctx, page, pageSize);
  const rows = runs.map((r) => ({ ...r, summary: jobRunSummary({ ...r, orgName: r.organizationId ? ctx.orgName : null }) }));
  return { rows, total };
}

/** The audit log page: each event with a one-line summary naming the teams, classes and models it refers to. */
export async function auditLog(ctx: Ctx, take = 100) {
  const [events, teams, classes, models] = await Promise.all([
    listAudit(ctx, take),
    prisma.team.findMany({ where: { organizationId: ctx.orgId }, select: { id: true, name: true } }),
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, select: { id: true, name: true } }),
    prisma.model.findMany({ where: { organizationId: ctx.orgId }, select: { id: true, name: true, provider: { select: { name: true } } } }),
  ]);
  const names = new Map<string, string>([
    ...teams.map((t) => [t.id, t.name] as const),
    ...classes.map((c) => [c.id, c.name] as const),
    ...models.map((m) => [m.id, `${m.provider.name} ${m.name}`] as const),
  ]);
  const nameOf = (id: unknown) => (typeof id === "string" ? (names.get(id) ?? null) : null);
  return events.map((e) => ({ ...e, summary: auditSummary(e, nameOf) }));
}
