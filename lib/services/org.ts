import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { readSettings, type settingsPatchSchema } from "@/lib/validation/settings";
import type { z } from "zod";
import { audit } from "./audit";
import { usageTotals } from "./usage";

export async function orgOverview(ctx: Ctx) {
  const where = { organizationId: ctx.orgId };
  const [org, teams, members, models, classes, imports, usage] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId } }),
    prisma.team.count({ where }),
    prisma.membership.groupBy({ by: ["role"], where, _count: true }),
    prisma.model.count({ where }),
    prisma.modelClass.count({ where }),
    prisma.import.count({ where }),
    usageTotals(ctx.orgId),
  ]);
  return { org, settings: readSettings(org.settings), teams, members, models, classes, imports, usage };
}

/** The organization's settings with defaults filled in. */
export async function getSettings(ctx: Ctx) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { settings: true } });
  return readSettings(org.settings);
}

/** Merges a partial settings change over the current settings; the change and the result are audited. */
export async function updateSettings(ctx: Ctx, patch: z.output<typeof settingsPatchSchema>) {
  return prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId } });
    const cur = readSettings(org.settings);
    const next = readSettings({ ...cur, ...patch, focus: { ...cur.focus, ...patch.focus }, curve: { ...cur.curve, ...patch.curve } });
    await tx.organization.update({ where: { id: ctx.orgId }, data: { settings: next } });
    await audit(tx, ctx, "org.settingsUpdated", "Organization", ctx.orgId, { change: patch, previous: cur });
    return next;
  });
}
