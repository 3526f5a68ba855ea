import { teamWhere } from "@/lib/db/scope";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { cachedRead } from "@/lib/services/read-cache";

/** Option lists for filters, scoped to the org (and to the team for team leads). */
export async function filterOptions(ctx: Ctx) {
  return cachedRead(ctx, "filterOptions", null, () => filterOptionsUncached(ctx));
}
async function filterOptionsUncached(ctx: Ctx) {
  const [teams, classes, models] = await Promise.all([
    prisma.team.findMany({ where: { organizationId: ctx.orgId, ...teamWhere(ctx, null, "id") }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    prisma.model.findMany({ where: { organizationId: ctx.orgId }, include: { provider: true }, orderBy: { name: "asc" } }),
  ]);
  return { teams, classes, models: models.map((m) => ({ id: m.id, name: `${m.provider.name} ${m.name}` })) };
}
