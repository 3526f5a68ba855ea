/**
 * Demo valuation history: a few contracts booked on past days (through the booking service, as of that day, at
 * the curve then in force), the settlement job run over them, and daily marks backfilled from the first booking to
 * today through the marks job's own code (backfillMarks → runMarks) against the stored weekly curves.
 *
 * The demo's hedge policy is the default one with a quarterly budget, so the dashboard's budget at risk has a budget
 * to measure against (about the demo's expected quarterly spend at list price).
 *
 * One of them is designated as a cash-flow hedge on its booking day by the demo CFO, through the real designation
 * service as of that day (designateHedge with an explicit date: the curve, the forecast and the usage in force
 * then). The forecast of that day is computed first by the forecast job's own function (runForecasts as of that
 * day), as the weekly curves are rebuilt for their days. Its window started months ago, so its settled months have
 * a monthly dollar-offset test computed by the normal read path — whatever the demo data makes of them.
 *
 * Two demo-only adjustments make the past consistent: bookContract stamps bookedAt with the database clock, so a
 * contract booked "as of" a past day is backdated to that day (here and for lib/demo/contracts.ts's contracts); and the seed writes every model version at once, so versions are dated to when they took effect —
 * otherwise every backdated contract would look booked before its class's versions were recorded (model drift).
 */
import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { addMonths } from "@/lib/domain/curve";
import { addDays, monthKey, utcDay } from "@/lib/domain/time";
import { bookContract } from "@/lib/services/hedging/contracts";
import { runSettlements } from "@/lib/services/hedging/settlements";
import { backfillMarks } from "@/lib/services/hedging/marks";
import { curvesAsOf } from "@/lib/services/market-snapshot";
import { DEFAULT_POLICY } from "@/lib/services/hedging/policy";
import { designateHedge } from "@/lib/services/hedging/accounting";
import { runForecasts } from "@/lib/services/forecast-run";

type Past = {
  key: string; classKey: string; counterparty: string; daysAgo: number; firstMonth: number; months: number; lots: number; settlement: "FINANCIAL" | "SERVICE_CREDITS";
  /** Designated as a cash-flow hedge on its booking day with this risk management objective. */
  designation?: string;
};

/** Booked `daysAgo` days before today for `months` calendar months starting `firstMonth` months after the booking month. */
export const DEMO_PAST_CONTRACTS: Past[] = [
  { key: "hist-chat-1", classKey: "general-chat", counterparty: "Northwind Compute Desk (demo)", daysAgo: 150, firstMonth: 1, months: 2, lots: 10, settlement: "FINANCIAL" },
  { key: "hist-frontier-1", classKey: "frontier-reasoning", counterparty: "Northwind Compute Desk (demo)", daysAgo: 120, firstMonth: 1, months: 5, lots: 4, settlement: "FINANCIAL",
    designation: "Demo designation (seeded): fix the price of the forecast Frontier reasoning usage over the contract's five months, so the AI budget does not move with the frontier index" },
  { key: "hist-fast-1", classKey: "small-fast", counterparty: "Blue Harbor Capacity (demo)", daysAgo: 100, firstMonth: 1, months: 4, lots: 30, settlement: "SERVICE_CREDITS" },
  { key: "hist-embed-1", classKey: "embedding", counterparty: "Northwind Compute Desk (demo)", daysAgo: 75, firstMonth: 1, months: 6, lots: 20, settlement: "FINANCIAL" },
  { key: "hist-chat-2", classKey: "general-chat", counterparty: "Blue Harbor Capacity (demo)", daysAgo: 40, firstMonth: 1, months: 3, lots: 12, settlement: "FINANCIAL" },
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);

/** Quarterly AI budget of the demo policy, USD. */
export const DEMO_QUARTERLY_BUDGET_USD = "3600000";

export async function seedDemoHistory(orgId: string, orgName: string, today: Date) {
  const { bands, maxOverHedgeProb, maxTenorMonths, lotTokens, preferredSettlement, approvalThresholdUsd } = DEFAULT_POLICY;
  await prisma.hedgePolicy.create({
    data: { organizationId: orgId, modelClassId: null, bands, maxOverHedgeProb, maxTenorMonths, lotTokens: BigInt(lotTokens), preferredSettlement, approvalThresholdUsd, quarterlyBudgetUsd: DEMO_QUARTERLY_BUDGET_USD },
  });
  await prisma.$executeRaw`UPDATE "ModelVersion" SET "createdAt" = "effectiveFrom" WHERE "organizationId" = ${orgId}`;
  const procurement = await prisma.membership.findFirstOrThrow({ where: { organizationId: orgId, role: "PROCUREMENT" }, include: { user: true } });
  const ctx: Ctx = { orgId, orgName, isDemo: true, actorId: procurement.userId, actorName: procurement.user.name, role: "PROCUREMENT", teamId: null };
  const cfo = await prisma.membership.findFirstOrThrow({ where: { organizationId: orgId, role: "CFO" }, include: { user: true } });
  const cfoCtx: Ctx = { orgId, orgName, isDemo: true, actorId: cfo.userId, actorName: cfo.user.name, role: "CFO", teamId: null };
  const classes = await prisma.modelClass.findMany({ where: { organizationId: orgId }, include: { models: { select: { providerId: true }, take: 1 } } });
  const counterparties = await prisma.counterparty.findMany({ where: { organizationId: orgId } });

  // lib/demo/contracts.ts books its expired contract as of 62 days ago, the others as of the seed's day (which a
  // test may set in the past)
  await prisma.contract.updateMany({ where: { organizationId: orgId, idempotencyKey: "demo-expired-1" }, data: { bookedAt: new Date(addDays(today, -62).getTime() + 10 * 3600_000) } });
  await prisma.contract.updateMany({ where: { organizationId: orgId, bookedAt: { gte: addDays(today, 1) } }, data: { bookedAt: new Date(today.getTime() + 10 * 3600_000) } });

  let first = today;
  let designated = 0;
  for (const p of DEMO_PAST_CONTRACTS) {
    const bookedOn = addDays(today, -p.daysAgo);
    const cls = classes.find((c) => c.key === p.classKey)!;
    const firstMonth = addMonths(monthKey(bookedOn), p.firstMonth);
    const lastMonth = addMonths(firstMonth, p.months - 1);
    // the strike is the curve then in force, averaged over the window's months
    const curve = (await curvesAsOf(orgId, bookedOn, [cls.id])).get(cls.id);
    const prices: Decimal[] = [];
    for (let m = firstMonth; m <= lastMonth; m = addMonths(m, 1)) {
      const price = curve?.prices.get(m);
      if (price) prices.push(price);
    }
    const strike = prices.length ? prices.reduce((s, x) => s.add(x), new Decimal(0)).div(prices.length) : curve?.spot ?? new Decimal(1);
    const booked = await bookContract(
      ctx,
      {
        providerId: cls.models[0].providerId, modelClassId: cls.id, counterpartyId: counterparties.find((c) => c.name === p.counterparty)!.id,
        quantityTokens: String(BigInt(p.lots) * 1_000_000_000n), windowStart: iso(monthStart(firstMonth)), windowEnd: iso(addDays(monthStart(addMonths(lastMonth, 1)), -1)),
        strikeUsdPerMTokens: strike.toDecimalPlaces(6).toFixed(6), settlement: p.settlement, substitutionRule: p.classKey === "frontier-reasoning" ? "MANUAL_REVIEW" : "SUCCESSOR_SAME_STRIKE",
        notes: "Demo contract booked in the past (valuation history)", confirmFarFromCurve: true,
      },
      `demo-${p.key}`,
      bookedOn,
    );
    await prisma.contract.update({ where: { id: booked.contract.id }, data: { bookedAt: new Date(bookedOn.getTime() + 10 * 3600_000) } });
    if (p.designation) {
      // the forecast in force that day, by the forecast job's function, then the designation an hour after booking
      await runForecasts(orgId, bookedOn);
      await designateHedge(cfoCtx, booked.contract.id, { riskManagementObjective: p.designation }, new Date(bookedOn.getTime() + 11 * 3600_000));
      designated++;
    }
    if (bookedOn < first) first = bookedOn;
  }
  const settled = await runSettlements(orgId, today);
  const marks = await backfillMarks(orgId, utcDay(first), today);
  return { pastContracts: DEMO_PAST_CONTRACTS.length, designated, settled: settled.settled, marks: marks.marked, unmarked: marks.skipped };
}
