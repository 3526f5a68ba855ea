/**
 * Settlement job and statements: load the contracts, spot quotes and usage an as-of day needs, call the pure
 * settlement rules (lib/domain/settlement.ts), and write the settlements, status changes and contract events of
 * one org in one transaction under a per-org lock — so running it twice, or twice at once, settles nothing twice.
 */
import Decimal from "decimal.js";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ContractEventType, ContractStatus } from "@/lib/generated/prisma/enums";
import { prisma, type Tx } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { requireOwned } from "@/lib/db/scope";
import { moneyString, sumDecimals } from "@/lib/domain/money";
import { addDays, monthKey, parseDay, utcDay } from "@/lib/domain/time";
import { forwardOf, periodsOf, spotSeries, type AveragePriceForward } from "@/lib/domain/valuation";
import {
  allocateCredits,
  dailyMedianSpots,
  lifecycle,
  settleCredits,
  settleFinancial,
  statementRow,
  type CreditContract,
  type PeriodSettlement,
  type StatementRow,
} from "@/lib/domain/settlement";
import { classDayTokens } from "@/lib/services/usage";

const ACTOR_NAME = "Settlement job";
/** Statuses whose contracts hold credits: they take their share of usage even once settled. */
const HOLDING: ContractStatus[] = ["BOOKED", "DELIVERING", "SETTLED"];

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

type Loaded = Prisma.ContractGetPayload<{ include: { product: true; settlements: { select: { periodMonth: true } } } }>;

const asForward = (c: { id: string; product: Loaded["product"] }): AveragePriceForward => forwardOf(c.id, c.product);

export type SettlementRunDetails = {
  asOf: string;
  /** settlement rows written (contract × month) */
  settled: number;
  /** contracts moved BOOKED → DELIVERING */
  delivering: number;
  /** contracts moved to SETTLED */
  completed: number;
  /** due FINANCIAL months with a window day before the class's first spot observation */
  waitingForSpot: { contractId: string; reference: string; month: string; day: string }[];
  /** due SERVICE_CREDITS months whose last day is after the org's latest imported usage day */
  waitingForUsage: { contractId: string; reference: string; month: string; usageThrough: string | null }[];
};

/**
 * Daily spot observations (median mid of SPOT_LIST / SPOT_REALIZED quotes per UTC day) for the classes, from the
 * last observation on or before `from` (spot carries forward from it) up to the day before the as-of day.
 */
async function loadSpots(tx: Tx, orgId: string, classIds: string[], from: Date, asOf: Date) {
  const quotes = [];
  for (const modelClassId of classIds) {
    const base = { organizationId: orgId, modelClassId, kind: { not: "FORWARD" as const } };
    const before = await tx.priceQuote.findFirst({ where: { ...base, asOf: { lt: addDays(from, 1) } }, orderBy: { asOf: "desc" }, select: { asOf: true } });
    const rows = await tx.priceQuote.findMany({
      where: { ...base, asOf: { gte: before ? utcDay(before.asOf) : from, lt: asOf } },
      select: { asOf: true, midUsdPerMTokens: true },
    });
    for (const r of rows) quotes.push({ modelClass: modelClassId, at: r.asOf, mid: r.midUsdPerMTokens.toString() });
  }
  return spotSeries(dailyMedianSpots(quotes));
}

/** Tokens (input + output) per class and day over all the org's teams, for days in [from, asOf). */
async function loadUsage(tx: Tx, orgId: string, classIds: string[], from: Date, asOf: Date) {
  const rows = await classDayTokens(orgId, { from, before: asOf, classIds }, tx);
  const [extent] = await tx.$queryRaw<{ last: Date | null }[]>`
    SELECT max(d.day)::timestamp AS last FROM "UsageDaily" d JOIN "UsageSeries" s ON s.id = d."seriesId" WHERE s."organizationId" = ${orgId}`;
  return { usage: rows.map((r) => ({ modelClass: r.class_id, day: r.day, tokens: r.tokens })), usageThrough: extent?.last ?? null };
}

/**
 * The settlement job for one org as of `now`'s UTC day (see lib/domain/settlement.ts for the rules): BOOKED
 * contracts whose window has started move to DELIVERING; every month of a BOOKED/DELIVERING contract's window
 * that has ended is settled once (FINANCIAL against the average daily spot, SERVICE_CREDITS against the class's
 * usage); a contract whose months are all settled moves to SETTLED. Each change writes a contract event.
 * A credits month also waits until usage has been imported through its last day: settling it earlier would
 * forfeit credits for usage that has not arrived yet, and a settlement is final.
 */
export async function runSettlements(orgId: string, now = new Date()): Promise<SettlementRunDetails> {
  const asOf = utcDay(now);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`settlements:${orgId}`}))`;
      // rows locked so a concurrent cancellation waits for this run (and then sees the new status)
      const ids = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM "Contract" c JOIN "ContractProduct" p ON p.id = c."productId"
         WHERE c."organizationId" = ${orgId} AND c.status IN ('BOOKED', 'DELIVERING') AND p."windowStart" <= ${asOf}
         ORDER BY c.id FOR UPDATE OF c`;
      const details: SettlementRunDetails = { asOf: isoDay(asOf), settled: 0, delivering: 0, completed: 0, waitingForSpot: [], waitingForUsage: [] };
      if (!ids.length) return details;
      const contracts = await tx.contract.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        include: { product: true, settlements: { select: { periodMonth: true } } },
        orderBy: [{ bookedAt: "asc" }, { id: "asc" }],
      });

      const financial = contracts.filter((c) => c.product.settlement === "FINANCIAL");
      const credits = contracts.filter((c) => c.product.settlement === "SERVICE_CREDITS");
      const earliest = (cs: Loaded[]) => new Date(Math.min(...cs.map((c) => c.product.windowStart.getTime())));
      const classes = (cs: { product: { modelClassId: string } }[]) => [...new Set(cs.map((c) => c.product.modelClassId))];

      const spotOn = financial.length ? await loadSpots(tx, orgId, classes(financial), earliest(financial), asOf) : spotSeries([]);
      let uses: ReturnType<typeof allocateCredits> = [];
      let usageThrough: Date | null = null;
      if (credits.length) {
        // every credits contract of these classes that covers the same days takes its share in booking order,
        // including contracts already settled and those not touched by this run
        const holders = await tx.contract.findMany({
          where: {
            organizationId: orgId,
            status: { in: HOLDING },
            product: { settlement: "SERVICE_CREDITS", modelClassId: { in: classes(credits) }, windowStart: { lte: asOf }, windowEnd: { gte: earliest(credits) } },
          },
          include: { product: true },
        });
        const from = new Date(Math.min(...holders.map((c) => c.product.windowStart.getTime())));
        const loaded = await loadUsage(tx, orgId, classes(holders), from, asOf);
        usageThrough = loaded.usageThrough;
        uses = allocateCredits(holders.map((c): CreditContract => ({ ...asForward(c), bookedAt: c.bookedAt })), loaded.usage);
      }

      const settlementRows: Prisma.SettlementCreateManyInput[] = [];
      const events: Prisma.ContractEventCreateManyInput[] = [];
      const event = (c: Loaded, type: ContractEventType, before: object, after: object) =>
        events.push({ organizationId: orgId, contractId: c.id, actorId: null, actorName: ACTOR_NAME, type, before, after });

      for (const c of contracts) {
        const status = c.status as "BOOKED" | "DELIVERING";
        const f = asForward(c);
        const done = new Set(c.settlements.map((s) => monthKey(s.periodMonth)));
        const fresh: PeriodSettlement[] = [];
        if (c.product.settlement === "FINANCIAL") {
          const r = settleFinancial(f, asOf, spotOn);
          fresh.push(...r.settled.filter((p) => !done.has(p.month)));
          for (const w of r.waitingForSpot) if (!done.has(w.month)) details.waitingForSpot.push({ contractId: c.id, reference: c.reference, month: w.month, day: w.day });
        } else {
          for (const p of settleCredits(f, uses, asOf)) {
            if (done.has(p.month)) continue;
            if (usageThrough && usageThrough.getTime() >= p.lastDay.getTime()) fresh.push(p);
            else details.waitingForUsage.push({ contractId: c.id, reference: c.reference, month: p.month, usageThrough: usageThrough && isoDay(usageThrough) });
          }
        }
        const periods = periodsOf(f).length;
        const step = lifecycle(status, c.product.windowStart, asOf, periods, done.size + fresh.length);

        if (step.deliveryStarted) {
          event(c, "DELIVERY_STARTED", { status: "BOOKED" }, { status: "DELIVERING" });
          details.delivering++;
        }
        for (const p of fresh) {
          const row = statementRow(p, c.product.strikeUsdPerMTokens.toString());
          settlementRows.push({
            organizationId: orgId,
            contractId: c.id,
            periodMonth: parseDay(`${p.month}-01`),
            quantityTokens: p.quantityTokens,
            avgSpotUsdPerMTokens: row.avgSpotUsdPerMTokens,
            amountUsd: row.amountUsd,
            creditsUsedTokens: p.creditsUsedTokens,
            creditsForfeitedTokens: p.creditsForfeitedTokens,
          });
          event(c, "PERIOD_SETTLED", { status: "DELIVERING" }, { status: "DELIVERING", settlement: c.product.settlement, ...row });
        }
        details.settled += fresh.length;
        if (step.completed) {
          event(c, "SETTLED", { status: "DELIVERING" }, { status: "SETTLED" });
          details.completed++;
        }
        const next = step.completed ? "SETTLED" : step.deliveryStarted ? "DELIVERING" : null;
        if (next) await tx.contract.update({ where: { id: c.id }, data: { status: next } });
      }
      // no skipDuplicates: under the lock an existing (contract, month) means a bug, and must not pass silently
      if (settlementRows.length) await tx.settlement.createMany({ data: settlementRows });
      if (events.length) await tx.contractEvent.createMany({ data: events });
      return details;
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

export type SettlementStatement = {
  contract: {
    id: string;
    reference: string;
    status: ContractStatus;
    settlement: "FINANCIAL" | "SERVICE_CREDITS";
    modelClass: string;
    quantityTokens: string;
    windowStart: string;
    windowEnd: string;
    strikeUsdPerMTokens: string;
  };
  rows: (StatementRow & { settledAt: string })[];
  /** months of the window without a settlement yet */
  pendingMonths: string[];
  total: { quantityTokens: string; amountUsd: string; creditsUsedTokens: string | null; creditsForfeitedTokens: string | null };
};

/** A contract's settlements, one row per settled month (org-scoped: another org's id is a 404). */
export async function settlementStatement(ctx: Pick<Ctx, "orgId">, contractId: string): Promise<SettlementStatement> {
  await requireOwned(ctx, "contract", contractId);
  const c = await prisma.contract.findUniqueOrThrow({
    where: { id: contractId },
    include: { product: { include: { modelClass: { select: { name: true } } } }, settlements: { orderBy: { periodMonth: "asc" } } },
  });
  const strike = moneyString(c.product.strikeUsdPerMTokens.toString());
  const rows = c.settlements.map((s) => ({
    month: monthKey(s.periodMonth),
    quantityTokens: s.quantityTokens.toString(),
    avgSpotUsdPerMTokens: s.avgSpotUsdPerMTokens === null ? null : moneyString(s.avgSpotUsdPerMTokens.toString()),
    strikeUsdPerMTokens: strike,
    amountUsd: moneyString(s.amountUsd.toString()),
    creditsUsedTokens: s.creditsUsedTokens?.toString() ?? null,
    creditsForfeitedTokens: s.creditsForfeitedTokens?.toString() ?? null,
    settledAt: s.createdAt.toISOString(),
  }));
  const settled = new Set(rows.map((r) => r.month));
  const isCredits = c.product.settlement === "SERVICE_CREDITS";
  const sumTokens = (xs: (bigint | null)[]) => xs.reduce<bigint>((a, x) => a + (x ?? 0n), 0n).toString();
  return {
    contract: {
      id: c.id,
      reference: c.reference,
      status: c.status,
      settlement: c.product.settlement,
      modelClass: c.product.modelClass.name,
      quantityTokens: c.product.quantityTokens.toString(),
      windowStart: isoDay(c.product.windowStart),
      windowEnd: isoDay(c.product.windowEnd),
      strikeUsdPerMTokens: strike,
    },
    rows,
    pendingMonths: periodsOf(asForward(c)).map((p) => p.month).filter((m) => !settled.has(m)),
    total: {
      quantityTokens: sumTokens(c.settlements.map((s) => s.quantityTokens)),
      amountUsd: moneyString(sumDecimals(c.settlements.map((s) => s.amountUsd.toString()))),
      creditsUsedTokens: isCredits ? sumTokens(c.settlements.map((s) => s.creditsUsedTokens)) : null,
      creditsForfeitedTokens: isCredits ? sumTokens(c.settlements.map((s) => s.creditsForfeitedTokens)) : null,
    },
  };
}
