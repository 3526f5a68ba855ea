import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { readSettings } from "@/lib/validation/settings";

export async function orgOverview(ctx: Ctx) {
  const where = { organizationId: ctx.orgId };
  const [org, teams, members, models, classes, imports, usage] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId } }),
    prisma.team.count({ where }),
    prisma.membership.groupBy({ by: ["role"], where, _count: true }),
    prisma.model.count({ where }),
    prisma.modelClass.count({ where }),
    prisma.import.count({ where }),
    prisma.usageRecord.aggregate({ where, _count: true, _min: { periodStart: true }, _max: { periodStart: true } }),
  ]);
  return { org, settings: readSettings(org.settings), teams, members, models, classes, imports, usage };
}
