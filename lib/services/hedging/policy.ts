import type { z } from "zod";
import Decimal from "decimal.js";
import { prisma, type Db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { audit } from "@/lib/services/audit";
import { enqueueFollowUp, JOBS } from "@/lib/jobs/queue";
import type { HedgePolicyInput, TenorBand } from "@/lib/domain/hedge";
import type { policySchema } from "@/lib/validation/hedging";

/** The policy a new organization starts from (shown as "default" until someone saves one). */
export const DEFAULT_POLICY = {
  bands: [
    { fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 },
    { fromMonth: 4, toMonth: 6, minPct: 40, maxPct: 60 },
    { fromMonth: 7, toMonth: 12, minPct: 0, maxPct: 30 },
  ],
  maxOverHedgeProb: "0.1",
  maxTenorMonths: 12,
  lotTokens: "1000000000",
  preferredSettlement: "FINANCIAL" as const,
  quarterlyBudgetUsd: null as string | null,
  approvalThresholdUsd: "250000",
};

export type Band = { fromMonth: number; toMonth: number; minPct: number; maxPct: number };
export type PolicyView = {
  id: string | null;
  modelClassId: string | null;
  bands: Band[];
  maxOverHedgeProb: string;
  maxTenorMonths: number;
  lotTokens: string;
  preferredSettlement: "FINANCIAL" | "SERVICE_CREDITS";
  quarterlyBudgetUsd: string | null;
  approvalThresholdUsd: string;
  isDefault: boolean;
  updatedAt: Date | null;
};

type Row = Awaited<ReturnType<typeof prisma.hedgePolicy.findFirst>>;
function view(r: NonNullable<Row>): PolicyView {
  return {
    id: r.id,
    modelClassId: r.modelClassId,
    bands: r.bands as Band[],
    maxOverHedgeProb: r.maxOverHedgeProb.toString(),
    maxTenorMonths: r.maxTenorMonths,
    lotTokens: r.lotTokens.toString(),
    preferredSettlement: r.preferredSettlement,
    quarterlyBudgetUsd: r.quarterlyBudgetUsd?.toString() ?? null,
    approvalThresholdUsd: r.approvalThresholdUsd.toString(),
    isDefault: false,
    updatedAt: r.updatedAt,
  };
}

/** The org policy and every class override (the org's falls back to DEFAULT_POLICY until saved). */
export async function listPolicies(orgId: string, db: Db = prisma): Promise<{ org: PolicyView; overrides: PolicyView[] }> {
  const rows = await db.hedgePolicy.findMany({ where: { organizationId: orgId }, orderBy: { updatedAt: "asc" } });
  const orgRow = rows.find((r) => r.modelClassId === null);
  return {
    org: orgRow ? view(orgRow) : { id: null, modelClassId: null, ...DEFAULT_POLICY, isDefault: true, updatedAt: null },
    overrides: rows.filter((r) => r.modelClassId !== null).map(view),
  };
}

/** The policy in force for one class: its override, else the org's. */
export function policyFor(p: { org: PolicyView; overrides: PolicyView[] }, modelClassId: string): PolicyView {
  return p.overrides.find((o) => o.modelClassId === modelClassId) ?? p.org;
}

/** Converts a stored policy into the simulation's input (bands as tenor bands; budget over the horizon). */
export function toHedgePolicyInput(p: PolicyView, horizonMonths: number): HedgePolicyInput {
  const bands: TenorBand[] = p.bands.map((b) => ({ fromMonth: b.fromMonth, toMonth: b.toMonth, minCoveragePct: b.minPct, maxCoveragePct: b.maxPct }));
  const first = bands[0] ?? { minCoveragePct: 0, maxCoveragePct: 0 };
  return {
    settlement: p.preferredSettlement,
    minCoveragePct: first.minCoveragePct,
    maxCoveragePct: first.maxCoveragePct,
    bands,
    maxOverHedgeProb: Number(p.maxOverHedgeProb),
    lotTokens: BigInt(p.lotTokens),
    budgetUsd: p.quarterlyBudgetUsd ? new Decimal(p.quarterlyBudgetUsd).mul(horizonMonths).div(3) : null,
  };
}

/** Saves the org policy (modelClassId null) or a class override; audited with before and after. */
export async function savePolicy(ctx: Ctx, input: z.output<typeof policySchema>) {
  if (input.modelClassId) await requireOwned(ctx, "modelClass", input.modelClassId, { field: "modelClassId" });
  const saved = await prisma.$transaction(async (tx) => {
    const before = await tx.hedgePolicy.findFirst({ where: { organizationId: ctx.orgId, modelClassId: input.modelClassId ?? null } });
    const data = {
      bands: input.bands,
      maxOverHedgeProb: input.maxOverHedgeProb,
      maxTenorMonths: input.maxTenorMonths,
      lotTokens: BigInt(input.lotTokens),
      preferredSettlement: input.preferredSettlement,
      quarterlyBudgetUsd: input.quarterlyBudgetUsd ?? null,
      approvalThresholdUsd: input.approvalThresholdUsd,
      updatedById: ctx.actorId,
    };
    const row = before
      ? await tx.hedgePolicy.update({ where: { id: before.id }, data })
      : await tx.hedgePolicy.create({ data: { organizationId: ctx.orgId, modelClassId: input.modelClassId ?? null, ...data } });
    await audit(tx, ctx, before ? "hedgePolicy.updated" : "hedgePolicy.created", "HedgePolicy", row.id, {
      modelClassId: input.modelClassId ?? null,
      before: before ? view(before) : null,
      after: view(row),
    });
    return view(row);
  });
  // a new policy changes what should be hedged
  await enqueueFollowUp(JOBS.runRecommendations, ctx.orgId, "hedge policy changed");
  return saved;
}

export async function removeOverride(ctx: Ctx, modelClassId: string) {
  await requireOwned(ctx, "modelClass", modelClassId);
  return prisma.$transaction(async (tx) => {
    const row = await tx.hedgePolicy.findFirst({ where: { organizationId: ctx.orgId, modelClassId } });
    if (!row) return { removed: false };
    await tx.hedgePolicy.delete({ where: { id: row.id } });
    await audit(tx, ctx, "hedgePolicy.removed", "HedgePolicy", row.id, { modelClassId, before: view(row) });
    return { removed: true };
  });
}
