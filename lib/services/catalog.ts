import type { z } from "zod";
import { prisma, type Db } from "@/lib/db/client";
import { onUnique } from "@/lib/db/errors";
import type { Ctx } from "@/lib/auth/context";
import { badRequest, notFound } from "@/lib/errors";
import { audit } from "./audit";
import { bumpUsageVersion } from "./usage-rollup";
import { enqueueFollowUp, JOBS } from "@/lib/jobs/queue";
import type { createModelClassSchema, createModelSchema, modelPriceSchema, modelVersionSchema } from "@/lib/validation/admin";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export function listModelClasses(ctx: Ctx) {
  return prisma.modelClass.findMany({ where: { organizationId: ctx.orgId }, orderBy: { key: "asc" } });
}

export async function createModelClass(ctx: Ctx, input: z.output<typeof createModelClassSchema>) {
  return prisma.$transaction(async (tx) => {
    const c = await onUnique(
      tx.modelClass.create({ data: { organizationId: ctx.orgId, ...input } }),
      `Model class "${input.key}" already exists`,
    );
    await audit(tx, ctx, "modelClass.created", "ModelClass", c.id, input);
    return c;
  });
}

/** Catalog with the price and version in force on `at` (effective-dated history kept in full). */
export async function listModels(ctx: Ctx, at = new Date()) {
  const models = await prisma.model.findMany({
    where: { organizationId: ctx.orgId },
    include: {
      provider: true,
      modelClass: true,
      prices: { orderBy: { effectiveFrom: "desc" } },
      versions: { orderBy: { effectiveFrom: "desc" } },
      aliases: true,
    },
    orderBy: [{ provider: { name: "asc" } }, { name: "asc" }],
  });
  return models.map((m) => ({
    ...m,
    currentPrice: m.prices.find((p) => p.effectiveFrom <= at) ?? null,
    currentVersion: m.versions.find((v) => v.effectiveFrom <= at) ?? null,
  }));
}

async function ownedModel(db: Db, ctx: Ctx, modelId: string) {
  const m = await db.model.findFirst({ where: { id: modelId, organizationId: ctx.orgId } });
  if (!m) throw notFound("Model");
  return m;
}

export async function upsertProvider(db: Db, orgId: string, name: string) {
  return db.provider.upsert({
    where: { organizationId_name: { organizationId: orgId, name } },
    create: { organizationId: orgId, name },
    update: {},
  });
}

export async function createModel(ctx: Ctx, input: z.output<typeof createModelSchema>) {
  return prisma.$transaction(async (tx) => {
    const cls = await tx.modelClass.findFirst({ where: { id: input.modelClassId, organizationId: ctx.orgId } });
    if (!cls) throw badRequest("modelClassId: no such model class", [{ path: "body.modelClassId", message: "no such model class" }]);
    const provider = await upsertProvider(tx, ctx.orgId, input.provider);
    const model = await onUnique(
      tx.model.create({ data: { organizationId: ctx.orgId, providerId: provider.id, modelClassId: cls.id, name: input.name } }),
      `${input.provider} ${input.name} is already in the catalog`,
    );
    await tx.modelVersion.create({
      data: { organizationId: ctx.orgId, modelId: model.id, version: input.version, effectiveFrom: day(input.effectiveFrom) },
    });
    await tx.modelPrice.create({
      data: {
        organizationId: ctx.orgId,
        modelId: model.id,
        effectiveFrom: day(input.effectiveFrom),
        inputUsdPerMTokens: input.inputUsdPerMTokens,
        outputUsdPerMTokens: input.outputUsdPerMTokens,
        cachedInputUsdPerMTokens: input.cachedInputUsdPerMTokens ?? null,
      },
    });
    await tx.modelAlias.create({ data: { organizationId: ctx.orgId, alias: input.name.toLowerCase(), modelId: model.id } }).catch(() => undefined);
    await audit(tx, ctx, "model.created", "Model", model.id, input);
    return model;
  });
}

export async function addModelPrice(ctx: Ctx, modelId: string, input: z.output<typeof modelPriceSchema>) {
  const created = await prisma.$transaction(async (tx) => {
    await ownedModel(tx, ctx, modelId);
    const p = await onUnique(
      tx.modelPrice.create({
        data: {
          organizationId: ctx.orgId,
          modelId,
          effectiveFrom: day(input.effectiveFrom),
          inputUsdPerMTokens: input.inputUsdPerMTokens,
          outputUsdPerMTokens: input.outputUsdPerMTokens,
          cachedInputUsdPerMTokens: input.cachedInputUsdPerMTokens ?? null,
        },
      }),
      `A price effective ${input.effectiveFrom} already exists for this model`,
    );
    await audit(tx, ctx, "modelPrice.added", "Model", modelId, input);
    // spend already rolled up is priced with the old catalog: reprice (pages say "updating…" meanwhile)
    await bumpUsageVersion(ctx.orgId, tx);
    return p;
  });
  await enqueueFollowUp(JOBS.rollupUsage, ctx.orgId, "list price changed");
  return created;
}

/**
 * A new version behind a model is model drift: curve points are flagged from this history, and every open
 * contract on the model's class gets a DRIFT_FLAGGED event (with its substitution rule) in this transaction.
 */
export async function addModelVersion(ctx: Ctx, modelId: string, input: z.output<typeof modelVersionSchema>) {
  return prisma.$transaction(async (tx) => {
    const model = await ownedModel(tx, ctx, modelId);
    const v = await onUnique(
      tx.modelVersion.create({ data: { organizationId: ctx.orgId, modelId, version: input.version, effectiveFrom: day(input.effectiveFrom) } }),
      `A version effective ${input.effectiveFrom} already exists for this model`,
    );
    await audit(tx, ctx, "modelVersion.added", "Model", modelId, input);
    const open = await tx.contract.findMany({
      where: { organizationId: ctx.orgId, status: { in: ["PENDING_APPROVAL", "BOOKED", "DELIVERING"] }, product: { modelClassId: model.modelClassId } },
      select: { id: true, substitutionRule: true, driftFlaggedAt: true },
    });
    const now = new Date();
    for (const c of open) {
      await tx.contract.update({ where: { id: c.id }, data: { driftFlaggedAt: now } });
      await tx.contractEvent.create({
        data: {
          organizationId: ctx.orgId, contractId: c.id, actorId: ctx.actorId, actorName: ctx.actorName, type: "DRIFT_FLAGGED",
          before: { driftFlaggedAt: c.driftFlaggedAt?.toISOString() ?? null }, after: { driftFlaggedAt: now.toISOString(), model: model.name, version: input.version, effectiveFrom: input.effectiveFrom, substitutionRule: c.substitutionRule },
          comment: `New version ${input.version} of ${model.name} effective ${input.effectiveFrom}: the contract's substitution rule applies`,
        },
      });
    }
    return v;
  });
}

export async function addQualityScore(ctx: Ctx, modelClassId: string, input: { benchmark: string; score: string; effectiveFrom: string }) {
  return prisma.$transaction(async (tx) => {
    const cls = await tx.modelClass.findFirst({ where: { id: modelClassId, organizationId: ctx.orgId } });
    if (!cls) throw notFound("Model class");
    const q = await onUnique(
      tx.qualityScore.create({ data: { organizationId: ctx.orgId, modelClassId, benchmark: input.benchmark, score: input.score, effectiveFrom: day(input.effectiveFrom) } }),
      `A ${input.benchmark} score effective ${input.effectiveFrom} already exists for this class`,
    );
    await audit(tx, ctx, "qualityScore.added", "ModelClass", modelClassId, input);
    return q;
  });
}

export function listQualityScores(ctx: Ctx) {
  return prisma.qualityScore.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ modelClassId: "asc" }, { effectiveFrom: "desc" }] });
}
