import Decimal from "decimal.js";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { onUnique } from "@/lib/db/errors";
import { requireOwned } from "@/lib/db/scope";
import { audit } from "@/lib/services/audit";
import { counterpartyExposure } from "./contracts";
import type { counterpartySchema } from "@/lib/validation/contracts";

/** Share of total hedged notional above which a counterparty is flagged as a concentration. */
export const CONCENTRATION_WARN_PCT = 40;

/**
 * Counterparties with current exposure (open notional: pending, booked, delivering; positive mark-to-market
 * owed to us is added once daily marks exist), use of limit and concentration, and warnings.
 */
export async function listCounterparties(ctx: Ctx) {
  const [rows, exposure] = await Promise.all([prisma.counterparty.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" } }), counterpartyExposure(prisma, ctx.orgId)]);
  const total = [...exposure.values()].reduce((s, v) => s.add(v), new Decimal(0));
  return rows.map((c) => {
    const e = exposure.get(c.id) ?? new Decimal(0);
    const limit = new Decimal(c.limitUsd.toString());
    const usePct = limit.isZero() ? null : e.div(limit).mul(100);
    const concentrationPct = total.isZero() ? new Decimal(0) : e.div(total).mul(100);
    const warnings = [
      ...(usePct && usePct.gt(100) ? [`over its limit (${usePct.toFixed(0)}% used)`] : usePct && usePct.gte(90) ? [`close to its limit (${usePct.toFixed(0)}% used)`] : []),
      ...(concentrationPct.gt(CONCENTRATION_WARN_PCT) ? [`${concentrationPct.toFixed(0)}% of hedged notional (threshold ${CONCENTRATION_WARN_PCT}%)`] : []),
    ];
    return {
      id: c.id,
      name: c.name,
      rating: c.rating,
      limitUsd: limit.toFixed(2),
      exposureUsd: e.toFixed(2),
      limitUsedPct: usePct?.toFixed(1) ?? null,
      concentrationPct: concentrationPct.toFixed(1),
      warnings,
    };
  });
}

export async function createCounterparty(ctx: Ctx, input: z.output<typeof counterpartySchema>) {
  return prisma.$transaction(async (tx) => {
    const c = await onUnique(tx.counterparty.create({ data: { organizationId: ctx.orgId, ...input } }), `A counterparty named ${input.name} already exists`);
    await audit(tx, ctx, "counterparty.created", "Counterparty", c.id, input);
    return { id: c.id, name: c.name, rating: c.rating, limitUsd: c.limitUsd.toString() };
  });
}

export async function updateCounterparty(ctx: Ctx, id: string, input: z.output<typeof counterpartySchema>) {
  await requireOwned(ctx, "counterparty", id);
  return prisma.$transaction(async (tx) => {
    const before = await tx.counterparty.findUniqueOrThrow({ where: { id } });
    const c = await onUnique(tx.counterparty.update({ where: { id }, data: input }), `A counterparty named ${input.name} already exists`);
    await audit(tx, ctx, "counterparty.updated", "Counterparty", id, { before: { name: before.name, rating: before.rating, limitUsd: before.limitUsd.toString() }, after: input });
    return { id: c.id, name: c.name, rating: c.rating, limitUsd: c.limitUsd.toString() };
  });
}
