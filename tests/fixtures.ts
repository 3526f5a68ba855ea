import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import type { Ctx } from "@/lib/auth/context";
import type { Role } from "@/lib/generated/prisma/enums";

export const PASSWORD = "correct horse battery";

/** A small organization: two teams, one user per role, one class with two models. */
export async function makeOrg(label = "org") {
  const tag = `${label}-${randomUUID().slice(0, 8)}`;
  const passwordHash = await hashPassword(PASSWORD);
  const org = await prisma.organization.create({ data: { name: `Test ${tag}`, slug: tag } });
  const teamA = await prisma.team.create({ data: { organizationId: org.id, name: "Support" } });
  const teamB = await prisma.team.create({ data: { organizationId: org.id, name: "Search" } });
  const users = {} as Record<Role, { id: string; email: string }>;
  for (const role of ["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"] as Role[]) {
    const email = `${role.toLowerCase()}@${tag}.test`;
    const u = await prisma.user.create({ data: { email, name: `${role} ${tag}`, passwordHash } });
    await prisma.membership.create({ data: { organizationId: org.id, userId: u.id, role, teamId: role === "TEAM_LEAD" ? teamA.id : null } });
    users[role] = { id: u.id, email };
  }
  const cls = await prisma.modelClass.create({ data: { organizationId: org.id, key: "general-chat", name: "General chat" } });
  const provider = await prisma.provider.create({ data: { organizationId: org.id, name: "OpenAI" } });
  const gpt = await prisma.model.create({ data: { organizationId: org.id, providerId: provider.id, modelClassId: cls.id, name: "gpt-4.1" } });
  const mini = await prisma.model.create({ data: { organizationId: org.id, providerId: provider.id, modelClassId: cls.id, name: "gpt-4.1-mini" } });
  await prisma.modelPrice.create({ data: { organizationId: org.id, modelId: gpt.id, effectiveFrom: new Date("2024-01-01"), inputUsdPerMTokens: "2", outputUsdPerMTokens: "8" } });
  await prisma.modelPrice.create({ data: { organizationId: org.id, modelId: mini.id, effectiveFrom: new Date("2024-01-01"), inputUsdPerMTokens: "0.4", outputUsdPerMTokens: "1.6" } });
  const ctx = (role: Role): Ctx => ({ orgId: org.id, orgName: org.name, isDemo: false, actorId: users[role].id, actorName: role, role, teamId: role === "TEAM_LEAD" ? teamA.id : null });
  return { org, teamA, teamB, users, cls, provider, gpt, mini, ctx };
}
export type TestOrg = Awaited<ReturnType<typeof makeOrg>>;

/** Adds Anthropic's claude-sonnet-4 to an org's catalog (same class), reachable from exports through `alias`. */
export async function addClaude(o: TestOrg, alias: string) {
  const anthropic = await prisma.provider.create({ data: { organizationId: o.org.id, name: "Anthropic" } });
  const model = await prisma.model.create({ data: { organizationId: o.org.id, providerId: anthropic.id, modelClassId: o.cls.id, name: "claude-sonnet-4" } });
  await prisma.modelAlias.create({ data: { organizationId: o.org.id, alias, modelId: model.id } });
  return model;
}
