import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import { onUnique } from "@/lib/db/errors";
import type { Ctx } from "@/lib/auth/context";
import { badRequest, notFound } from "@/lib/errors";
import { audit } from "./audit";
import type { aliasSchema, mappingSchema } from "@/lib/validation/usage";

export function listMappings(ctx: Ctx) {
  return prisma.teamMapping.findMany({ where: { organizationId: ctx.orgId }, include: { team: { select: { name: true } } }, orderBy: [{ source: "asc" }, { externalId: "asc" }] });
}

export async function createMapping(ctx: Ctx, input: z.output<typeof mappingSchema>) {
  return prisma.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: input.teamId, organizationId: ctx.orgId } });
    if (!team) throw badRequest("teamId: no such team", [{ path: "body.teamId", message: "no such team" }]);
    const m = await onUnique(tx.teamMapping.create({ data: { organizationId: ctx.orgId, ...input } }), `${input.source} ${input.externalId} is already mapped`);
    await audit(tx, ctx, "teamMapping.created", "TeamMapping", m.id, input);
    return m;
  });
}

export async function deleteMapping(ctx: Ctx, mappingId: string) {
  return prisma.$transaction(async (tx) => {
    const m = await tx.teamMapping.findFirst({ where: { id: mappingId, organizationId: ctx.orgId } });
    if (!m) throw notFound("Mapping");
    await tx.teamMapping.delete({ where: { id: m.id } });
    await audit(tx, ctx, "teamMapping.deleted", "TeamMapping", m.id, { source: m.source, externalId: m.externalId });
    return { deleted: true };
  });
}

/** Alias keys are "provider/model" (lower case) so the same model name from two providers cannot collide. */
export async function createAlias(ctx: Ctx, input: z.output<typeof aliasSchema>) {
  return prisma.$transaction(async (tx) => {
    const model = await tx.model.findFirst({ where: { id: input.modelId, organizationId: ctx.orgId } });
    if (!model) throw badRequest("modelId: no such model", [{ path: "body.modelId", message: "no such model" }]);
    const alias = input.alias.toLowerCase();
    const a = await onUnique(tx.modelAlias.create({ data: { organizationId: ctx.orgId, alias, modelId: model.id } }), `"${input.alias}" is already mapped`);
    await audit(tx, ctx, "modelAlias.created", "ModelAlias", a.id, { alias, modelId: model.id });
    return a;
  });
}
