import Decimal from "decimal.js";
import type { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { onUnique } from "@/lib/db/errors";
import { requireOwned } from "@/lib/db/scope";
import { audit } from "@/lib/services/audit";
import { counterpartyExposures } from "./contracts";
import { readSettings } from "@/lib/validation/settings";
import type { counterpartySchema } from "@/lib/validation/contracts";


/**
 * Counterparties with current exposure (open notional: pending, booked, delivering; positive mark-to-market
 * owed to us is added once daily marks exist), use of limit and concentration, and warnings.
 */
export async function listCounterparties(ctx: Ctx) {
  const [rows, exposures, org] = await Promise.all([
    prisma.counterparty.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" } }),
    counterpartyExposures(prisma, ctx.orgId),
    prisma.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { settings: true } }),
  ]);
  const threshold = readSettings(org.settings).concentrationWarnPct;
  const totalNotional = [...exposures.values()].reduce((s, v) => s.add(v.notional), new Decimal(0));
  return rows.map((c) => {
    const x = exposures.get(c.id) ?? { notional: new Decimal(0), owedToUs: new Decimal(0), exposure: new Decimal(0) };
    const limit = new Decimal(c.limitUsd.toString());
    const usePct = limit.isZero() ? null : x.exposure.div(limit).mul(100);
    const concentrationPct = totalNotional.isZero() ? new Decimal(0) : x.notional.div(totalNotional).mul(100);
    const warnings = [
      ...(usePct && usePct.gt(100) ? [`over its limit (${usePct.toFixed(0)}% used)`] : usePct && usePct.gte(90) ? [`close to its limit (${usePct.toFixed(0)}% used)`] : []),
      ...(concentrationPct.gt(threshold) ? [`${concentrationPct.toFixed(0)}% of hedged notional (threshold ${threshold}%)`] : []),
    ];
    return {
      id: c.id,
      name: c.name,
      rating: c.rating,
      limitUsd: limit.toFixed(2),
      notionalUsd: x.notional.toFixed(2),
      owedToUsUsd: x.owedToUs.toFixed(2),
      exposureUsd: x.exposure.toFixed(2),
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
